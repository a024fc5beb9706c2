/**
 * One script of plain JavaScript for a test file that starts a workspace entry point as a Node
 * process: bundled once for the file, before its first test (examples/support/Bundle.ts), and
 * removed after its last. Each process then starts in a seventh of the CPU time of
 * `node --import tsx` on the source.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { bundle } from "../examples/support/Bundle.js"

/**
 * Registers the bundling of `entryPoint` (before all tests of the calling file) and the
 * removal of its output (after all of them), and returns the path of the script:
 * `<outDir>/<entry name>.test.<pid>.mjs`. Put `outDir` where the script should find what its
 * source finds by relative paths (a package's build/, ignored by git and not published).
 */
export const compileOnce = (entryPoint: string, outDir: string): string => {
  const outfile = path.join(outDir, `${path.basename(entryPoint, path.extname(entryPoint))}.test.${process.pid}.mjs`)
  beforeAll(() => bundle(entryPoint, outfile, { packages: "bundle" }))
  afterAll(() => fs.rmSync(outfile, { force: true }))
  return outfile
}
