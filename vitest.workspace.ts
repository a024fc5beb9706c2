import { defineWorkspace } from "vitest/config"

// One vitest project per package (each has its own vitest.config.ts), as Effect's v3 repository does.
export default defineWorkspace(["packages/*", "examples"])
