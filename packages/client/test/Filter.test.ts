import { assert, describe, it } from "@effect/vitest"
import { Filter, Sort, Users, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { emulated, ids, recordedPaths, routeCount, WORKBOOKS_ROUTE } from "./support/EmulatedSession.js"

const rendered = (filter: Filter.Filter | ReadonlyArray<Filter.Filter>) =>
  Either.getOrElse(Filter.render(filter), (error) => `error: ${error.message}`)

describe("Filter.render", () => {
  it("writes each operator in Tableau's field:operator:value syntax", () => {
    assert.strictEqual(rendered(Filter.eq("name", "Sales Report")), "name:eq:Sales Report")
    assert.strictEqual(rendered(Filter.cieq("name", "sales report")), "name:cieq:sales report")
    assert.strictEqual(rendered(Filter.has("name", "Sales")), "name:has:Sales")
    assert.strictEqual(rendered(Filter.in("tags", ["a", "b"])), "tags:in:[a,b]")
    assert.strictEqual(rendered(Filter.gt("size", 10)), "size:gt:10")
    assert.strictEqual(rendered(Filter.gte("size", 2.5)), "size:gte:2.5")
    assert.strictEqual(rendered(Filter.eq("topLevelProject", true)), "topLevelProject:eq:true")
    assert.strictEqual(
      rendered(Filter.lt("createdAt", new Date("2024-01-15T09:30:00.123Z"))),
      "createdAt:lt:2024-01-15T09:30:00Z"
    )
    assert.strictEqual(
      rendered(Filter.lte("updatedAt", DateTime.unsafeMakeZoned("2024-01-15T10:00:00+01:00", { timeZone: "+01:00" }))),
      "updatedAt:lte:2024-01-15T09:00:00Z"
    )
  })

  it("joins filters with commas, from Filter.and or from a list", () => {
    const expected = "projectName:eq:Finance,tags:in:[q1,q2],size:gt:1"
    assert.strictEqual(
      rendered(Filter.and(Filter.eq("projectName", "Finance"), Filter.in("tags", ["q1", "q2"]), Filter.gt("size", 1))),
      expected
    )
    assert.strictEqual(
      rendered([
        Filter.eq("projectName", "Finance"),
        Filter.and(Filter.in("tags", ["q1", "q2"]), Filter.gt("size", 1))
      ]),
      expected
    )
  })

  for (const reserved of [",", "&", ":", "[", "]", "|"]) {
    it(`rejects a value containing "${reserved}" with a TableauRequestError naming it`, () => {
      for (const filter of [Filter.eq("name", `Sales${reserved}West`), Filter.in("tags", ["ok", `a${reserved}b`])]) {
        const result = Filter.render(filter)
        assert.isTrue(Either.isLeft(result))
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left._tag, "TableauRequestError")
          assert.strictEqual(result.left.parameter, "filter")
          assert.include(result.left.reason, `"${reserved}"`)
          assert.include(result.left.message, "nothing was sent")
        }
      }
    })
  }

  it("rejects field names, empty lists and values that are not Tableau's", () => {
    for (
      const filter of [
        Filter.eq("na me", "x"),
        Filter.eq("name:eq", "x"),
        Filter.eq("name", ""),
        Filter.in("tags", []),
        Filter.gt("size", Number.POSITIVE_INFINITY),
        Filter.gt("createdAt", new Date("not a date"))
      ]
    ) {
      assert.isTrue(Either.isLeft(Filter.render(filter)), JSON.stringify(filter))
    }
  })
})

describe("Sort.render", () => {
  it("writes field:direction pairs joined with commas", () => {
    assert.deepStrictEqual(Sort.render(Sort.asc("name")), Either.right("name:asc"))
    assert.deepStrictEqual(
      Sort.render([Sort.asc("name"), Sort.desc("updatedAt")]),
      Either.right("name:asc,updatedAt:desc")
    )
  })

  it("rejects a field name that would break the syntax", () => {
    const result = Sort.render(Sort.desc("name,createdAt"))
    assert.isTrue(Either.isLeft(result) && result.left.parameter === "sort")
  })
})

