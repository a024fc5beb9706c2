#!/usr/bin/env node
// @ts-check
/**
 * Checks the packages as a user gets them: `npm pack` each workspace package, install the three
 * tarballs with the documented install line into an empty project (from the npm registry), and
 * use them there with plain `node`, outside the workspace and its `@tableau-effect/source`
 * condition. Run by .ci/run after the tests; `node scripts/check-packs.mjs` from the root.
 *
 * It needs a build-capable checkout (npm pack runs each package's prepack build) and the npm
 * registry. Everything it starts listens on loopback only, and the temporary directory is
 * removed at the end (kept with KEEP_PACK_DIR=1, for a look inside).
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as url from "node:url"

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), "..")
const packages = ["client", "node", "emulator"]
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
const npx = process.platform === "win32" ? "npx.cmd" : "npx"

/** @type {Array<string>} */
const failures = []
/** @param {string} name @param {boolean} ok @param {string} [detail] */
const check = (name, ok, detail) => {
  console.log(
    `${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? `\n     ${detail.trim().split("\n").join("\n     ")}` : ""}`
  )
  if (!ok) failures.push(name)
}

/** @param {string} command @param {ReadonlyArray<string>} args @param {string} cwd */
const run = (command, args, cwd) => {
  try {
    const stdout = execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    return { ok: true, stdout, stderr: "" }
  } catch (error) {
    const e = /** @type {{ stdout?: string, stderr?: string, message: string }} */ (error)
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr || e.message }
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tableau-effect-packs-"))
const project = path.join(dir, "project")

try {
  // 1. The tarballs and what is in them.
  const packed = run(npm, [
    "pack",
    "--json",
    "--pack-destination",
    dir,
    ...packages.flatMap((p) => ["-w", `packages/${p}`])
  ], root)
  if (!packed.ok) throw new Error(`npm pack failed:\n${packed.stderr}`)
  /** @type {Array<{ name: string, filename: string, files: Array<{ path: string }> }>} */
  const packs = JSON.parse(packed.stdout)
  for (const pack of packs) {
    const files = new Set(pack.files.map((f) => f.path))
    const wanted = ["LICENSE", "README.md", "CHANGELOG.md", "package.json", "dist/index.js", "dist/index.d.ts"]
    const missing = wanted.filter((file) => !files.has(file))
    check(`${pack.name} tarball holds ${wanted.join(", ")}`, missing.length === 0, `missing: ${missing.join(", ")}`)
    const stray = [...files].filter((f) => /^(test|build)\/|\.tsbuildinfo$|\.xsd$|^node_modules\//.test(f))
    check(`${pack.name} tarball holds no tests, build state or schemas`, stray.length === 0, stray.join("\n"))
  }

  // 2. The documented install line, in an empty project, with no peer-dependency complaints;
  // typescript and @types/node to type-check the client's README against the shipped types.
  fs.mkdirSync(project)
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" })
  )
  const installed = run(npm, [
    "install",
    "--no-audit",
    "--no-fund",
    ...packs.map((p) => path.join(dir, p.filename)),
    "effect@^3.22",
    "@effect/platform@^0.97",
    "typescript@~5.9.3",
    "@types/node@^20.19"
  ], project)
  if (!installed.ok) throw new Error(`npm install failed:\n${installed.stderr}`)
  const complaints = installed.stderr.split("\n").filter((line) => /ERESOLVE|peer dep|conflicting peer/i.test(line))
  check(
    "npm install of the tarballs with effect@^3.22 @effect/platform@^0.97: no ERESOLVE or peer warnings",
    complaints.length === 0,
    complaints.join("\n")
  )

  // 3. Plain node, ESM: entries, every listed subpath, package.json, and what must not resolve.
  const probe = `
    import { createRequire } from "node:module"
    const require = createRequire(import.meta.url)
    const results = {}
    const names = ${JSON.stringify(packs.map((p) => p.name))}
    for (const name of names) {
      const manifest = require(name + "/package.json")
      results[name + "/package.json"] = manifest.name === name
      results[name] = Object.keys(await import(name)).length > 0
      for (const key of Object.keys(manifest.exports)) {
        if (key === "." || key === "./package.json") continue
        results[name + key.slice(1)] = Object.keys(await import(name + key.slice(1))).length > 0
      }
    }
    for (const hidden of ["@tableau-effect/emulator/bin", "@tableau-effect/emulator/bin.js", "@tableau-effect/emulator/dist/bin.js", "@tableau-effect/client/internal/auth", "@tableau-effect/client/src/index.ts"]) {
      results["not exported: " + hidden] = await import(hidden).then(() => false, (e) => e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED")
    }
    console.log(JSON.stringify(results))
  `
  for (const conditions of [[], ["--conditions=source"]]) {
    const probed = run(process.execPath, [...conditions, "--input-type=module", "-e", probe], project)
    if (!probed.ok) {
      check(`node ${conditions.join(" ")} imports the packages`, false, probed.stderr)
      continue
    }
    /** @type {Record<string, boolean>} */
    const results = JSON.parse(probed.stdout)
    const prefix = conditions.length > 0 ? `node ${conditions.join(" ")}: ` : "node: "
    for (const name of packs.map((p) => p.name)) {
      const mine = Object.keys(results).filter((key) => key === name || key.startsWith(`${name}/`))
      const broken = mine.filter((key) => !results[key])
      check(
        `${prefix}imports ${name}, its package.json and its ${mine.length - 2} listed modules`,
        broken.length === 0,
        broken.join("\n")
      )
    }
    const hidden = Object.keys(results).filter((key) => key.startsWith("not exported: "))
    const resolved = hidden.filter((key) => !results[key])
    check(
      `${prefix}${hidden.length} private paths do not resolve (the emulator's bin, dist, src, internal)`,
      resolved.length === 0,
      resolved.join("\n")
    )
  }

  // 4. The three packages together, as a user runs them: the CLI-less server on loopback, the Node
  // transport, a PAT sign-in, a list, and the sign-out.
  const together = `
    import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
    import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
    import { TableauNode } from "@tableau-effect/node"
    import { Effect, Layer } from "effect"
    const program = Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, workbooks: 7 })
      const live = TableauSession.layer(Credentials.personalAccessToken({
        tokenName: Fixtures.defaults.admin.patName, tokenSecret: Fixtures.defaults.admin.patSecret, site: ""
      })).pipe(Layer.provide(TableauServer.layer({ url: server.url, apiVersion: "auto" })), Layer.provide(TableauNode.layer()))
      const page = yield* Effect.provide(Workbooks.page(), live)
      const stats = yield* server.emulator.stats
      console.log(JSON.stringify({ items: page.items.length, active: stats.active, signOuts: stats.signOuts }))
    }).pipe(Effect.scoped)
    await Effect.runPromise(program)
  `
  const used = run(process.execPath, ["--input-type=module", "-e", together], project)
  check(
    // The last line: the session logs its sign-in and sign-out at Info before it.
    "client + node + emulator: signs in over loopback, lists 7 workbooks, signs out",
    used.ok && used.stdout.trim().split("\n").at(-1) === JSON.stringify({ items: 7, active: 0, signOuts: 1 }),
    used.ok ? used.stdout : used.stderr
  )

  // 5. The client README's example type-checks against the shipped declarations.
  const readme = fs.readFileSync(path.join(root, "packages/client/README.md"), "utf8")
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? ""
  fs.writeFileSync(path.join(project, "readme.ts"), example)
  fs.writeFileSync(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"]
      },
      files: ["readme.ts"]
    })
  )
  const typed = run(process.execPath, [path.join(project, "node_modules/typescript/bin/tsc"), "-p", "."], project)
  check(
    "the client README's example type-checks against the tarballs",
    example !== "" && typed.ok,
    typed.stdout + typed.stderr
  )

  // 6. The CLI: --version, and `npx tableau-emulator` stopping when npx gets SIGTERM (npx runs it
  // through a shell, which does not pass the signal on).
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "packages/emulator/package.json"), "utf8"))
  const version = run(npx, ["--no-install", "tableau-emulator", "--version"], project)
  check(
    `npx tableau-emulator --version prints ${manifest.version}`,
    version.ok && version.stdout.trim() === manifest.version,
    version.stdout + version.stderr
  )
  const stopped = await cliStopsWithNpx()
  check("npx tableau-emulator stops serving when npx is sent SIGTERM", stopped.ok, stopped.detail)
} catch (error) {
  check("check-packs ran to the end", false, error instanceof Error ? error.message : String(error))
} finally {
  if (process.env.KEEP_PACK_DIR === "1") console.log(`kept ${dir}`)
  else fs.rmSync(dir, { recursive: true, force: true })
}

