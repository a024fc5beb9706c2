import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as url from "node:url"

// What each published package.json promises, checked against the sources on every `npm test`
// (scripts/check-packs.mjs checks the packed tarballs themselves, in CI). A module added to src/
// must be listed in `exports` and re-exported from index.ts, or it is not public.
const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "../..")
const read = (file: string) => Effect.sync(() => fs.readFileSync(path.join(root, file), "utf8"))

interface Manifest {
  readonly name: string
  readonly repository: { readonly type: string; readonly url: string; readonly directory: string }
  readonly homepage: string
  readonly bugs: { readonly url: string }
  readonly sideEffects: boolean | ReadonlyArray<string>
  readonly files: ReadonlyArray<string>
  readonly exports: Record<string, string | Record<string, string> | null>
}

const manifest = (pkg: string) =>
  Effect.map(read(`packages/${pkg}/package.json`), (text) => JSON.parse(text) as Manifest)

/** The public modules: src/*.ts but the barrel and the CLI. */
const modulesOf = (pkg: string) =>
  Effect.sync(() =>
    fs.readdirSync(path.join(root, "packages", pkg, "src"))
      .filter((file) => file.endsWith(".ts") && file !== "index.ts" && file !== "bin.ts")
      .map((file) => file.slice(0, -3))
      .sort()
  )

const entry = (module: string) => ({
  "@tableau-effect/source": `./src/${module}.ts`,
  types: `./dist/${module}.d.ts`,
  default: `./dist/${module}.js`
})

describe.each(["client", "node", "emulator"])("@tableau-effect/%s's package.json", (pkg) => {
  it.effect("exports the entry, each public module by name, and ./package.json, with no wildcard", () =>
    Effect.gen(function*() {
      const { exports } = yield* manifest(pkg)
      const modules = yield* modulesOf(pkg)
      expect(exports).toEqual({
        ".": entry("index"),
        ...Object.fromEntries(modules.map((module) => [`./${module}`, entry(module)])),
        "./package.json": "./package.json"
      })
      const index = yield* read(`packages/${pkg}/src/index.ts`)
      for (const module of modules) expect(index).toContain(`export * as ${module} from "./${module}.js"`)
    }))

  it.effect("names the repository, its directory, the homepage and the issue tracker", () =>
    Effect.gen(function*() {
      const { bugs, homepage, repository } = yield* manifest(pkg)
      expect(repository).toEqual({
        type: "git",
        url: "git+https://github.com/tableau-effect/tableau-effect.git",
        directory: `packages/${pkg}`
      })
      expect(homepage).toBe(`https://github.com/tableau-effect/tableau-effect/tree/main/packages/${pkg}#readme`)
      expect(bugs).toEqual({ url: "https://github.com/tableau-effect/tableau-effect/issues" })
    }))

  it.effect("ships the root's LICENSE, a README and a CHANGELOG, and no tests", () =>
    Effect.gen(function*() {
      expect(yield* read(`packages/${pkg}/LICENSE`)).toBe(yield* read("LICENSE"))
      expect(yield* read(`packages/${pkg}/README.md`)).toMatch(new RegExp(`^# @tableau-effect/${pkg}\n`))
      expect(yield* read(`packages/${pkg}/CHANGELOG.md`)).toContain("## 0.1.0")
      const { files } = yield* manifest(pkg)
      expect(files).toContain("CHANGELOG.md")
      expect(files.filter((file) => file.startsWith("test"))).toEqual([])
    }))

  it.effect("claims side effects only for the CLI", () =>
    Effect.gen(function*() {
      const { sideEffects } = yield* manifest(pkg)
      expect(sideEffects).toEqual(
        pkg === "emulator" ? ["./bin/tableau-emulator.js", "./dist/bin.js", "./src/bin.ts"] : false
      )
    }))
})

describe("the workspace's export condition", () => {
  it.effect("is @tableau-effect/source everywhere, never the generic `source`", () =>
    Effect.gen(function*() {
      const files = [
        "tsconfig.base.json",
        "vitest.shared.ts",
        "examples/package.json",
        "packages/client/package.json",
        "packages/node/package.json",
        "packages/emulator/package.json"
      ]
      for (const file of files) {
        const text = yield* read(file)
        expect(text, file).toContain("@tableau-effect/source")
        expect(text, file).not.toMatch(/"source"|--conditions=source\b/)
      }
    }))
})
