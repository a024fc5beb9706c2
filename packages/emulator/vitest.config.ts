import { mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// This package's tests alone, run from its folder (`npx vitest`); `npm test` at the root runs the
// three packages as one project (vitest.workspace.ts) with the same settings.
export default mergeConfig(shared, {})
