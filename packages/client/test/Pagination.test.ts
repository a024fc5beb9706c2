import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it, layer } from "@effect/vitest"
import { Pagination, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import {
  adminCredentials,
  apiError,
  BASE_URL,
  emulated,
  handWritten,
  ids,
  recordedPaths,
  routeCount,
  WORKBOOKS_ROUTE,
  workbookXml,
  xml
} from "./support/EmulatedSession.js"

const TEN_THOUSAND = 10_000

// The ids of the emulator's default workbooks, in the order the Default site lists them.
const expectedIds = Array.from({ length: TEN_THOUSAND }, (_, index) => Fixtures.defaultWorkbook(index).id)

// Runs a stream without keeping its items: how many came, and the first position out of order.
const checkOrder = <E, R>(stream: Stream.Stream<Workbooks.Workbook, E, R>) =>
  Stream.runFold(stream, { count: 0, firstWrong: -1 }, (acc, workbook) => ({
    count: acc.count + 1,
    firstWrong: acc.firstWrong === -1 && expectedIds[acc.count] !== workbook.id ? acc.count : acc.firstWrong
  }))

describe("Pagination.page", () => {
  it.effect("returns the items of the page asked for and its pagination", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Workbooks.page({ pageSize: 10, pageNumber: 3 })
      assert.deepStrictEqual(items.map((w) => w.id), expectedIds.slice(20, 25))
      assert.instanceOf(pagination, Pagination.Pagination)
      assert.deepStrictEqual(
        { ...pagination },
        { pageNumber: 3, pageSize: 10, totalAvailable: 25 }
      )
    }).pipe(Effect.provide(emulated())))

  it.effect("asks for pageSize 100 and pageNumber 1 when no option is given", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Workbooks.page()
      assert.strictEqual(items.length, 25)
      assert.strictEqual(pagination.pageSize, 100)
      const paths = yield* recordedPaths("/workbooks")
      assert.deepStrictEqual(paths, [`/api/3.24/sites/${ids.sites.default}/workbooks?pageSize=100&pageNumber=1`])
    }).pipe(Effect.provide(emulated())))

  it.effect("decodes an empty collection (<workbooks/>) as no items", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Workbooks.page()
      assert.deepStrictEqual(items, [])
      assert.strictEqual(pagination.totalAvailable, 0)
    }).pipe(Effect.provide(emulated({ emulator: { workbooks: 0 } }))))

  it.effect("decodes a collection of one workbook as a list of one", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Workbooks.page()
      assert.strictEqual(items.length, 1)
      assert.instanceOf(items[0], Workbooks.Workbook)
      assert.strictEqual(items[0]!.name, "Superstore")
      assert.strictEqual(pagination.totalAvailable, 1)
    }).pipe(Effect.provide(emulated({ emulator: { workbooks: 1 } }))))

  it.effect("rejects a page size outside 1..1000 or a page number below 1, before sending", () =>
    Effect.gen(function*() {
      for (const pageSize of [0, 1001, 2.5, Number.NaN]) {
        const error = yield* Effect.flip(Workbooks.page({ pageSize }))
        assert.strictEqual(error._tag, "TableauRequestError")
        if (error._tag === "TableauRequestError") assert.strictEqual(error.parameter, "pageSize")
      }
      const error = yield* Effect.flip(Workbooks.page({ pageNumber: 0 }))
      assert.strictEqual(error._tag === "TableauRequestError" && error.parameter, "pageNumber")
      const streamError = yield* Effect.flip(Stream.runDrain(Workbooks.stream({ pageSize: 5000 })))
      assert.strictEqual(streamError._tag === "TableauRequestError" && streamError.parameter, "pageSize")
      const concurrencyError = yield* Effect.flip(Stream.runDrain(Workbooks.stream({ concurrency: 0 })))
      assert.strictEqual(concurrencyError._tag === "TableauRequestError" && concurrencyError.parameter, "concurrency")
      assert.strictEqual(yield* routeCount(WORKBOOKS_ROUTE), 0)
    }).pipe(Effect.provide(emulated())))

  it.effect("fails with TableauDecodeError when the pagination is negative or not a number", () =>
    Effect.gen(function*() {
      for (const totalAvailable of ["-5", "abc", "", "1e3"]) {
        const { layer } = handWritten(() =>
          xml(`<pagination pageNumber="1" pageSize="100" totalAvailable="${totalAvailable}"/><workbooks/>`)
        )
        const error = yield* Effect.flip(Workbooks.page().pipe(Effect.provide(layer)))
        assert.strictEqual(error._tag, "TableauDecodeError")
        if (error._tag === "TableauDecodeError") assert.include(error.reason, "totalAvailable")
      }
    }))
})

