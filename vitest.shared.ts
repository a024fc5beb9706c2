import type { ViteUserConfig } from "vitest/config"

// Tests import the workspace packages by name; the "@tableau-effect/source" export condition maps them to
// src/*.ts, so `npm test` needs no build step.
const config: ViteUserConfig = {
  resolve: { conditions: ["@tableau-effect/source"] },
  ssr: { resolve: { conditions: ["@tableau-effect/source"], externalConditions: ["@tableau-effect/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000
  }
}

export default config
