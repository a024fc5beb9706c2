import { describe, expect, it } from "@effect/vitest"
import { Pagination, Projects, Sites, Users, Workbooks as WorkbookResource, Xml } from "@tableau-effect/client"
import { Effect, Either, ParseResult, Schema } from "effect"
import * as fc from "fast-check"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { CollectionElement } from "../src/internal/element.js"
import { unescapeAttribute } from "../src/internal/escape.js"
import { excerpt } from "../src/internal/redact.js"
import { single } from "../src/internal/resource.js"

const info = (body: string): Xml.ResponseInfo => ({
  status: 200,
  contentType: "application/xml",
  url: "https://x/api",
  body
})

const Workbooks = Xml.response({
  workbooks: Xml.collection(
    "workbook",
    Schema.Struct({
      id: Schema.String,
      tags: Xml.collection("tag", Schema.Struct({ label: Schema.String }))
    })
  )
})

describe("Xml", () => {
  it.effect("a collection of one is an array; an empty collection is empty", () =>
    Effect.gen(function*() {
      const one = yield* Xml.decode(Workbooks)(info(
        `<tsResponse xmlns="http://tableau.com/api"><workbooks><workbook id="w1"><tags><tag label="a"/></tags></workbook></workbooks></tsResponse>`
      ))
      expect(one.tsResponse.workbooks).toEqual([{ id: "w1", tags: [{ label: "a" }] }])
      const none = yield* Xml.decode(Workbooks)(
        info(`<tsResponse xmlns="http://tableau.com/api"><workbooks/></tsResponse>`)
      )
      expect(none.tsResponse.workbooks).toEqual([])
    }))

  it.effect("reads prefixed element and attribute names by their local names, a prefixed collection of one still an array", () =>
    Effect.gen(function*() {
      const body =
        `<t:tsResponse xmlns:t="http://tableau.com/api" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
        `xsi:schemaLocation="x"><t:workbooks><t:workbook t:id="w1"><t:tags><t:tag label="a"/></t:tags></t:workbook>` +
        `</t:workbooks></t:tsResponse>`
      const decoded = yield* Xml.decode(Workbooks)(info(body))
      expect(decoded.tsResponse.workbooks).toEqual([{ id: "w1", tags: [{ label: "a" }] }])
      const tree = Xml.parse(body)
      expect(Either.isRight(tree) && (tree.right as { tsResponse: Record<string, unknown> }).tsResponse).toMatchObject({
        schemaLocation: "x",
        "xmlns:t": "http://tableau.com/api"
      })
    }))

  it("decodes character references and keeps values as strings", () => {
    const tree = Xml.parse(`<tsResponse><site name="R&amp;D &#38; &#x3C;EU&#x3E;" size="007"/></tsResponse>`)
    expect(tree).toEqual(Either.right({ tsResponse: { site: { name: "R&D & <EU>", size: "007" } } }))
  })

  it("decodes the five predefined entities once, with or without character references in the body", () => {
    const site = `<site name="&amp;#233; &lt;b&gt; &quot;q&quot; &apos;a&apos;"/>`
    const expected = { name: `&#233; <b> "q" 'a'` }
    expect(Xml.parse(`<tsResponse>${site}</tsResponse>`)).toEqual(Either.right({ tsResponse: { site: expected } }))
    expect(Xml.parse(`<tsResponse>${site}<x n="&#233;"/></tsResponse>`)).toEqual(
      Either.right({ tsResponse: { site: expected, x: { n: "é" } } })
    )
  })

  it("finds the end of <tsResponse> before a trailer longer than the tail it looks at first", () => {
    const doc = `<tsResponse><site name="a"/></tsResponse>`
    const trailer = `<!-- ${"x".repeat(10_000)} -->\n`
    expect(Xml.parse(`${doc}${trailer}`)).toEqual(Either.right({ tsResponse: { site: { name: "a" } } }))
    expect(Xml.parse(`${"<!-- pad -->".repeat(1000)}<tsResponse><site name="a"/>`)).toEqual(
      Either.left("the XML is truncated: <tsResponse> is never closed")
    )
  })

  it("rejects any DOCTYPE, even a harmless one", () => {
    expect(Xml.parse(`<!DOCTYPE tsResponse><tsResponse/>`)).toEqual(
      Either.left("the body declares a DOCTYPE, which is never accepted")
    )
  })

  it("builds elements with escaped attributes and leaves out undefined ones", () => {
    expect(Xml.element("site", { contentUrl: `a&b<c>"d"'e'`, skip: undefined })).toBe(
      `<site contentUrl="a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;"/>`
    )
    expect(Xml.element("a", {}, ["<b/>"])).toBe("<a><b/></a>")
  })

  it("an escaped attribute value reads back as the string itself, and the parser agrees", () => {
    // The request pipeline reads a sign-in body's secrets back this way to scrub echoes of them.
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "&", "<", ">", "\"", "'", "\r", "\n", "\t", ";", "#", "1") }),
        (value) => {
          const escaped = Xml.escapeAttribute(value)
          expect(unescapeAttribute(escaped)).toBe(value)
          const document = `<tsResponse xmlns="http://tableau.com/api"><x v="${escaped}"/></tsResponse>`
          const parsed = Either.getOrThrow(Xml.parse(document)) as { tsResponse: { x: { v: string } } }
          expect(parsed.tsResponse.x.v).toBe(value)
        }
      )
    )
    expect(unescapeAttribute("&amp;lt; &#38; &nbsp;")).toBe("&lt; &#38; &nbsp;")
  })

  it("excerpts are short, one line, and hide token-like attributes", () => {
    const e = excerpt(`<x token="abc" password='p'>\n${"y".repeat(500)}</x>`)
    expect(e.length).toBeLessThanOrEqual(200)
    expect(e).not.toContain("abc")
    expect(e).toContain(`token="<redacted>"`)
    expect(e).not.toContain("\n")
  })

  it.effect("a wrong shape names the path, not the value", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Xml.decode(Workbooks)(info(`<tsResponse><workbooks><workbook name="x"/></workbooks></tsResponse>`))
      )
      expect(error.reason).toBe("unexpected shape: tsResponse.workbooks.0.id is missing")
    }))
})

