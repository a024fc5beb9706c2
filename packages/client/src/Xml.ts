/**
 * Reading and writing Tableau's XML: the only module that touches fast-xml-parser.
 *
 * Responses are parsed with attributes kept, namespace prefixes removed, collections always
 * arrays, character references decoded, and any DOCTYPE rejected (no entity expansion attacks);
 * the parsed tree is then decoded with a `Schema` into typed values.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { type MatcherView, XMLParser, XMLValidator } from "fast-xml-parser"
import { CollectionElement } from "./internal/element.js"
import * as Escape from "./internal/escape.js"
import { excerpt, scrubClipped } from "./internal/redact.js"
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
  /** The secrets of the request this answers: never quoted in an error about its body. */
  readonly secrets?: ReadonlyArray<Redacted.Redacted<string>> | undefined
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

// ---------------------------------------------------------------------------------------------
// Scans of the document's frame: plain loops and indexOf, each character looked at a bounded
// number of times, so that no answer (25 empty comments, a megabyte of "<") costs more than
// reading it once.
// ---------------------------------------------------------------------------------------------

const isSpace = (c: string | undefined) => c === " " || c === "\n" || c === "\r" || c === "\t"
const isNameChar = (c: string | undefined) => c !== undefined && /[\w.:-]/.test(c)

// The prolog before the root: the XML declaration, processing instructions, comments and
// whitespace. Gives the index of the root's "<", or -1 when the document has no element.
const rootStart = (text: string): number => {
  let i = 0
  for (;;) {
    while (isSpace(text[i])) i++
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2)
      if (end < 0) return -1
      i = end + 2
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4)
      if (end < 0) return -1
      i = end + 3
    } else {
      return text[i] === "<" ? i : -1
    }
  }
}

interface StartTag {
  readonly prefix: string | undefined
  readonly local: string
  readonly attributes: ReadonlyMap<string, string>
}

// The start tag at `at` ("<" included): its name and attributes, read once left to right.
const startTag = (text: string, at: number): StartTag | undefined => {
  let i = at + 1
  while (isNameChar(text[i])) i++
  const name = text.slice(at + 1, i)
  if (name === "") return undefined
  const attributes = new Map<string, string>()
  for (;;) {
    while (isSpace(text[i])) i++
    const c = text[i]
    if (c === undefined) return undefined
    if (c === ">" || (c === "/" && text[i + 1] === ">")) break
    const nameStart = i
    while (isNameChar(text[i])) i++
    const attribute = text.slice(nameStart, i)
    while (isSpace(text[i])) i++
    if (attribute === "" || text[i] !== "=") return undefined
    i++
    while (isSpace(text[i])) i++
    const quote = text[i]
    if (quote !== "\"" && quote !== "'") return undefined
    const end = text.indexOf(quote, i + 1)
    if (end < 0) return undefined
    attributes.set(attribute, text.slice(i + 1, end))
    i = end + 1
  }
  const colon = name.indexOf(":")
  return colon < 0
    ? { prefix: undefined, local: name, attributes }
    : { prefix: name.slice(0, colon), local: name.slice(colon + 1), attributes }
}

// After the root's end only whitespace, comments and processing instructions may follow: read
// backwards from the end, each piece skipped with one lastIndexOf. Gives where the root ends.
const rootEnd = (text: string): number => {
  let end = text.length
  for (;;) {
    while (end > 0 && isSpace(text[end - 1])) end--
    if (text.endsWith("-->", end)) {
      const open = text.lastIndexOf("<!--", end - 3)
      if (open < 0) return -1
      end = open
    } else if (text.endsWith("?>", end)) {
      const open = text.lastIndexOf("<?", end - 2)
      if (open < 0) return -1
      end = open
    } else {
      return end
    }
  }
}

const isRootName = (name: string) => name === "tsResponse" || name.endsWith(":tsResponse")

// Whether the document ends with the end of a <tsResponse> root (`</tsResponse>` or
// `<tsResponse .../>`), trailer aside.
const closesRoot = (text: string): boolean => {
  const end = rootEnd(text)
  if (end <= 0 || text[end - 1] !== ">") return false
  const open = text.lastIndexOf("<", end - 1)
  if (open < 0) return false
  if (text[open + 1] === "/") {
    let nameEnd = open + 2
    while (isNameChar(text[nameEnd])) nameEnd++
    let i = nameEnd
    while (isSpace(text[i])) i++
    return i === end - 1 && isRootName(text.slice(open + 2, nameEnd))
  }
  if (text[end - 2] !== "/") return false
  const tag = startTag(text, open)
  return tag !== undefined && tag.local === "tsResponse"
}

// The namespace the root declares for its own name (default or prefixed), if it declares one.
const rootNamespace = (tag: StartTag): string | undefined =>
  tag.attributes.get(tag.prefix === undefined ? "xmlns" : `xmlns:${tag.prefix}`)

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
  // The first element is the root; comments and processing instructions before it are skipped,
  // so a namespace written in a comment is never taken for the root's.
  const start = rootStart(trimmed)
  const root = start < 0 ? undefined : startTag(trimmed, start)
  if (root === undefined || root.local !== "tsResponse") {
    return Either.left("the body is not a Tableau <tsResponse> document")
  }
  if (!closesRoot(trimmed)) return Either.left("the XML is truncated: <tsResponse> is never closed")
  // Both scans look for "&"; most answers hold none but the five predefined entities.
  const references = OTHER_REFERENCE.test(text)
  if (references && ILLEGAL_REFERENCE.test(text)) {
    return Either.left("the XML refers to a control character that XML does not allow")
  }
  const namespace = rootNamespace(root)
  if (namespace !== undefined && namespace !== TABLEAU_NAMESPACE) {
    return Either.left(`the document is in the namespace ${JSON.stringify(namespace.slice(0, 80))}, not Tableau's`)
  }
  if (options.validate ?? text.length <= STRICT_LIMIT) {
    const valid = XMLValidator.validate(text)
    if (valid !== true) return Either.left(`the XML is malformed (${valid.err.msg.slice(0, 120)})`)
  }
  try {
    return Either.right(detached((references ? referenceParser : plainParser).parse(text)))
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 120) : "unknown parser failure"
    return Either.left(`the XML is malformed (${reason})`)
  }
}

// To V8 a string of 13 characters or more that the parser cuts out of the body is a slice that
// keeps the whole body alive: the ids of 100,000 workbooks kept by a caller (or by a stream's
// check for repeated items) would keep 43 MB of XML. Each such string of the tree is copied once,
// in place (the copy is a slice of its own text, one character longer): about 6% of the decode of
// a 1000-item page. The parser's value callbacks cannot do it: they keep the old string when the
// new one is equal. The tree is at most maxNestedTags deep.
const SLICED_LENGTH = 13
const detached = (node: unknown): unknown => {
  if (typeof node !== "object" || node === null) return node
  const record = node as Record<string, unknown>
  for (const key in record) {
    const value = record[key]
    if (typeof value === "object") detached(value)
    else if (typeof value === "string" && value.length >= SLICED_LENGTH) record[key] = (" " + value).slice(1)
  }
  return node
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
          excerpt: excerpt(info.body, info.secrets),
          reason: info.secrets === undefined ? reason : scrubClipped(reason, info.secrets, 300),
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
  const actual = first.message.indexOf("actual")
  const message = first._tag === "Missing"
    ? "is missing"
    : actual < 0
    ? first.message
    : first.message.slice(0, actual).trimEnd().replace(/,$/, "")
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
export const escapeAttribute: (value: string) => string = Escape.escapeAttribute

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
