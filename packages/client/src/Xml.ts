/**
 * Reading and writing Tableau's XML: the only module that touches fast-xml-parser.
 *
 * Responses are parsed with attributes kept, namespace prefixes removed, collections always
 * arrays, character references decoded, and any DOCTYPE rejected (no entity expansion attacks);
 * the parsed tree is then decoded with a `Schema` into typed values.
 *
 * @since 0.1.0
 */
import { type MatcherView, XMLParser, XMLValidator } from "fast-xml-parser"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { CollectionElement } from "./internal/element.js"
import { excerpt } from "./internal/redact.js"
import { TableauDecodeError } from "./TableauError.js"

/**
 * What is known about a response when its body is decoded: used to build a useful error.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ResponseInfo {
  readonly status: number
  readonly contentType: string
  readonly url: string
  readonly body: string
}

// `<workbooks><workbook/></workbooks>`: an element whose parent is its plural is a collection
// item, so a collection of one is still an array. This covers every Tableau collection.
const isCollectionItem = (name: string, path: MatcherView): boolean => {
  const jpath = path.toString()
  const suffix = `${name}s.${name}`
  return jpath.endsWith(suffix) && (jpath.length === suffix.length || jpath[jpath.length - suffix.length - 1] === ".")
}

// Namespace prefixes are cut here with one indexOf per name. The parser's own removeNSPrefix
// splits every attribute name twice, a quarter of the parse time of a list page. `xmlns`
// declarations keep their names (the parser would drop them); no schema reads them.
const localName = (name: string): string => {
  const colon = name.indexOf(":")
  return colon < 0 ? name : name.slice(colon + 1)
}
const localAttributeName = (name: string): string => name.startsWith("xmlns") ? name : localName(name)

const options = {
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: false,
  transformTagName: localName,
  transformAttributeName: localAttributeName,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: false,
  // No DOCTYPE is ever accepted, so only the five predefined entities and character references
  // remain: they cannot multiply, and a large page legitimately holds many of them.
  processEntities: {
    enabled: true,
    maxEntityCount: 0,
    maxTotalExpansions: Number.MAX_SAFE_INTEGER,
    maxExpandedLength: Number.MAX_SAFE_INTEGER
  },
  maxNestedTags: 64,
  // Callbacks get the parser's path view, not a path string it would build for every attribute.
  jPath: false,
  isArray: (name: string, path: string | MatcherView, _isLeaf: boolean, isAttribute: boolean) =>
    !isAttribute && typeof path !== "string" && isCollectionItem(name, path)
} as const

// Character references (&#233;) are decoded only by the parser's HTML entity table, which it
// rebuilds on every parse: three times the cost of parsing a small answer. Most answers hold no
// reference but the five predefined entities, so they take the parser without the table.
const plainParser = new XMLParser(options)
const referenceParser = new XMLParser({ ...options, htmlEntities: true })
const OTHER_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)/

const TABLEAU_NAMESPACE = "http://tableau.com/api"
// &#1; and friends: XML 1.0 allows only tab, newline and carriage return below U+0020.
const ILLEGAL_REFERENCE = /&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|x0*(?:[0-8bcef]|1[0-9a-f]));/i
const STRICT_LIMIT = 64 * 1024

// The namespace the root element declares for itself (default or prefixed), if it declares one.
const declaration = (attribute: string) =>
  new RegExp(String.raw`(?:^|\s)${attribute.replace(/\./g, "\\.")}\s*=\s*(?:"([^"]*)"|'([^']*)')`)
// Compiled once: almost every answer declares the default namespace, and compiling a pattern per
// answer costs more than the rest of these checks.
const DEFAULT_DECLARATION = declaration("xmlns")

const rootNamespace = (text: string): string | undefined => {
  const root = /<(?:([A-Za-z_][\w.-]*):)?tsResponse\b([^>]*)>/.exec(text)
  if (root === null) return undefined
  const pattern = root[1] === undefined ? DEFAULT_DECLARATION : declaration(`xmlns:${root[1]}`)
  const declared = pattern.exec(root[2]!)
  return declared === null ? undefined : declared[1] ?? declared[2]
}

const TRAILER = String.raw`(?:\s|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*$`
const closesRoot = new RegExp(
  String.raw`<\/(?:[A-Za-z_][\w.-]*:)?tsResponse\s*>` + TRAILER + "|" +
    String.raw`<(?:[A-Za-z_][\w.-]*:)?tsResponse\b[^<>]*\/>` + TRAILER
)

// The pattern is anchored at the end, but a regex engine still tries it from every "<" of a large
// page. A match in the last few KiB is a match of the whole; only a long trailer needs it all.
const TAIL = 4096
const closesRootTest = (text: string): boolean =>
  closesRoot.test(text.length > TAIL ? text.slice(-TAIL) : text) || (text.length > TAIL && closesRoot.test(text))

/**
 * Options of `parse` and `decode`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ParseOptions {
  /**
   * Check well-formedness first (duplicate attributes, mismatched tags), which the lenient
   * parser lets through. Default: for documents up to 64 KiB; sign-in and serverinfo answers
   * always. Resource reads (list pages and single items) skip it at any size: it would add 40%
   * to their parse time, and every item is still decoded by a schema.
   */
  readonly validate?: boolean
}

