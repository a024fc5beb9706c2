/**
 * Where Tableau's XSD is found, for the tests and for scripts/generate-schemas.ts alike:
 * `../shared/reference/ts-api_3_29.xsd` beside the checkout, or beside the nearest folder above
 * it that has one (a git worktree sits deeper than the checkout it belongs to).
 */
import * as fs from "node:fs"
import * as path from "node:path"

/** The path of ts-api_3_29.xsd for the checkout at `root`, or undefined when none is there. */
export const findXsd = (root: string): string | undefined => {
  for (let dir = root;; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "../shared/reference/ts-api_3_29.xsd")
    if (fs.existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) return undefined
  }
}
