/**
 * The building blocks of `Generated.ts`: how the parsed XML tree of an XSD construct decodes.
 *
 * The parser gives an element with attributes or children as an object, an empty element as
 * `""`, text content as a string, and repeated elements as an array only where Xml.ts guesses a
 * collection; these combinators turn each into the shape the schema says, whatever the parser
 * guessed.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import {
  BooleanFromString,
  CountFromString,
  DateTimeFromString,
  IntegerFromString,
  NumberFromString
} from "./fields.js"

/** xs:boolean. @internal */
export const Boolean = BooleanFromString

/** xs:int, xs:integer, xs:long. @internal */
export const Integer = IntegerFromString

/** xs:nonNegativeInteger, xs:positiveInteger (the bound is the server's business). @internal */
export const Count = CountFromString

/** xs:decimal, xs:double. @internal */
export const Number = NumberFromString

/** xs:dateTime, strictly. @internal */
export const DateTime = DateTimeFromString

/**
 * A string outside the known literals: `string & {}` keeps the literals visible in the union
 * type, where `"a" | string` would collapse to `string`.
 */
const OtherString = Schema.declare(
  (input: unknown): input is string & {} => typeof input === "string",
  { identifier: "string" }
)

/**
 * An open enumeration: the literals the schema lists, and any other string (older servers send
 * values the schema dropped, newer ones values it does not know yet).
 *
 * @internal
 */
export const open = <const Literals extends readonly [string, ...Array<string>]>(...literals: Literals) =>
  Schema.Union(Schema.Literal(...literals), OtherString)

/** An optional attribute or element: absent in the decoded value when absent in the XML. @internal */
export const optional = <S extends Schema.Schema.All>(schema: S): Schema.optionalWith<S, { exact: true }> =>
  Schema.optionalWith(schema, { exact: true })

const asObject = (input: unknown): unknown => (input === "" ? {} : input)

/**
 * A child element of a complex type: `<site/>` (which the parser gives as `""`) is an element
 * without attributes, not a missing one.
 *
 * @internal
 */
export const element = <S extends Schema.Schema.Any>(struct: S): Schema.transform<typeof Schema.Unknown, S> =>
  Schema.transform(Schema.Unknown, struct, { strict: false, decode: asObject, encode: (value) => value })

const asArray = (input: unknown): ReadonlyArray<unknown> => (Array.isArray(input) ? input : [input])

/**
 * A repeated element (`maxOccurs="unbounded"`): always an array, whether the parser made an
 * array of it or, for one item, the item itself.
 *
 * @internal
 */
export const list = <S extends Schema.Schema.Any>(item: S): list<S> =>
  Schema.transform(Schema.Unknown, Schema.Array(item), { strict: false, decode: asArray, encode: (items) => items })

/** The schema of a repeated element. @internal */
export type list<S extends Schema.Schema.Any> = Schema.transform<typeof Schema.Unknown, Schema.Array$<S>>

/** The options of `optionalList`, named so that declarations do not spell out the item type. @internal */
export interface ListDefault {
  readonly exact: true
  readonly default: () => Array<never>
}

/** A repeated element that may be absent: absent is an empty array. @internal */
export const optionalList = <S extends Schema.Schema.Any>(item: S): Schema.optionalWith<list<S>, ListDefault> =>
  Schema.optionalWith(list(item), { exact: true, default: () => [] })

/**
 * An element with text content and attributes (`<productVersion build="x">2024.1.0</productVersion>`),
 * decoded as its attributes plus `text`; the parser gives a string when no attribute is there.
 *
 * @internal
 */
export const text = <S extends Schema.Schema.Any>(struct: S): Schema.transform<typeof Schema.Unknown, S> =>
  Schema.transform(Schema.Unknown, struct, {
    strict: false,
    decode: (input) => {
      if (typeof input === "string") return { text: input }
      if (typeof input !== "object" || input === null) return input
      const { "#text": content, ...attributes } = input as { readonly "#text"?: unknown }
      return { ...attributes, text: content ?? "" }
    },
    encode: (value) => value
  })
