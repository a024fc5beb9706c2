/**
 * Where the tests find Tableau's XSD: `../shared/reference/ts-api_3_29.xsd` beside the checkout,
 * or beside the nearest folder above it that has one (a git worktree sits deeper). The tests
 * that need it are `skipIf` it is absent; the warning says why they were skipped.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The path of ts-api_3_29.xsd, or undefined when no ../shared/reference has it. */
export const xsdPath: string | undefined = (() => {
  for (let dir = root;; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "../shared/reference/ts-api_3_29.xsd")
    if (fs.existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
})()

if (xsdPath === undefined) {
  process.emitWarning(
    "ts-api_3_29.xsd not found: the tests against Tableau's XSD are skipped. Put it in ../shared/reference/ beside the checkout."
  )
}
