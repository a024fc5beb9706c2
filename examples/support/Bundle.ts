/**
 * A TypeScript entry point of the workspace as one script of plain JavaScript, bundled by
 * esbuild (the compiler tsx runs on): itself and the workspace's sources it imports (through the
 * "@tableau-effect/source" condition, as under tsx and vitest), and, when asked, the packages
 * they import from node_modules. Node starts a script that bundles everything in a seventh of
 * the CPU time of `node --import tsx` on the source (0.5 s against 3.8 s on this project's
 * 2-core machines), one that loads its packages from node_modules in under half: tsx's loader
 * hooks answer each of the hundreds of modules effect is made of, one at a time. Bundling
 * everything costs more once (1.3 s of esbuild's CPU against about 0.2 s), so it pays for a
 * script started many times.
 */
import * as esbuild from "esbuild"
import * as url from "node:url"

/** How to bundle: see `bundle`. */
export interface Options {
  /** Bundle the packages from node_modules too (default: load them from node_modules). */
  readonly packages?: "bundle" | "external"
  /**
   * `import.meta.url` in the bundle is the entry point's own URL, so that a one-file program
   * finds the files beside it (an example's credentials.sample.json) wherever its bundle is;
   * not for an entry point whose imports look for files beside themselves.
   */
  readonly asIfAtSource?: boolean
}

/** Bundles `entryPoint` into `outfile`. */
export const bundle = (entryPoint: string, outfile: string, options: Options = {}): Promise<void> =>
  esbuild.build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@tableau-effect/source"],
    logLevel: "error",
    ...(options.asIfAtSource === true
      ? { define: { "import.meta.url": JSON.stringify(url.pathToFileURL(entryPoint).href) } }
      : {}),
    ...(options.packages === "bundle"
      // The CommonJS packages in the bundle call `require`, which an ES module has not.
      // esbuild finds its binary beside its own module, so it stays in node_modules.
      ? { banner: { js: requireBanner }, external: ["esbuild"] }
      : { plugins: [workspaceOnly] })
  }).then(() => undefined)

const requireBanner =
  "import { createRequire as __bundleRequire } from \"node:module\"; const require = __bundleRequire(import.meta.url);"

const workspaceOnly: esbuild.Plugin = {
  name: "packages stay in node_modules",
  setup: (build) =>
    build.onResolve(
      { filter: /^[^./]/ },
      (args) => args.path.startsWith("@tableau-effect/") ? undefined : { external: true }
    )
}
