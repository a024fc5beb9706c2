import * as os from "node:os"
import { defineConfig } from "vitest/config"
import LongestFirst from "./test-support/sequencer.js"
import projects from "./vitest.workspace.js"

// The root config only names the projects (vitest.workspace.ts) and sets up the worker pool;
// vitest.shared.ts holds the projects' settings.
export default defineConfig({
  test: {
    projects,
    // A passing test prints nothing (the SDK logs at Info); a failing one keeps its output.
    silent: "passed-only",
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine,
    // which runs all files one after another while many of them wait on sockets, child processes
    // and timers. At least two (a third on 2 cores starves the timing-sensitive reliability tests
    // and was slower, 118 s against 65 s).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Workers are reused from one test file to the next (a project at a time), so a worker loads
    // effect, @effect/platform and the client (src/Generated.ts is 6,000 lines) once per project,
    // not once per file. Whether modules are kept between files is each project's `isolate`
    // (vitest.shared.ts).
    // The examples' project runs in worker threads (examples/vitest.config.ts): one thread, beside
    // the two forks, which starves nothing as long as the examples' few files are all it runs.
    poolOptions: { forks: { isolate: false }, threads: { maxThreads: 1 } },
    // The longest files first, also in a fresh clone (test-support/sequencer.ts).
    sequence: { sequencer: LongestFirst }
  }
})