describe("filters on the wire", () => {
  it.effect("a value that would break the syntax fails with TableauRequestError and nothing is sent", () =>
    Effect.gen(function*() {
      const pageError = yield* Effect.flip(Workbooks.page({ filter: Filter.eq("name", "Sales, West") }))
      assert.strictEqual(pageError._tag, "TableauRequestError")
      const streamError = yield* Effect.flip(Stream.runDrain(Workbooks.stream({ filter: Filter.in("tags", ["a|b"]) })))
      assert.strictEqual(streamError._tag, "TableauRequestError")
      const sortError = yield* Effect.flip(Workbooks.page({ sort: Sort.asc("name&x=1") }))
      assert.strictEqual(sortError._tag === "TableauRequestError" && sortError.parameter, "sort")
      const fieldsError = yield* Effect.flip(Workbooks.page({ fields: ["_default_", "owner name"] }))
      assert.strictEqual(fieldsError._tag === "TableauRequestError" && fieldsError.parameter, "fields")
      const userError = yield* Effect.flip(Users.findByName("domain:alice"))
      assert.strictEqual(userError._tag, "TableauRequestError")
      assert.strictEqual(yield* routeCount(WORKBOOKS_ROUTE), 0)
      assert.strictEqual(yield* routeCount("GET /api/{v}/sites/{siteId}/users"), 0)
    }).pipe(Effect.provide(emulated())))

  it.effect("sends the filter form-encoded (name%3Aeq%3ASales+Report) and the server finds the workbook", () =>
    Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      const base = Fixtures.defaultWorkbook(0)
      yield* emulator.addWorkbooks([
        { ...base, id: "11111111-1111-4111-8111-111111111111", name: "Sales Report", contentUrl: "SalesReport" },
        { ...base, id: "22222222-2222-4222-8222-222222222222", name: "C++ & Rust", contentUrl: "CRust" }
      ])
      const { items } = yield* Workbooks.page({ filter: Filter.eq("name", "Sales Report"), sort: Sort.asc("name") })
      assert.deepStrictEqual(items.map((w) => w.name), ["Sales Report"])
      const [path] = yield* recordedPaths("/workbooks")
      assert.strictEqual(
        path,
        `/api/3.24/sites/${ids.sites.default}/workbooks?pageSize=100&pageNumber=1&filter=name%3Aeq%3ASales+Report&sort=name%3Aasc`
      )
      // What Tableau reads after decoding the query:
      const query = new URLSearchParams(path!.split("?")[1])
      assert.strictEqual(query.get("filter"), "name:eq:Sales Report")
      assert.strictEqual(query.get("sort"), "name:asc")

      // A literal "+" travels as %2B, so it is not read as a space.
      const plus = yield* Workbooks.page({ filter: Filter.has("name", "C++") })
      assert.deepStrictEqual(plus.items.map((w) => w.name), ["C++ & Rust"])
      const paths = yield* recordedPaths("/workbooks")
      assert.include(paths[1]!, "filter=name%3Ahas%3AC%2B%2B")
    }).pipe(Effect.provide(emulated())))

  it.effect("tags:in:[a,b] selects the workbooks with either tag", () =>
    Effect.gen(function*() {
      const fixtures = yield* Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) => emulator.fixtures)
      const expected = fixtures.workbooks
        .filter((w) => w.siteId === ids.sites.default && w.tags.some((tag) => tag === "sales" || tag === "finance"))
        .map((w) => w.id)
      const items = yield* Stream.runCollect(Workbooks.stream({ filter: Filter.in("tags", ["sales", "finance"]) }))
      assert.isAbove(expected.length, 0)
      assert.deepStrictEqual([...items].map((w) => w.id), expected)
      const [path] = yield* recordedPaths("/workbooks")
      assert.include(path!, "filter=tags%3Ain%3A%5Bsales%2Cfinance%5D")
    }).pipe(Effect.provide(emulated())))

  it.effect("a date filter is sent in Tableau's UTC format and compared by the server", () =>
    Effect.gen(function*() {
      // Default workbook n is created n hours after 2024-01-15T09:00:00Z.
      const { items } = yield* Workbooks.page({
        filter: Filter.gte("createdAt", DateTime.unsafeMake("2024-01-16T07:00:00Z"))
      })
      assert.deepStrictEqual(
        items.map((w) => w.id),
        Array.from({ length: 3 }, (_, i) => Fixtures.defaultWorkbook(22 + i).id)
      )
      const [path] = yield* recordedPaths("/workbooks")
      assert.include(path!, "filter=createdAt%3Agte%3A2024-01-16T07%3A00%3A00Z")
    }).pipe(Effect.provide(emulated())))
})
