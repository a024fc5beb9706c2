/**
 * Schemas of the attribute values Tableau sends as strings: booleans, numbers, counts, dates.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** A field or attribute name as Tableau spells them: `name`, `projectName`, `owner.name`, `_all_`. @internal */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/

/** `"true"` / `"false"` (and xs:boolean's `"1"` / `"0"`) as a boolean; anything else is a decode error. @internal */
export const BooleanFromString = Schema.transform(Schema.Literal("true", "false", "1", "0"), Schema.Boolean, {
  strict: true,
  decode: (text) => text === "true" || text === "1",
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

// xs:dateTime as Tableau writes it: date, time, optional fraction, and a zone (Z or an offset).
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

const daysIn = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28)
    : [4, 6, 9, 11].includes(month)
    ? 30
    : 31

/** Milliseconds since the epoch of an xs:dateTime with a zone, or undefined when it names no real instant. @internal */
export const parseDateTime = (text: string): number | undefined => {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const zone = match[8]!
  let offsetMinutes = 0
  if (zone !== "Z") {
    const hours = Number(zone.slice(1, 3))
    const minutes = Number(zone.slice(4, 6))
    if (hours > 14 || minutes > 59) return undefined
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes)
  }
  const fraction = match[7] === undefined ? 0 : Math.floor(Number(`0${match[7]}`) * 1000)
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, fraction))
  date.setUTCFullYear(year)
  const millis = date.getTime() - offsetMinutes * 60_000
  return Number.isFinite(millis) ? millis : undefined
}

/**
 * An xs:dateTime (`2016-08-03T20:34:04Z`) as a `DateTime.Utc`, checked strictly: a day that does
 * not exist (`2016-06-31`), a bare number or free text (`June 5, 2016`) fails, where
 * `Schema.DateTimeUtc` would let `new Date` roll it over or guess. An offset is converted to UTC;
 * a time without a zone fails (Tableau always writes `Z`).
 *
 * @internal
 */
export const DateTimeFromString = Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
  strict: true,
  decode: (text, _, ast) => {
    const millis = parseDateTime(text)
    return millis === undefined
      ? ParseResult.fail(
        new ParseResult.Type(ast, text, "Expected an ISO 8601 UTC timestamp such as 2016-08-03T20:34:04Z")
      )
      : ParseResult.succeed(DateTime.unsafeMake(millis))
  },
  encode: (value) => ParseResult.succeed(DateTime.formatIso(value).replace(/\.000Z$/, "Z"))
}).annotations({ identifier: "DateTimeFromString" })

/** An optional attribute, absent in the decoded value when absent in the XML. @internal */
export const optional = <A, I>(schema: Schema.Schema<A, I>) => Schema.optionalWith(schema, { exact: true })

/** An xs:integer written with digits and an optional sign (`"-1"`, `"25"`). @internal */
export const IntegerFromString = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^[+-]?\d{1,15}$/, { message: () => "Expected an integer written with digits" })
  ),
  Schema.NumberFromString
).annotations({ identifier: "IntegerFromString" })
