/**
 * `npm run examples`: runs every example in its own process, against the embedded emulator (or
 * the server in TABLEAU_SERVER_URL), and fails if one fails.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import * as url from "node:url"

export const examples = [
  "pat.ts",
  "username-password.ts",
  "jwt.ts",
  "impersonation.ts",
  "redirect-405.ts",
  "sign-out.ts",
  "scoped-block.ts",
  "switch-site.ts",
  "custom-ca.ts"
] as const

const here = path.dirname(url.fileURLToPath(import.meta.url))
const failed: Array<string> = []
for (const file of examples) {
  console.log(`\n=== ${file}`)
  const run = spawnSync(process.execPath, ["--conditions=@tableau-effect/source", "--import", "tsx", path.join(here, file)], {
    stdio: "inherit",
    timeout: 60_000
  })
  if (run.status !== 0) failed.push(`${file} (exit ${run.status ?? run.signal})`)
}
console.log(failed.length === 0 ? `\nAll ${examples.length} examples passed.` : `\nFailed: ${failed.join(", ")}`)
process.exitCode = failed.length === 0 ? 0 : 1
