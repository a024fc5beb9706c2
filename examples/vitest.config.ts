import { mergeConfig } from "vitest/config"
import shared from "../vitest.shared.js"

// examples.test.ts and secrets.test.ts `vi.mock` @tableau-effect/node: each file gets modules of
// its own, so one file's mock never reaches another. In worker threads: vitest runs the files of
// one pool project by project (the packages' forks, then these), but pools side by side, so the
// examples run while the packages' tests do instead of after them (the root config gives this
// pool one thread).
export default mergeConfig(shared, { test: { isolate: true, pool: "threads" } })
