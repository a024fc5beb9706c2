import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const read = (file: string) => Effect.sync(() => fs.readFileSync(path.resolve(packageDir, file), "utf8"))

describe("the README", () => {
  // The test example is a file that runs in `npm test`; the README shows it whole, so a copied
  // example is one that passes.
  it.effect("shows the test example exactly as packages/client/test/EmulatorReadme.test.ts runs it", () =>
    Effect.gen(function*() {
      const readme = yield* read("README.md")
      const section = readme.slice(readme.indexOf("## In tests: the layer"))
      const block = /```ts\n([\s\S]*?)```\n/.exec(section)?.[1]
      expect(block).toBe(yield* read("../client/test/EmulatorReadme.test.ts"))
    }))
})
