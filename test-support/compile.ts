/**
 * One script of plain JavaScript for a test file that starts a workspace entry point as a Node
 * process: compiled once for the file, before its first test, by the esbuild that tsx itself
 * compiles with, and removed after its last. Each process then starts in half the CPU time of
 * `node --import tsx` (whose loader hooks answer every import, effect's included). Only the
 * workspace's sources go into the script (through the "@tableau-effect/source" condition, as
 * under vitest); every other package loads from node_modules, as under tsx.
 */
import { afterAll, beforeAll } from "@effect/vitest"
import type * as Esbuild from "esbuild"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild") as typeof Esbuild

/**
 * Registers the compilation of `entryPoint` (before all tests of the calling file) and the
 * removal of its output (after all of them), and returns the path of the script:
 * `<outDir>/<entry name>.test.<pid>.mjs`. Put `outDir` where the script should find what its
 * source finds by relative paths (a package's build/, ignored by git and not published).
 */
export const compileOnce = (entryPoint: string, outDir: string): string => {
  const outfile = path.join(outDir, `${path.basename(entryPoint, path.extname(entryPoint))}.test.${process.pid}.mjs`)
  beforeAll(() =>
    esbuild.build({
      entryPoints: [entryPoint],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@tableau-effect/source"],
      logLevel: "error",
      plugins: [{
        name: "packages stay in node_modules",
        setup: (build) =>
          build.onResolve(
            { filter: /^[^./]/ },
            (args) => args.path.startsWith("@tableau-effect/") ? undefined : { external: true }
          )
      }]
    })
  )
  afterAll(() => fs.rmSync(outfile, { force: true }))
  return outfile
}
