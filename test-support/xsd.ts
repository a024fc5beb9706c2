/**
 * Tableau's XSD for the tests (see findXsd.ts). The tests that need it are skipped
 * (`skipIf`) when it is absent, and one warning says why.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { findXsd } from "./findXsd.js"

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The path of ts-api_3_29.xsd, or undefined when no ../shared/reference has it. */
export const xsdPath: string | undefined = findXsd(root)

if (xsdPath === undefined) {
  process.emitWarning(
    "ts-api_3_29.xsd not found: the tests against Tableau's XSD are skipped. Put it in ../shared/reference/ beside the checkout."
  )
}