/**
 * Parses a Tableau XML document into a plain tree, or says why it is not one.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { Xml } from "@tableau-effect/client"
 *
 * const tree = Xml.parse(`<tsResponse xmlns="http://tableau.com/api"><site id="1"/></tsResponse>`)
 * console.log(Either.isRight(tree))
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const parse = (text: string, options: ParseOptions = {}): Either.Either<unknown, string> => {
  const trimmed = text.trim()
  if (trimmed.length === 0) return Either.left("the body is empty")
  if (trimmed[0] !== "<") {
    return Either.left(trimmed[0] === "{" || trimmed[0] === "[" ? "the body is JSON, not XML" : "the body is not XML")
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return Either.left("the body declares a DOCTYPE, which is never accepted")
  if (/^<!doctype html|^<html/i.test(trimmed)) return Either.left("the body is an HTML page, not Tableau XML")
  if (!closesRootTest(trimmed)) {
    return Either.left(/<(?:[\w.-]+:)?tsResponse\b/.test(trimmed)
      ? "the XML is truncated: <tsResponse> is never closed"
      : "the body is not a Tableau <tsResponse> document")
  }
  // Both scans look for "&"; most answers hold none but the five predefined entities.
  const references = OTHER_REFERENCE.test(text)
  if (references && ILLEGAL_REFERENCE.test(text)) {
    return Either.left("the XML refers to a control character that XML does not allow")
  }
  const namespace = rootNamespace(trimmed)
  if (namespace !== undefined && namespace !== TABLEAU_NAMESPACE) {
    return Either.left(`the document is in the namespace ${JSON.stringify(namespace.slice(0, 80))}, not Tableau's`)
  }
  if (options.validate ?? text.length <= STRICT_LIMIT) {
    const valid = XMLValidator.validate(text)
    if (valid !== true) return Either.left(`the XML is malformed (${valid.err.msg.slice(0, 120)})`)
  }
  try {
    return Either.right((references ? referenceParser : plainParser).parse(text))
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 120) : "unknown parser failure"
    return Either.left(`the XML is malformed (${reason})`)
  }
}

const DECODE_OPTIONS = { errors: "first", onExcessProperty: "ignore" } as const

/**
 * Decodes a response body with a schema of its parsed tree, failing with `TableauDecodeError`.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Xml } from "@tableau-effect/client"
 *
 * const Site = Xml.response({ site: Schema.Struct({ id: Schema.String }) })
 * const program = Xml.decode(Site)({
 *   status: 200, contentType: "application/xml", url: "https://x/api/3.24/sites/1",
 *   body: `<tsResponse xmlns="http://tableau.com/api"><site id="1"/></tsResponse>`
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, options: ParseOptions = {}) => {
  const decodeTree = Schema.decodeUnknownEither(schema, DECODE_OPTIONS)
  return (info: ResponseInfo): Effect.Effect<A, TableauDecodeError> => {
    const fail = (reason: string) =>
      Effect.fail(
        new TableauDecodeError({
          status: info.status,
          contentType: info.contentType,
          excerpt: excerpt(info.body),
          reason,
          url: info.url
        })
      )
    const tree = parse(info.body, options)
    if (Either.isLeft(tree)) return fail(tree.left)
    const decoded = decodeTree(tree.right)
    if (Either.isLeft(decoded)) return fail(`unexpected shape: ${describeIssue(decoded.left)}`)
    return Effect.succeed(decoded.right)
  }
}

// A decode issue names the path and what was expected, never the value found: a value could be
// a token.
const describeIssue = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return "no details"
  const path = first.path.length > 0 ? first.path.join(".") : "document"
  const message = first._tag === "Missing" ? "is missing" : first.message.replace(/,?\s*actual[\s\S]*$/, "")
  return `${path} ${message}`.slice(0, 200)
}

/**
 * The schema of a `<tsResponse>` document with the given children.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Xml } from "@tableau-effect/client"
 *
 * const ServerInfo = Xml.response({ serverInfo: Schema.Struct({ restApiVersion: Schema.String }) })
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const response = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct({ tsResponse: Schema.Struct(fields) })

/**
 * A collection element (`<workbooks>`) decoded as an array of its items (`<workbook>`); an empty
 * `<workbooks/>` or a missing item list is an empty array.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Xml } from "@tableau-effect/client"
 *
 * const Tags = Xml.collection("tag", Schema.Struct({ label: Schema.String }))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const collection = <A, I>(itemName: string, item: Schema.Schema<A, I>) =>
  Schema.transform(
    CollectionElement,
    Schema.Array(item),
    {
      strict: false,
      decode: (element) => (element === "" ? [] : element[itemName] ?? []),
      encode: (items) => ({ [itemName]: items })
    }
  )

/**
 * Escapes a string for use inside a double-quoted XML attribute.
 *
 * @example
 * ```ts
 * import { Xml } from "@tableau-effect/client"
 *
 * console.log(Xml.escapeAttribute(`a&b<"c">'`)) // a&amp;b&lt;&quot;c&quot;&gt;&apos;
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const escapeAttribute = (value: string): string =>
  value.replace(/[&<>"'\r\n\t]/g, (ch) => ESCAPES[ch]!)

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;"
}

/**
 * An element with attributes (undefined ones left out) and children, as XML text.
 *
 * @example
 * ```ts
 * import { Xml } from "@tableau-effect/client"
 *
 * const body = Xml.element("tsRequest", {}, [Xml.element("site", { contentUrl: "Sales & Ops" })])
 * // <tsRequest><site contentUrl="Sales &amp; Ops"/></tsRequest>
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const element = (
  name: string,
  attributes: Readonly<Record<string, string | undefined>> = {},
  children: ReadonlyArray<string> = []
): string => {
  let open = `<${name}`
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) open += ` ${key}="${escapeAttribute(value)}"`
  }
  return children.length === 0 ? `${open}/>` : `${open}>${children.join("")}</${name}>`
}