// ---------------------------------------------------------------------------------------------
// Collections decode through a compiled decoder; Schema decides whenever it declines
// ---------------------------------------------------------------------------------------------

const OPTIONS = [
  { errors: "first", onExcessProperty: "ignore" },
  { errors: "all", onExcessProperty: "ignore" }
] as const

type Kind =
  | "string"
  | "boolean"
  | "number"
  | "count"
  | "integer"
  | "location"
  | "date"
  | "ref"
  | "tags"
  | "kind"
  | "nullable"
  | "maybe"
  | "meta"
  | "pair"

// What each attribute holds when it is well formed: the four resources, then Datasource below.
const KINDS: Readonly<Record<string, Kind>> = {
  showTabs: "boolean",
  encryptExtracts: "boolean",
  topLevelProject: "boolean",
  writeable: "boolean",
  revisionHistoryEnabled: "boolean",
  disableSubscriptions: "boolean",
  certified: "boolean",
  size: "count",
  revisionLimit: "integer",
  userQuota: "number",
  storageQuota: "number",
  createdAt: "date",
  updatedAt: "date",
  lastLogin: "date",
  project: "ref",
  owner: "ref",
  location: "location",
  tags: "tags",
  kind: "kind",
  note: "nullable",
  hits: "maybe",
  meta: "meta",
  pair: "pair",
  rows: "number"
}

