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

/**
 * xs:boolean (`"true"`, `"false"`, `"1"`, `"0"`) as a boolean, `true` and `false` in any letter
 * case (tableauserverclient's recorded answers hold `isCertified="True"`, and it reads them so);
 * anything else is a decode error. Written back as `"true"` / `"false"`.
 *
 * @internal
 */
export const BooleanFromString = Schema.transformOrFail(Schema.String, Schema.Boolean, {
  strict: true,
  decode: (text, _, ast) => {
    const word = text.toLowerCase()
    return word === "true" || word === "1"
      ? ParseResult.succeed(true)
      : word === "false" || word === "0"
      ? ParseResult.succeed(false)
      : ParseResult.fail(new ParseResult.Type(ast, text, "Expected true, false, 1 or 0"))
  },
  encode: (value) => ParseResult.succeed(value ? "true" : "false")
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
    : month === 4 || month === 6 || month === 9 || month === 11
    ? 30
    : 31

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, any year (the civil-from-days
// algorithm run backwards). Two dates on every item of a page are read this way: plain arithmetic
// builds no `Date` and no array per timestamp.
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear -
    719_468
}

// The range of instants a JavaScript Date (and so a DateTime) can hold.
const MAX_MILLIS = 8.64e15

/** Milliseconds since the epoch of an xs:dateTime with a zone, or undefined when it names no real instant. @internal */
export const parseDateTime = (text: string): number | undefined => {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hour = Number(match[4])
  const minute = Number(match[5])
  const second = Number(match[6])
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
  const millis = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 +
    fraction - offsetMinutes * 60_000
  // Checked after the offset: an instant a Date cannot hold would make DateTime throw.
  return Math.abs(millis) <= MAX_MILLIS ? millis : undefined
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

/** An xs:integer written with digits and an optional sign (`"-1"`, `"25"`). @internal */
export const IntegerFromString = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^[+-]?\d{1,15}$/, { message: () => "Expected an integer written with digits" })
  ),
  Schema.NumberFromString
).annotations({ identifier: "IntegerFromString" })
