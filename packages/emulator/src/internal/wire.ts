/**
 * Rendering through the client's generated wire model: an element's attributes are named and
 * typed by the XSD type it is an instance of, and encoded by that type's schema, so an answer
 * cannot carry an attribute the schema does not have or a value it would not read back.
 *
 * @internal
 */
import { Generated as _Generated } from "@tableau-effect/client"
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import { attr } from "./xml.js"

/** The generated module, re-exported for the renderers. @internal */
export const Generated = _Generated

/**
 * The attributes of a generated struct: the fields whose encoded form is text, with their
 * decoded values (a `DateTime.Utc` for a date, a number for a count).
 *
 * @internal
 */
export type Attributes<Fields extends Schema.Struct.Fields> = AttributesOf<
  Schema.Struct.Encoded<Fields>,
  Schema.Struct.Type<Fields>
>

type AttributesOf<Encoded, Type> = {
  readonly [K in keyof Encoded & keyof Type as Encoded[K] extends string | undefined ? K : never]?: Type[K] | undefined
}

type Encode = (values: unknown) => Readonly<Record<string, unknown>>

// One encoder per schema and set of attribute names: a catalog renders thousands of workbooks
// with the same few names.
const encoders = new WeakMap<object, Map<string, Encode>>()

const encoderFor = <Fields extends Schema.Struct.Fields>(
  schema: Schema.Struct<Fields>,
  keys: ReadonlyArray<string>
): Encode => {
  let bySchema = encoders.get(schema)
  if (bySchema === undefined) {
    bySchema = new Map()
    encoders.set(schema, bySchema)
  }
  const id = keys.join(" ")
  let encode = bySchema.get(id)
  if (encode === undefined) {
    // The generated structs need no context; the picked fields lose that in their type only.
    const picked = Schema.Struct(
      Object.fromEntries(keys.map((key) => [key, schema.fields[key]!]))
    ) as unknown as Schema.Schema<
      Readonly<Record<string, unknown>>,
      Readonly<Record<string, unknown>>
    >
    encode = Schema.encodeUnknownSync(picked)
    bySchema.set(id, encode)
  }
  return encode
}

// Tableau writes xs:dateTime to the second (`2016-08-03T20:34:04Z`), and clients read it so:
// tableauserverclient's parser takes `%Y-%m-%dT%H:%M:%SZ` only, and reads a time with
// milliseconds as no time at all (its wait_for_job then never sees a job end).
const toSecond = (value: unknown): unknown =>
  DateTime.isDateTime(value) ? DateTime.unsafeMake(Math.floor(DateTime.toEpochMillis(value) / 1000) * 1000) : value

/**
 * `<name a="..." ...>children</name>` (or `<name .../>`): the attributes in the order given,
 * undefined ones left out, each encoded by `schema` (times to the second, as Tableau writes
 * them). A value the schema refuses is a defect: the emulator's data is wrong, not the request.
 *
 * @internal
 */
export const element = <Fields extends Schema.Struct.Fields>(
  name: string,
  schema: Schema.Struct<Fields>,
  attributes: Attributes<Fields>,
  children = ""
): string => {
  const values = attributes as Readonly<Record<string, unknown>>
  const keys = Object.keys(values).filter((key) => values[key] !== undefined)
  const encoded = encoderFor(schema, keys)(Object.fromEntries(keys.map((key) => [key, toSecond(values[key])])))
  let open = `<${name}`
  for (const key of keys) open += ` ${key}="${attr(String(encoded[key]))}"`
  return children.length === 0 ? `${open}/>` : `${open}>${children}</${name}>`
}
