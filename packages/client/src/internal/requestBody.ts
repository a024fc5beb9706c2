/**
 * Request bodies from the generated wire model: a value is encoded by its XSD schema into the
 * parser's tree (text values are attributes, objects are child elements, arrays repeat them),
 * then written as `<tsRequest>` XML, escaped. XML 1.0 cannot carry most control characters, so a
 * value holding one is refused before anything is sent, naming the field.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { TableauRequestError } from "../TableauError.js"
import * as Xml from "../Xml.js"
import * as Luid from "./luid.js"

// Tab, line feed and carriage return are the only characters below U+0020 that XML 1.0 allows;
// U+FFFE, U+FFFF and lone surrogates are not characters at all.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

class Refused {
  constructor(readonly path: string, readonly reason: string) {}
}

const write = (name: string, tree: unknown, path: string): string => {
  if (tree === "" || tree === undefined || tree === null) return Xml.element(name)
  if (typeof tree !== "object") throw new Refused(path, "is not an element")
  const attributes: Record<string, string> = {}
  const children: Array<string> = []
  for (const [key, value] of Object.entries(tree)) {
    const at = `${path}.${key}`
    if (value === undefined) continue
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      const text = String(value)
      if (NOT_XML.test(text)) throw new Refused(at, "holds a control character XML cannot carry")
      attributes[key] = text
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => children.push(write(key, item, `${at}[${index}]`)))
    } else {
      children.push(write(key, value, at))
    }
  }
  return Xml.element(name, attributes, children)
}

// The XSD types ids as plain strings; an id the server would read as another item's, or as a
// path, is refused here.
const checkLuids = (element: string, tree: unknown, paths: ReadonlyArray<string>) => {
  for (const path of paths) {
    let value: unknown = tree
    for (const key of path.split(".")) {
      value = typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined
    }
    if (value !== undefined && !Luid.isLuid(value)) return Effect.fail(Luid.notALuid(`${element}.${path}`, value))
  }
  return Effect.void
}

/**
 * A writer of `<tsRequest><element .../></tsRequest>` for values of `schema`'s type, encoded by
 * it: a value the schema refuses, one holding a control character, or an id at one of the `luids`
 * paths (`parentProjectId`, `owner.id`) that is not a LUID, is a `TableauRequestError`.
 *
 * @internal
 */
export const tsRequest = <A, I>(element: string, schema: Schema.Schema<A, I>, luids: ReadonlyArray<string> = []) => {
  const encode = Schema.encode(schema)
  return (value: A): Effect.Effect<string, TableauRequestError> =>
    encode(value).pipe(
      Effect.mapError((error) =>
        new TableauRequestError({
          parameter: element,
          reason: ParseResult.TreeFormatter.formatErrorSync(error).split("\n").slice(0, 6).join(" ")
        })
      ),
      Effect.tap((tree) => checkLuids(element, tree, luids)),
      Effect.flatMap((tree) =>
        Effect.try({
          try: () => Xml.element("tsRequest", {}, [write(element, tree, element)]),
          catch: (refused) =>
            refused instanceof Refused
              ? new TableauRequestError({ parameter: refused.path, reason: refused.reason })
              : new TableauRequestError({ parameter: element, reason: String(refused) })
        })
      )
    )
}
