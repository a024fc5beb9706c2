/**
 * The order in which `npm test` starts its files: the longest first, so that no long file
 * starts last and runs on alone while the other worker has nothing left to do. Vitest starts
 * files by the durations it remembers from the last run (in node_modules/.vite), longest first;
 * a fresh clone, as in CI, has none, and vitest then starts the largest files first, which put
 * the 9-second load test among the last (a fresh clone's run took 100 s, the next one 85 s).
 * These files took longest in the runs measured on 2 cores; they start first, in this order, and
 * the others follow in vitest's order. A file missing from the list only starts later.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node"

const LONGEST = [
  "packages/client/test/reliability/lifecycle.test.ts", // 30-41 s
  "packages/client/test/Pagination.test.ts", // 11-20 s
  "examples/test/processes.test.ts", // 11-17 s
  "packages/client/test/reliability/load.test.ts", // 9 s
  "examples/test/secrets.test.ts", // 3-10 s
  "packages/emulator/test/bin.test.ts", // 6-8 s
  "packages/client/test/Xml.test.ts", // 5-6 s
  "packages/client/test/reliability/linear-scans.test.ts", // 4-6 s
  "packages/client/test/reliability/hostile-servers.test.ts", // 3-7 s
  "packages/node/test/TableauRuntime.test.ts" // 3-6 s
]

const rank = (file: TestSpecification): number => {
  const index = LONGEST.findIndex((name) => file.moduleId.endsWith(name))
  return index < 0 ? LONGEST.length : index
}

/** Vitest's order, the files known to take longest moved to the front. */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}
