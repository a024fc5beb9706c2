import { mergeConfig } from "vitest/config"
import shared from "../vitest.shared.js"

// examples.test.ts and secrets.test.ts `vi.mock` @tableau-effect/node: each file gets modules of
// its own, so one file's mock never reaches another.
export default mergeConfig(shared, { test: { isolate: true } })
