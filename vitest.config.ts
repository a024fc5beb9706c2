import { defineConfig } from "vitest/config"
import projects from "./vitest.workspace.js"

// The root config only names the projects; each project's own vitest.config.ts (merged from
// vitest.shared.ts) holds its settings.
export default defineConfig({
  test: { projects }
})
