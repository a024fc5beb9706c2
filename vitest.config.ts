import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.js"

// The root config only names the projects; each project's own vitest.config.ts (merged from
// vitest.shared.ts) holds its settings.
export default defineConfig({
  // A passing test prints nothing (the SDK logs at Info); a failing one keeps its output.
  test: { projects, silent: "passed-only" }
})