// A schema of the caller's own for Pagination.collection, with what the resources do not use:
// a literal union, a union tried member by member, a renamed key, null as absent, an optional
// that allows undefined, an Option, a struct of optionals only, a composition of two structs.
class Datasource extends Schema.Class<Datasource>("Datasource")({
  id: Schema.String,
  name: Schema.String.pipe(Schema.minLength(1)),
  kind: Schema.Literal("live", "extract"),
  certified: Schema.optionalWith(Schema.BooleanFromString, { exact: true }),
  note: Schema.optionalWith(Schema.String, { nullable: true }),
  hits: Schema.optional(Schema.NumberFromString),
  label: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("displayName")),
  value: Schema.Union(Schema.NumberFromString, Schema.String),
  meta: Schema.optionalWith(Schema.Struct({ note: Schema.optionalWith(Schema.String, { exact: true }) }), {
    exact: true
  }),
  pair: Schema.compose(Schema.Struct({ a: Schema.String }), Schema.Struct({ a: Schema.NumberFromString })),
  updatedAt: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option" })
}) {}

// Not a class: two structs composed, the second decoding what the first let through, and
// requiring (as undefined) a key the first may leave out.
const Extract = Schema.compose(
  Schema.Struct({ id: Schema.String, rows: Schema.String, note: Schema.optionalWith(Schema.String, { exact: true }) }),
  Schema.Struct({ id: Schema.String, rows: Schema.NumberFromString, note: Schema.UndefinedOr(Schema.String) }),
  { strict: false }
)

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    null,
    1,
    true,
    {},
    [],
    ["a"],
    "",
    "x",
    "TRUE",
    "False",
    "1e3",
    "-1",
    "0x10",
    " 1",
    "NaN",
    "Infinity",
    "2.5",
    "9".repeat(16),
    "not a date",
    "2024-13-45T00:00:00Z",
    "2024-01-15T09:00:00",
    "2024-01-15",
    { tag: "a" },
    { tag: [{ label: 1 }] },
    { id: 1 },
    { name: "n" }
  ),
  fc.anything({ maxDepth: 2 })
)

const text = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("Superstore", "Sales & Ops", ""))
const wellFormed: Record<Kind, fc.Arbitrary<unknown>> = {
  string: text,
  boolean: fc.constantFrom("true", "false"),
  number: fc.constantFrom("0", "1", "-1", "2.5", "1e3", "007", "100"),
  // xs:nonNegativeInteger and xs:integer (the XSD's types of size and revisionLimit): digits only.
  count: fc.constantFrom("0", "1", "007", "100"),
  integer: fc.constantFrom("0", "1", "-1", "007", "100"),
  date: fc.oneof(
    fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })
      .map((date) => date.toISOString()),
    // A bare date ("2024-01-15") is not an xs:dateTime: it is among the hostile values.
    fc.constantFrom("2024-01-15T09:00:00Z", "2024-01-15T09:00:00+02:00")
  ),
  ref: fc.record({ id: text, name: text, extra: text }, { requiredKeys: ["id", "name"] }),
  location: fc.record({ id: text, name: text, type: fc.constantFrom("PersonalSpace", "Project", "Other") }, {
    requiredKeys: []
  }),
  tags: fc.oneof(
    fc.constant(""),
    fc.constant({}),
    fc.array(text, { maxLength: 3 }).map((labels) => ({ tag: labels.map((label) => ({ label })) }))
  ),
  kind: fc.constantFrom("live", "extract"),
  nullable: fc.oneof(text, fc.constant(null)),
  maybe: fc.constantFrom("1", "2.5", "-3", undefined),
  meta: fc.record({ note: text }, { requiredKeys: [] }),
  pair: fc.constantFrom("1", "-1", "2.5").map((a) => ({ a }))
}

const ABSENT = Symbol("absent")