describe("Pagination.stream", () => {
  it.effect("sends nothing until the stream runs", () =>
    Effect.gen(function*() {
      const stream = Workbooks.stream({ pageSize: 10 })
      assert.strictEqual(yield* routeCount(WORKBOOKS_ROUTE), 0)
      const items = yield* Stream.runCollect(stream)
      assert.strictEqual(Chunk.size(items), 25)
      assert.strictEqual(yield* routeCount(WORKBOOKS_ROUTE), 3)
    }).pipe(Effect.provide(emulated())))

  it.effect("stops after one request when the collection is empty", () =>
    Effect.gen(function*() {
      const items = yield* Stream.runCollect(Workbooks.stream({ concurrency: 4 }))
      assert.strictEqual(Chunk.size(items), 0)
      assert.strictEqual(yield* routeCount(WORKBOOKS_ROUTE), 1)
    }).pipe(Effect.provide(emulated({ emulator: { workbooks: 0 } }))))

  // totalAvailable claims a million workbooks, but page 3 comes back empty.
  const lying = (pageNumber: number, pageSize: number) =>
    xml(
      `<pagination pageNumber="${pageNumber}" pageSize="${pageSize}" totalAvailable="1000000"/>` +
        (pageNumber <= 2
          ? `<workbooks>${
            Array.from({ length: pageSize }, (_, i) => workbookXml((pageNumber - 1) * pageSize + i)).join("")
          }</workbooks>`
          : "<workbooks/>")
    )

  it.effect("ends at an empty page even when totalAvailable says there is more", () => {
    const { layer, listed } = handWritten(lying)
    return Effect.gen(function*() {
      const names = yield* Stream.runCollect(Stream.map(Workbooks.stream({ pageSize: 3 }), (w) => w.name))
      assert.deepStrictEqual(Chunk.toReadonlyArray(names), [0, 1, 2, 3, 4, 5].map((n) => `Workbook ${n}`))
      assert.deepStrictEqual(listed.map((params) => params.get("pageNumber")), ["1", "2", "3"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("ends at an empty page with concurrency too, asking at most a few pages ahead", () => {
    const { layer, listed } = handWritten(lying)
    return Effect.gen(function*() {
      const names = yield* Stream.runCollect(
        Stream.map(Workbooks.stream({ pageSize: 3, concurrency: 3 }), (w) => w.name)
      )
      assert.deepStrictEqual(Chunk.toReadonlyArray(names), [0, 1, 2, 3, 4, 5].map((n) => `Workbook ${n}`))
      assert.isAtMost(listed.length, 3 + 3 + 1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("ends when a page after the first is answered 400006 (page number past the end)", () => {
    const pastTheEnd = apiError(400, "400006", "Invalid page number")
    const { layer, listed } = handWritten((pageNumber, pageSize) =>
      pageNumber <= 2 ? lying(pageNumber, pageSize) : pastTheEnd
    )
    return Effect.gen(function*() {
      assert.strictEqual(yield* Stream.runCount(Workbooks.stream({ pageSize: 3 })), 6)
      assert.strictEqual(yield* Stream.runCount(Workbooks.stream({ pageSize: 3, concurrency: 2 })), 6)
      assert.deepStrictEqual(listed.slice(0, 3).map((params) => params.get("pageNumber")), ["1", "2", "3"])
      // Asked for directly, the same answer is an error.
      const error = yield* Effect.flip(Workbooks.page({ pageSize: 3, pageNumber: 3 }))
      assert.strictEqual(error._tag === "TableauApiError" && error.code, "400006")
      // On page 1 it is not the end of anything.
      const broken = handWritten(() => pastTheEnd)
      const first = yield* Effect.flip(Stream.runDrain(Workbooks.stream()).pipe(Effect.provide(broken.layer)))
      assert.strictEqual(first._tag === "TableauApiError" && first.code, "400006")
    }).pipe(Effect.provide(layer))
  })

  it.live("with concurrency, the next page is asked for before the page just answered is decoded", () => {
    // 6 pages of 2; what the server is asked and what the client decodes, in the order they happen.
    const events: Array<string> = []
    const { layer } = handWritten((pageNumber) => {
      events.push(`send ${pageNumber}`)
      return xml(
        `<pagination pageNumber="${pageNumber}" pageSize="2" totalAvailable="12"/><workbooks>${
          [0, 1].map((i) => workbookXml((pageNumber - 1) * 2 + i)).join("")
        }</workbooks>`
      )
    })
    const Item = Schema.transform(Schema.Struct({ id: Schema.String }), Schema.Struct({ id: Schema.String }), {
      strict: true,
      decode: (item) => {
        const n = Number(item.id.slice(-12))
        if (n % 2 === 0) events.push(`decode ${n / 2 + 1}`)
        return item
      },
      encode: (item) => item
    })
    const collection = Pagination.collection({
      name: "workbooks",
      path: "/sites/{siteId}/workbooks",
      url: (state) => `/sites/${state.siteId}/workbooks`,
      element: "workbooks",
      item: "workbook",
      schema: Item
    })
    return Effect.gen(function*() {
      const items = yield* Stream.runCollect(Pagination.stream(collection, { pageSize: 2, concurrency: 2 }))
      assert.strictEqual(Chunk.size(items), 12)
      // Pages 2 and 3 go out together; each answer frees its slot for the page two further on.
      for (const page of [2, 3, 4]) {
        const sent = events.indexOf(`send ${page + 2}`)
        const decoded = events.indexOf(`decode ${page}`)
        assert.isTrue(
          sent >= 0 && decoded >= 0 && sent < decoded,
          `page ${page + 2} asked for before page ${page} is decoded: ${events.join(", ")}`
        )
      }
    }).pipe(Effect.provide(layer))
  })

  it.effect("uses the page size the server answered with to find the last page", () => {
    // Asked for 1000 per page, the server caps at 2: 5 workbooks are 3 pages.
    const { layer, listed } = handWritten((pageNumber) =>
      xml(
        `<pagination pageNumber="${pageNumber}" pageSize="2" totalAvailable="5"/><workbooks>${
          [0, 1].map((i) => (pageNumber - 1) * 2 + i).filter((n) => n < 5).map(workbookXml).join("")
        }</workbooks>`
      )
    )
    return Effect.gen(function*() {
      const sequential = yield* Stream.runCount(Workbooks.stream({ pageSize: 1000 }))
      const parallel = yield* Stream.runCount(Workbooks.stream({ pageSize: 1000, concurrency: 2 }))
      assert.deepStrictEqual([sequential, parallel], [5, 5])
      assert.deepStrictEqual(listed.map((params) => params.get("pageNumber")), ["1", "2", "3", "1", "2", "3"])
    }).pipe(Effect.provide(layer))
  })

  // Last in the file: `layer` puts its own `it.effect` in place of the default for what follows.
  // One emulator of 10,000 workbooks for the cases that stream them all (building it is about a
  // third of such a case): each case signs in on it with a session of its own and counts the
  // requests it made itself. The live clock, for the case whose late pages really wait.
  layer(TableauEmulator.layer({ workbooks: TEN_THOUSAND }), { excludeTestServices: true })((it) => {
    /** A session on the shared emulator, through its client wrapped with `wrap` when given. */
    const signedIn = (wrap?: (client: HttpClient.HttpClient) => HttpClient.HttpClient) => {
      const server = TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" })
      return TableauSession.layer(adminCredentials()).pipe(
        Layer.provide(
          wrap === undefined
            ? server
            : Layer.provide(server, Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, wrap)))
        )
      )
    }
    /** Runs `effect` on a session of its own, with the number of list requests that session made. */
    const counted = <A, E>(
      effect: Effect.Effect<A, E, TableauSession.TableauSession>,
      wrap?: Parameters<typeof signedIn>[0]
    ) =>
      Effect.gen(function*() {
        const before = yield* routeCount(WORKBOOKS_ROUTE)
        const result = yield* Effect.provide(effect, signedIn(wrap))
        return { result, requests: (yield* routeCount(WORKBOOKS_ROUTE)) - before }
      })

    for (const pageSize of [100, 300, 1000]) {
      const pages = Math.ceil(TEN_THOUSAND / pageSize)
      it.effect(`streams 10,000 workbooks in order, pageSize ${pageSize}, in exactly ${pages} requests`, () =>
        Effect.gen(function*() {
          const { requests, result } = yield* counted(checkOrder(Workbooks.stream({ pageSize })))
          assert.deepStrictEqual(result, { count: TEN_THOUSAND, firstWrong: -1 })
          assert.strictEqual(requests, pages)
        }))
    }

    it.effect("streams 10,000 workbooks in order with concurrency 8, in exactly ceil(10000/pageSize) requests", () =>
      Effect.gen(function*() {
        const { requests, result } = yield* counted(checkOrder(Workbooks.stream({ pageSize: 300, concurrency: 8 })))
        assert.deepStrictEqual(result, { count: TEN_THOUSAND, firstWrong: -1 })
        assert.strictEqual(requests, 34)
      }))

    it.effect("fetches later pages in parallel and still emits them in order when they answer out of order", () => {
      // Every fourth page (2, 6, 10, ...) answers late, so the pages after it finish first.
      let inFlight = 0
      let maxInFlight = 0
      const slowSome = (client: HttpClient.HttpClient) =>
        HttpClient.make((request, url) => {
          if (!url.pathname.endsWith("/workbooks")) return client.execute(request)
          const late = Number(url.searchParams.get("pageNumber")) % 4 === 2
          return Effect.acquireUseRelease(
            Effect.sync(() => {
              maxInFlight = Math.max(maxInFlight, ++inFlight)
            }),
            () => Effect.zipRight(late ? Effect.sleep("15 millis") : Effect.void, client.execute(request)),
            () => Effect.sync(() => inFlight--)
          )
        })
      return Effect.gen(function*() {
        const { requests, result } = yield* counted(
          checkOrder(Workbooks.stream({ pageSize: 300, concurrency: 4 })),
          slowSome
        )
        assert.deepStrictEqual(result, { count: TEN_THOUSAND, firstWrong: -1 })
        assert.strictEqual(requests, 34)
        assert.isAbove(maxInFlight, 1, "pages after the first were fetched in parallel")
        assert.isAtMost(maxInFlight, 4, "never more pages at once than the concurrency")
      })
    })
  })
})
