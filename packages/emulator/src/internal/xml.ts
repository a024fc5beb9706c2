/**
 * XML in and out: escaping and the `tsResponse` envelope for answers, a guarded parse for
 * request bodies. The only module that touches fast-xml-parser.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import * as ApiError from "./ApiError.js"

const ATTRIBUTE_SPECIALS = /[&<>"'\n\r\t]/g
const TEXT_SPECIALS = /[&<>]/g
const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;",
  "\n": "&#10;",
  "\r": "&#13;",
  "\t": "&#9;"
}
const replace = (char: string): string => REPLACEMENTS[char] ?? char

/** Escapes an attribute value (quotes, angle brackets, ampersands and line breaks). @internal */
export const attr = (value: string): string => value.replace(ATTRIBUTE_SPECIALS, replace)

/** Escapes element text. @internal */
export const text = (value: string): string => value.replace(TEXT_SPECIALS, replace)

/** The XML declaration every Tableau answer starts with. @internal */
export const DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"

/** Wraps inner XML in a `tsResponse` with Tableau's namespace and schema location. @internal */
export const envelope = (schemaVersion: string, inner: string): string =>
  `${DECLARATION}<tsResponse xmlns="http://tableau.com/api" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/ts-api_${
    schemaVersion.replace(".", "_")
  }.xsd">${inner}</tsResponse>`

/** A Tableau error element. @internal */
export const errorElement = (code: string, summary: string, detail: string): string =>
  `<error code="${attr(code)}"><summary>${text(summary)}</summary><detail>${text(detail)}</detail></error>`

// Attributes are read with a prefix, so that an empty element (`<project />`, which the parser
// gives as "") can be told from an empty attribute (`contentUrl=""`); `normalize` takes it off.
const ATTRIBUTE_PREFIX = "@_"

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Numeric character references (&#45;) need it; named HTML entities come along, leniently.
  htmlEntities: true
})

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })

/** A parsed XML element: attributes and child elements by name. @internal */
export type Element = { readonly [key: string]: unknown }

/**
 * The parsed tree with attributes under their own names, and every element an object: an
 * element with neither attributes, children nor text (`<project />`, as Python's ElementTree
 * writes an element with nothing set, which tableauserverclient sends for `projects.get_by_id`)
 * is `{}`, as it would be with attributes, not "". Text stays a string.
 */
const normalize = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(normalize)
  if (value === "") return {}
  if (typeof value !== "object" || value === null) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith(ATTRIBUTE_PREFIX)) out[key.slice(ATTRIBUTE_PREFIX.length)] = child
    else out[key] = normalize(child)
  }
  return out
}

/**
 * Parses a request body as XML. Empty bodies, invalid UTF-8, DOCTYPE declarations and
 * malformed XML all fail with a 400000 error, never a defect.
 *
 * @internal
 */
export const parseBody = (body: Uint8Array): Effect.Effect<Element, ApiError.ApiError> =>
  Effect.suspend(() => {
    let source: string
    try {
      source = decoder.decode(body).trim()
    } catch {
      return Effect.fail(ApiError.badRequest("The request body is not valid UTF-8."))
    }
    if (source.length === 0) return Effect.fail(ApiError.badRequest("The request body is empty."))
    if (/<!DOCTYPE/i.test(source)) {
      return Effect.fail(ApiError.badRequest("Document type declarations are not allowed."))
    }
    if (XMLValidator.validate(source) !== true) return Effect.fail(ApiError.badRequest())
    return Effect.try({
      try: (): unknown => normalize(parser.parse(source)),
      catch: () => ApiError.badRequest()
    }).pipe(Effect.map(asElement))
  })

/** The element when the value is one, otherwise an empty element. @internal */
export const asElement = (value: unknown): Element =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value as Element : {}

/** A child element, or an empty element when missing. @internal */
export const child = (element: Element, name: string): Element => asElement(element[name])

/** Whether a child element is present at all. @internal */
export const hasChild = (element: Element, name: string): boolean => element[name] !== undefined

/** An attribute value as a string, when present. @internal */
export const attribute = (element: Element, name: string): string | undefined => {
  const value = element[name]
  return typeof value === "string" ? value : undefined
}