// Mostly well-formed items, so the compiled decoder is taken, with absent attributes, hostile
// values, extra keys and items that are not elements at all mixed in.
const itemOf = (names: ReadonlyArray<string>): fc.Arbitrary<unknown> => {
  const attributes: Record<string, fc.Arbitrary<unknown>> = {}
  for (const name of names) {
    attributes[name] = fc.oneof(
      { weight: 40, arbitrary: wellFormed[KINDS[name] ?? "string"] },
      { weight: 1, arbitrary: fc.constant(ABSENT) },
      { weight: 1, arbitrary: hostile }
    )
  }
  const element = fc.tuple(fc.dictionary(fc.string({ maxLength: 4 }), hostile, { maxKeys: 2 }), fc.record(attributes))
    .map(([extra, values]) => {
      const item: Record<string, unknown> = { ...extra }
      for (const [name, value] of Object.entries(values)) if (value !== ABSENT) item[name] = value
      return item
    })
  return fc.oneof({ weight: 12, arbitrary: element }, { weight: 1, arbitrary: hostile })
}

// Deep equality that also holds prototypes and key order to account (class instances, DateTime),
// with NaN equal to itself (NumberFromString decodes "NaN"), which Equal.equals does not give.
const same = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const keys = Reflect.ownKeys(a)
  const other = Reflect.ownKeys(b)
  return keys.length === other.length &&
    keys.every((key, i) =>
      key === other[i] && same((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key])
    )
}

interface Resource {
  readonly item: string
  readonly schema: Schema.Schema.AnyNoContext
  /** Attribute names: the field names, but where a field reads another key. */
  readonly attributes: ReadonlyArray<string>
  readonly isClass: boolean
}

const ofClass = (
  item: string,
  schema: Schema.Schema.AnyNoContext & { readonly fields: Schema.Struct.Fields }
): Resource => ({
  item,
  schema,
  attributes: Object.keys(schema.fields).map((name) => name === "label" ? "displayName" : name),
  isClass: true
})

const resources: ReadonlyArray<Resource> = [
  ofClass("workbook", WorkbookResource.Workbook),
  ofClass("user", Users.User),
  ofClass("project", Projects.Project),
  ofClass("site", Sites.Site),
  ofClass("datasource", Datasource),
  { item: "extract", schema: Extract, attributes: ["id", "rows", "note"], isClass: false }
]

