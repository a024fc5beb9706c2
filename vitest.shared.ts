import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

// Tests import the workspace packages by name; the "@tableau-effect/source" export condition maps them to
// src/*.ts, so `npm test` needs no build step.
const config: ViteUserConfig = {
  resolve: { conditions: ["@tableau-effect/source"] },
  ssr: { resolve: { conditions: ["@tableau-effect/source"], externalConditions: ["@tableau-effect/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // No file leaves global state behind (spies are restored, environment variables put back,
    // no fake timers), so a worker keeps the modules it loaded for the next file of its project;
    // the setup file undoes what @effect/vitest's `layer` leaves on `it`.
    isolate: false,
    setupFiles: [fileURLToPath(new URL("./vitest.setup.ts", import.meta.url))]
  }
}

export default config
