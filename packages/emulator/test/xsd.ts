/**
 * Where the tests find Tableau's XSD: `../shared/reference/ts-api_3_29.xsd` beside the checkout,
 * or beside the nearest folder above it that has one (a git worktree sits deeper).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** The path of ts-api_3_29.xsd, or undefined when no ../shared/reference has it. */
export const xsdPath: string | undefined = (() => {
  for (let dir = root;; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "../shared/reference/ts-api_3_29.xsd")
    if (fs.existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
})()

/** The one line a skipped test says. */
export const missing = "ts-api_3_29.xsd not found: put Tableau's XSD in ../shared/reference/ beside the checkout"