describe("Xml.collection", () => {
  for (const { attributes, isClass, item, schema } of resources) {
    it(`decodes ${item} items to exactly what Schema.Array of their schema gives, value or error`, () => {
      const collection = Xml.collection(item, schema)
      const elements = fc.oneof(
        { weight: 8, arbitrary: fc.array(itemOf(attributes), { maxLength: 4 }).map((items) => ({ [item]: items })) },
        { weight: 1, arbitrary: fc.constantFrom<"" | Record<string, unknown>>("", {}) },
        { weight: 1, arbitrary: hostile.map((items) => ({ [item]: items })) }
      )
      let decoded = 0
      let failed = 0
      fc.assert(
        fc.property(elements, (element) => {
          const items = element === "" ? [] : element[item] ?? []
          for (const options of OPTIONS) {
            const actual = Schema.decodeUnknownEither(collection, options)(element)
            const expected = Schema.decodeUnknownEither(Schema.Array(schema), options)(items)
            if (Either.isRight(expected)) {
              expect(Either.isRight(actual)).toBe(true)
              const values: ReadonlyArray<unknown> = Either.getOrThrow(actual)
              expect(same(values, expected.right)).toBe(true)
              if (isClass) { for (const value of values) expect(value).toBeInstanceOf(schema) }
              decoded += values.length
            } else {
              expect(Either.isLeft(actual)).toBe(true)
              failed++
              const error = Either.flip(actual).pipe(Either.getOrThrow)
              // What Xml.decode reports (path and message), and the whole issue below the collection.
              expect(ParseResult.ArrayFormatter.formatErrorSync(error))
                .toEqual(ParseResult.ArrayFormatter.formatErrorSync(expected.left))
              expect(error.issue._tag).toBe("Transformation")
              const below = error.issue._tag === "Transformation" ? error.issue.issue : error.issue
              expect(ParseResult.TreeFormatter.formatIssueSync(below))
                .toBe(ParseResult.TreeFormatter.formatIssueSync(expected.left.issue))
            }
          }
        }),
        { numRuns: 400 }
      )
      // Both sides of the property were exercised: many items decoded, many inputs refused.
      // Both far below what 400 runs give (about 200 and 400), so the check never flakes.
      expect(decoded).toBeGreaterThan(60)
      expect(failed).toBeGreaterThan(60)
    })
  }

  it("decodes a well-formed workbook item to its class and refuses malformed ones", () => {
    const decode = Schema.decodeUnknownEither(WorkbookResource.Workbook, OPTIONS[0])
    const workbook = {
      id: "w1",
      name: "Superstore",
      contentUrl: "Superstore",
      showTabs: "true",
      size: "1",
      extra: "ignored",
      createdAt: "2024-01-15T09:00:00Z",
      updatedAt: "2024-01-16T09:00:00Z",
      project: { id: "p1", name: "default" },
      owner: { id: "u1" },
      tags: { tag: [{ label: "sales" }] }
    }
    expect(Either.getOrThrow(decode(workbook))).toBeInstanceOf(WorkbookResource.Workbook)
    expect(Either.getOrThrow(decode({ ...workbook, tags: "" }))).toMatchObject({ tags: [] })
    expect(Either.getOrThrow(decode({ ...workbook, showTabs: "false" }))).toMatchObject({ showTabs: false })
    for (
      const malformed of [
        { ...workbook, showTabs: "yes" },
        { ...workbook, size: "Infinity" },
        { ...workbook, createdAt: "not a date" },
        { ...workbook, project: { name: "default" } },
        { ...workbook, tags: { tag: "sales" } },
        { ...workbook, id: undefined },
        "workbook"
      ]
    ) {
      expect(Either.isLeft(decode(malformed))).toBe(true)
    }
  })

  it("decodes items of a caller's own schemas through Xml.collection, recursive ones included", () => {
    const options = OPTIONS[0]
    const datasource = {
      id: "d1",
      name: "Sales",
      kind: "live",
      certified: "false",
      note: null,
      hits: "3",
      displayName: "Sales",
      value: "seven",
      meta: { note: "n" },
      pair: { a: "1" },
      updatedAt: "2024-01-15T09:00:00Z"
    }
    const [value] = Schema.decodeUnknownSync(Xml.collection("datasource", Datasource), options)({
      datasource: [datasource]
    })
    expect(value).toBeInstanceOf(Datasource)
    expect(same(value, Schema.decodeUnknownSync(Datasource, options)(datasource))).toBe(true)
    expect(
      Schema.decodeUnknownSync(Xml.collection("extract", Extract), options)({ extract: [{ id: "e1", rows: "2" }] })
    )
      .toEqual([Schema.decodeUnknownSync(Extract, options)({ id: "e1", rows: "2" })])
    interface Folder {
      readonly name: string
      readonly children: ReadonlyArray<Folder>
    }
    const Folder: Schema.Schema<Folder> = Schema.Struct({
      name: Schema.String,
      children: Schema.Array(Schema.suspend(() => Folder))
    })
    expect(Schema.decodeUnknownSync(Xml.collection("folder", Folder))({ folder: [{ name: "a", children: [] }] }))
      .toEqual([{ name: "a", children: [] }])
  })
})

