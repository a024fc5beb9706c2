/**
 * Checks Tableau XML against Tableau's XML Schema: the emulator's answers in its own tests, the
 * requests an SDK sends, or any document of a user's tests. Validation runs libxml2 (xmllint)
 * compiled to WebAssembly (`xmllint-wasm`), installed by `npm ci` alone: no native tool, no
 * network.
 *
 * The XSD is Tableau's file, read from the path given; Tableau serves one per API version at
 * `https://help.tableau.com/samples/en-us/rest_api/ts-api_3_NN.xsd`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { validateXML } from "xmllint-wasm"

/**
 * Where the XSD is.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** The path of the XSD file, e.g. `../shared/reference/ts-api_3_29.xsd`. */
  readonly xsd: string
  /**
   * Problems to let through, by message: default `knownDefects`. Pass `[]` to see every
   * complaint of the XSD, its own mistakes included.
   */
  readonly allow?: ReadonlyArray<RegExp> | undefined
  /**
   * The namespace of a document whose root declares none, as Tableau reads such a request (the
   * SDK and Tableau's own clients send `<tsRequest>` without one). Default
   * `"http://tableau.com/api"`; `null` validates the document as it is.
   */
  readonly defaultNamespace?: string | null | undefined
}

/**
 * Where Tableau's XSD itself is wrong about what Tableau sends, so a faithful answer fails it.
 * ts-api_3_29.xsd gives `restApiVersion` the pattern of a build number
 * (`[0-9]{5}.[0-9]{2}.[0-9]{4}.[0-9]{4}`), yet every server answers `<restApiVersion>3.24</restApiVersion>`.
 *
 * @since 0.1.0
 * @category Models
 */
export const knownDefects: ReadonlyArray<RegExp> = [
  /^Schemas validity error : Element 'restApiVersion': \[facet 'pattern'\] The value '\d+\.\d+' is not accepted by the pattern '\[0-9\]\{5\}\.\[0-9\]\{2\}\.\[0-9\]\{4\}\.\[0-9\]\{4\}'\.$/
]

/**
 * One complaint of the validator: which document, which line, what is wrong.
 *
 * @since 0.1.0
 * @category Models
 */
export class Problem extends Schema.Class<Problem>("@tableau-effect/emulator/EmulatorSchema/Problem")({
  document: Schema.String,
  line: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/**
 * Some documents do not validate against the XSD: each problem names its document and line.
 *
 * @since 0.1.0
 * @category Errors
 */
export class SchemaViolation extends Schema.TaggedError<SchemaViolation>()("SchemaViolation", {
  xsd: Schema.String,
  problems: Schema.Array(Problem)
}) {
  override get message(): string {
    const shown = this.problems.slice(0, 5).map((problem) =>
      `${problem.document}${problem.line === undefined ? "" : `:${problem.line}`}: ${problem.message}`
    )
    const more = this.problems.length > 5 ? `; and ${this.problems.length - 5} more` : ""
    return `Not valid against ${path.basename(this.xsd)}, fix the XML (or the schema version it is checked against): ${
      shown.join("; ")
    }${more}`
  }
}

/**
 * The validator could not run: the XSD is missing or unreadable, or libxml2 failed.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ValidatorError extends Schema.TaggedError<ValidatorError>()("ValidatorError", {
  xsd: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Could not validate against ${this.xsd}: ${this.reason}. Check the path of the XSD (Tableau serves them at https://help.tableau.com/samples/en-us/rest_api/ts-api_3_NN.xsd)`
  }
}

/**
 * Every way `validate` can fail.
 *
 * @since 0.1.0
 * @category Errors
 */
export type EmulatorSchemaError = SchemaViolation | ValidatorError

const TABLEAU = "http://tableau.com/api"

// Pattern facets quote the value they refuse; for these attributes the value is a secret.
const SECRET_VALUE = /(attribute '(?:token|password|personalAccessTokenSecret|jwt|secret)'[^']*?The value )'[^']*'/g

const clean = (message: string): string =>
  message.replace(/\{http:\/\/tableau\.com\/api\}/g, "").replace(SECRET_VALUE, "$1<redacted>")

const ROOT = /^(\s*(?:<\?[\s\S]*?\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<)([A-Za-z_][\w.-]*)((?:\s[^>]*?)?)(\/?>)/

// The document with `xmlns` on its root when the root has no namespace of its own.
const withNamespace = (xml: string, namespace: string | null): string => {
  if (namespace === null) return xml
  const root = ROOT.exec(xml)
  if (root === null || root[2]!.includes(":") || /\sxmlns\s*=/.test(root[3]!)) return xml
  return `${root[1]}${root[2]}${root[3]} xmlns="${namespace}"${root[4]}${xml.slice(root[0].length)}`
}

/**
 * Validates one document, or several named ones at once (one run of the validator, so one
 * compilation of the XSD), against the XSD at `options.xsd`. Succeeds with nothing when every
 * document is valid (but for the XSD's `knownDefects`); fails with `SchemaViolation` listing
 * the problems, or `ValidatorError` when the validator cannot run.
 *
 * @example
 * ```ts
 * import { EmulatorSchema } from "@tableau-effect/emulator"
 *
 * const check = EmulatorSchema.validate(
 *   `<tsRequest xmlns="http://tableau.com/api"><site contentUrl="Sales"/></tsRequest>`,
 *   { xsd: "../shared/reference/ts-api_3_29.xsd" }
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const validate = (
  xml: string | Readonly<Record<string, string>>,
  options: Options
): Effect.Effect<void, EmulatorSchemaError> =>
  Effect.gen(function*() {
    const documents = typeof xml === "string" ? { document: xml } : xml
    const names = Object.keys(documents)
    if (names.length === 0) return
    const xsd = yield* Effect.tryPromise({
      try: () => fs.readFile(options.xsd, "utf8"),
      catch: (error) =>
        new ValidatorError({
          xsd: options.xsd,
          reason: error instanceof Error && "code" in error && error.code === "ENOENT"
            ? "no such file"
            : "the file cannot be read"
        })
    })
    // xmllint takes file names as arguments: numbered names, never one a user chose.
    const fileName = (index: number) => `document${index}.xml`
    const result = yield* Effect.tryPromise({
      try: () =>
        validateXML({
          xml: names.map((name, index) => ({
            fileName: fileName(index),
            contents: withNamespace(
              documents[name]!,
              options.defaultNamespace === undefined ? TABLEAU : options.defaultNamespace
            )
          })),
          schema: [{ fileName: "schema.xsd", contents: xsd }],
          maxMemoryPages: 4096
        }),
      catch: (error) =>
        new ValidatorError({
          xsd: options.xsd,
          reason: error instanceof Error ? error.message.slice(0, 200) : "libxml2 failed"
        })
    })
    if (result.valid) return
    const byFile = new Map(names.map((name, index) => [fileName(index), name]))
    const allow = options.allow ?? knownDefects
    const problems = result.errors
      .map((error) => ({ error, message: clean(error.message) }))
      // "documentN.xml fails to validate" sums up the problems listed before it.
      .filter(({ error, message }) => !(error.loc === null && / fails to validate$/.test(message)))
      .filter(({ message }) => !allow.some((pattern) => pattern.test(message)))
      .map(({ error, message }) =>
        new Problem({
          document: byFile.get(error.loc?.fileName ?? "") ?? path.basename(options.xsd),
          ...(error.loc?.lineNumber === undefined ? {} : { line: error.loc.lineNumber }),
          message
        })
      )
    if (problems.length === 0) return
    return yield* new SchemaViolation({ xsd: options.xsd, problems })
  })