console.log(failures.length === 0 ? "check-packs: all checks passed" : `check-packs: ${failures.length} failed`)
process.exitCode = failures.length === 0 ? 0 : 1

/** @returns {Promise<{ ok: boolean, detail: string }>} */
async function cliStopsWithNpx() {
  // Its own process group, so whatever is left can be cleaned up at the end whatever happens.
  const child = spawn(npx, ["--no-install", "tableau-emulator", "--port", "0"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true
  })
  let output = ""
  child.stdout.on("data", (chunk) => (output += chunk))
  child.stderr.on("data", (chunk) => (output += chunk))
  try {
    const base = await until(() => /listening on (http:\/\/\S+)/.exec(output)?.[1], 60_000)
    if (base === undefined) return { ok: false, detail: `no URL printed:\n${output}` }
    const served = await fetch(`${base}/api/2.4/serverinfo`).then((r) => r.status, () => 0)
    if (served !== 200) return { ok: false, detail: `serverinfo answered ${served}` }
    child.kill("SIGTERM")
    const refused = await until(
      () => fetch(`${base}/api/2.4/serverinfo`).then(() => undefined, () => true),
      10_000
    )
    return { ok: refused === true, detail: `${base} still answers 10 s after SIGTERM to npx` }
  } finally {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
    } catch {
      // ESRCH: the group is gone already.
    }
  }
}

/**
 * @template A
 * @param {() => A | undefined | Promise<A | undefined>} f
 * @param {number} millis
 * @returns {Promise<A | undefined>}
 */
async function until(f, millis) {
  const deadline = Date.now() + millis
  while (Date.now() < deadline) {
    const value = await f()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return undefined
}