// Whole documents as the resources decode them: a page (pagination, a renamed collection with a
// default) and a single item (renamed). Each must decode to what the same document gives with
// the items decoded by Schema.Array alone, value or error.
describe("whole documents", () => {
  const count = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom("0", "1", "100", "1000", "10000") },
    { weight: 1, arbitrary: hostile }
  )
  const pagination = fc.record({ pageNumber: count, pageSize: count, totalAvailable: count, extra: text }, {
    requiredKeys: []
  })
  // The collection rule written out: the same element rule, Schema.Array for the items.
  const plainCollection = <A, I>(itemName: string, item: Schema.Schema<A, I>) =>
    Schema.transform(CollectionElement, Schema.Array(item), {
      strict: false,
      decode: (element) => (element === "" ? [] : element[itemName] ?? []),
      encode: (items) => ({ [itemName]: items })
    })
  const page = <A, I>(item: string, collection: Schema.Schema<ReadonlyArray<A>, I>) =>
    Xml.response({
      pagination: Pagination.Pagination,
      items: Schema.optionalWith(collection, { default: () => [] }).pipe(Schema.fromKey(`${item}s`))
    })
  for (const { attributes, item, schema } of resources) {
    const Page = page(item, Xml.collection(item, schema))
    const PlainPage = page(item, plainCollection(item, schema))
    const Single = single(item, schema)
    const PlainSingle = Xml.response({ item: Schema.propertySignature(schema).pipe(Schema.fromKey(item)) })
    it(`decodes a page and a single ${item} to exactly what Schema gives`, () => {
      const pages = fc.record({
        pagination,
        [`${item}s`]: fc.oneof(
          { weight: 8, arbitrary: fc.array(itemOf(attributes), { maxLength: 3 }).map((items) => ({ [item]: items })) },
          { weight: 1, arbitrary: fc.constantFrom<unknown>("", {}) },
          { weight: 1, arbitrary: hostile }
        )
      }, { requiredKeys: ["pagination"] }).map((tsResponse) => ({ tsResponse }))
      const singles = itemOf(attributes).map((value) => ({ tsResponse: { [item]: value } }))
      // Documents that decoded: both sides of the property were exercised.
      let decoded = 0
      const cases = [[Page, PlainPage, pages], [Single, PlainSingle, singles]] as const
      for (const [schemaOf, plain, documents] of cases) {
        fc.assert(
          fc.property(documents, (document) => {
            const expected = Schema.decodeUnknownEither(plain as Schema.Schema.AnyNoContext, OPTIONS[0])(document)
            const actual = Schema.decodeUnknownEither(schemaOf as Schema.Schema.AnyNoContext, OPTIONS[0])(document)
            if (Either.isLeft(expected)) {
              expect(Either.isLeft(actual)).toBe(true)
              expect(ParseResult.ArrayFormatter.formatErrorSync(Either.flip(actual).pipe(Either.getOrThrow)))
                .toEqual(ParseResult.ArrayFormatter.formatErrorSync(expected.left))
              return
            }
            expect(Either.isRight(actual)).toBe(true)
            expect(same(Either.getOrThrow(actual), expected.right)).toBe(true)
            decoded++
          }),
          { numRuns: 300 }
        )
      }
      // Most documents are well formed: many of them decoded.
      expect(decoded).toBeGreaterThan(100)
    })
  }
})

describe("what a decoded value keeps", () => {
  // V8 makes a string cut out of a text a slice that keeps the whole text; a kept id must not
  // keep its answer. `gc` is reached through V8's flag, as vitest runs without --expose-gc.
  v8.setFlagsFromString("--expose-gc")
  const gc = vm.runInNewContext("gc") as () => void
  const Site = Xml.response({ site: Schema.Struct({ id: Schema.String, name: Schema.String }) })
  const decodeSite = Xml.decode(Site)

  it.effect("a string kept from an answer does not keep the answer's text", () =>
    Effect.gen(function*() {
      gc()
      const before = process.memoryUsage().heapUsed
      const kept: Array<string> = []
      for (let i = 0; i < 40; i++) {
        // A megabyte per answer, each made anew: 40 MB if every id kept its answer.
        const body = `<tsResponse xmlns="http://tableau.com/api"><site id="${
          i.toString().padStart(8, "0")
        }-7e3b-5332-9ea7-aab20365bc9e" name="${"x".repeat(1 << 20)}"/></tsResponse>`
        const { tsResponse } = yield* decodeSite({ status: 200, contentType: "application/xml", url: "u", body })
        kept.push(tsResponse.site.id)
      }
      gc()
      const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20
      expect(kept[39]).toBe("00000039-7e3b-5332-9ea7-aab20365bc9e")
      expect(grownMb).toBeLessThan(8)
    }))
})
