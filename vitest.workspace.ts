import { fileURLToPath } from "node:url"
import type { TestProjectConfiguration } from "vitest/config"
import shared from "./vitest.shared.js"

// The projects `npm test` runs; the root vitest.config.ts hands this list to `test.projects`, so
// vitest no longer reads this file as a (deprecated) workspace file, yet the layout keeps it
// where it is named.
//
// The three packages are one project: vitest runs the projects one after the other (each in
// workers of its own: a worker loads effect, @effect/platform and the client's sources afresh for
// each project), and a project's last file keeps one worker busy while the other has nothing
// left to do. As one project a worker keeps the modules it loaded from one package's files to
// the next, and files of one package fill the gaps of another's: on this 2-core machine the whole
// suite took 85 and 87 s instead of 97 and 98 s, and 7-19 s less CPU while other runs shared the
// cores. Each package's own vitest.config.ts (the same settings) runs its tests alone from its
// folder: `cd packages/node && npx vitest`; from the root, name a folder: `npx vitest run
// packages/node`.
//
// The examples stay a project of their own: they keep modules per file for their vi.mock, in a
// worker thread that runs beside the packages' forks (examples/vitest.config.ts).
const projects: Array<TestProjectConfiguration> = [
  {
    ...shared,
    test: {
      ...shared.test,
      name: "packages",
      root: fileURLToPath(new URL(".", import.meta.url)),
      include: ["packages/*/test/**/*.test.ts"]
    }
  },
  "examples"
]

export default projects
