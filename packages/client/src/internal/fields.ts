/**
 * Schemas of the attribute values Tableau sends as strings: booleans, numbers, counts, dates,
 * and the nested project, owner and tags of content items.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { CollectionElement } from "./element.js"

/** A field or attribute name as Tableau spells them: `name`, `projectName`, `owner.name`, `_all_`. @internal */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/

/** `"true"` / `"false"` as a boolean; anything else is a decode error. @internal */
export const BooleanFromString = Schema.transform(Schema.Literal("true", "false"), Schema.Boolean, {
  strict: true,
  decode: (text) => text === "true",
  encode: (value) => (value ? "true" : "false")
}).annotations({ identifier: "BooleanFromString" })

/** A finite number written as a string (`"1"`, `"-1"`, `"2.5"`). @internal */
export const NumberFromString = Schema.NumberFromString.pipe(Schema.finite()).annotations({
  identifier: "NumberFromString"
})

/** A non-negative integer written with digits only (`"0"`, `"100"`): no sign, no exponent. @internal */
export const CountFromString = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^\d{1,15}$/, { message: () => "Expected a non-negative integer written with digits" })
  ),
  Schema.NumberFromString
).annotations({ identifier: "CountFromString" })

/** An ISO 8601 timestamp (`2016-08-03T20:34:04Z`) as a `DateTime.Utc`. @internal */
export const DateTimeFromString = Schema.DateTimeUtc

/** An optional attribute, absent in the decoded value when absent in the XML. @internal */
export const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })

/** `<project id="..." name="..."/>` inside a content item. @internal */
export const ProjectRef = Schema.Struct({
  id: Schema.String,
  name: Schema.String
})

/** `<owner id="..." name="..."/>` inside a content item; `name` only when Tableau sends it. @internal */
export const OwnerRef = Schema.Struct({
  id: Schema.String,
  name: optional(Schema.String)
})

/** `<tags><tag label="a"/></tags>` as `["a"]`; `<tags/>` or no `<tags>` at all as `[]`. @internal */
export const Tags = Schema.optionalWith(
  // One pass over <tags><tag label=".."/></tags>, rather than a collection schema of tag structs
  // mapped to labels: tags sit in every workbook, so their cost counts on every page.
  Schema.transformOrFail(CollectionElement, Schema.Array(Schema.String), {
    strict: true,
    decode: (element, _, ast) => {
      if (element === "") return ParseResult.succeed([])
      const tags: unknown = element["tag"] ?? []
      if (!Array.isArray(tags)) return ParseResult.fail(new ParseResult.Type(ast, element, "Expected <tag> elements"))
      const labels: Array<string> = []
      for (const tag of tags) {
        const label: unknown = typeof tag === "object" && tag !== null ? (tag as { readonly label?: unknown }).label : undefined
        if (typeof label !== "string") return ParseResult.fail(new ParseResult.Type(ast, element, "Expected a <tag> with a label"))
        labels.push(label)
      }
      return ParseResult.succeed(labels)
    },
    encode: (labels) => ParseResult.succeed({ tag: labels.map((label) => ({ label })) })
  }),
  { default: () => [] }
)
