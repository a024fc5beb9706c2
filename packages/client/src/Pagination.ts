/**
 * Paged lists: the page options, the `<pagination>` element, one page (`page`) and every page as
 * a lazy stream (`stream`), for any Tableau collection.
 *
 * A stream asks for page 1, then for the next pages until the last one
 * (`pageNumber * pageSize >= totalAvailable`) or an empty page, whichever comes first (a 400006
 * "page number past the end" answer after page 1 counts as an empty page). With
 * `concurrency` above 1, the pages after the first are fetched ahead in parallel once page 1
 * told `totalAvailable`; items still come out in order, and at most about `concurrency` pages
 * are held at once.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as Filter from "./Filter.js"
import { DEFAULT_PAGE_SIZE, isCount, MAX_PAGE_SIZE, prepare, reject } from "./internal/query.js"
import type { Query } from "./internal/query.js"
import { collection as wireCollection, paginationFields } from "./internal/wireResponses.js"
import type * as Sort from "./Sort.js"
import { TableauDecodeError } from "./TableauError.js"
import type { TableauError } from "./TableauError.js"
import type { Response } from "./TableauServer.js"
import { TableauSession } from "./TableauSession.js"
import type { Service, SessionState } from "./TableauSession.js"
import * as Xml from "./Xml.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * What to ask for: which page, how large (1..1000, default 100), and the `filter`, `sort` and
 * `fields` expressions. `fields` narrows the attributes Tableau sends: keep `id` and `name`
 * (e.g. `["_default_", "owner.name"]`), which every item needs.
 *
 * @since 0.1.0
 * @category Models
 */
export interface PageOptions {
  /** From 1. Default 1. */
  readonly pageNumber?: number | undefined
  /** 1..1000. Default 100. */
  readonly pageSize?: number | undefined
  readonly filter?: Filter.Filter | ReadonlyArray<Filter.Filter> | undefined
  readonly sort?: Sort.Sort | ReadonlyArray<Sort.Sort> | undefined
  readonly fields?: string | ReadonlyArray<string> | undefined
}

/**
 * The options of a stream: those of a page (always from page 1), and how many pages to fetch at
 * once after the first (1..64, default 1: one after the other).
 *
 * @since 0.1.0
 * @category Models
 */
export interface StreamOptions extends Omit<PageOptions, "pageNumber"> {
  readonly concurrency?: number | undefined
}

/**
 * The default page size, as on Tableau.
 *
 * @since 0.1.0
 * @category Models
 */
export const defaultPageSize: number = DEFAULT_PAGE_SIZE

/**
 * The largest page size Tableau accepts.
 *
 * @since 0.1.0
 * @category Models
 */
export const maxPageSize: number = MAX_PAGE_SIZE

/**
 * The `<pagination pageNumber="1" pageSize="100" totalAvailable="2"/>` element of a list answer.
 * Negative or non-numeric values are a `TableauDecodeError`.
 *
 * @since 0.1.0
 * @category Models
 */
export class Pagination extends Schema.Class<Pagination>("@tableau-effect/client/Pagination")(paginationFields) {}

/**
 * One page of a list: its items and its pagination (TSC's pair).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly pagination: Pagination
}

/**
 * Every way a list call can fail: a Tableau error, or a request rejected before sending.
 *
 * @since 0.1.0
 * @category Errors
 */
export type PageError = TableauError

/**
 * A Tableau collection that pages: where it lives, how its items decode, and what must hold
 * before a request is sent. Each resource module defines one; `collection` builds it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Collection<A> {
  /** The resource's name in span names: `tableau.{name}.list`. */
  readonly name: string
  /** The path template, for span attributes: `/sites/{siteId}/workbooks`. */
  readonly path: string
  /** The path below `/api/{version}` for the session's state. */
  readonly url: (state: SessionState) => string
  readonly decode: (response: Response) => Effect.Effect<Page<A>, TableauDecodeError>
  /** A check run before anything is sent (e.g. "not on Tableau Cloud"). */
  readonly check: (session: Service) => Effect.Effect<void, TableauError>
}

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * A collection answered as `<pagination/><element><item/>...</element>`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Pagination } from "@tableau-effect/client"
 *
 * const Datasources = Pagination.collection({
 *   name: "datasources",
 *   path: "/sites/{siteId}/datasources",
 *   url: (state) => `/sites/${state.siteId}/datasources`,
 *   element: "datasources",
 *   item: "datasource",
 *   schema: Schema.Struct({ id: Schema.String, name: Schema.String })
 * })
 * const firstPage = Pagination.page(Datasources, { pageSize: 50 })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const collection = <A, I>(options: {
  readonly name: string
  readonly path: string
  readonly url: (state: SessionState) => string
  readonly element: string
  readonly item: string
  readonly schema: Schema.Schema<A, I>
  readonly check?: ((session: Service) => Effect.Effect<void, TableauError>) | undefined
}): Collection<A> => {
  const body = Xml.response({
    pagination: Pagination,
    items: Schema.optionalWith(wireCollection(options.item, options.schema), { default: () => [] }).pipe(
      Schema.fromKey(options.element)
    )
  })
  // Items are schema-checked one by one; see Xml.ParseOptions for why pages skip validation.
  const decodeBody = Xml.decode(body, { validate: false })
  return {
    name: options.name,
    path: options.path,
    url: options.url,
    decode: (response) =>
      Effect.map(decodeBody(response), ({ tsResponse }) => ({
        items: tsResponse.items,
        pagination: tsResponse.pagination
      })),
    check: options.check ?? (() => Effect.void)
  }
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

// Tableau counts in 32-bit integers; a larger total is a lie that would page on for ever.
const MAX_TOTAL = 2 ** 31 - 1

const lie = (response: Response, reason: string): TableauDecodeError =>
  new TableauDecodeError({
    status: response.status,
    contentType: response.contentType,
    excerpt: "",
    reason: `the server's pagination does not add up: ${reason}`,
    url: response.url
  })

interface Fetched<A> {
  readonly page: Page<A>
  readonly response: Response | undefined
}

// A page must be the one asked for: its number echoed, and a total Tableau could hold (a page
// larger than asked for is still read: servers that ignore pageSize exist). What a page says about the others is checked by the stream.
const checkPage = <A>(page: Page<A>, response: Response, pageNumber: number) => {
  const { pagination } = page
  if (pagination.pageNumber !== pageNumber) {
    return Effect.fail(lie(response, `page ${pageNumber} was asked for and page ${pagination.pageNumber} came back`))
  }
  if (pagination.totalAvailable > MAX_TOTAL) {
    return Effect.fail(lie(response, `totalAvailable ${pagination.totalAvailable} is more than Tableau can count`))
  }
  return Effect.succeed(page)
}

// The request for one page, its answer read but not decoded.
const send = <A>(
  session: Service,
  collection: Collection<A>,
  query: Query,
  pageNumber: number
): Effect.Effect<Response, TableauError> => {
  const params = [query.params[0]!, ["pageNumber", String(pageNumber)] as const, ...query.params.slice(1)]
  return session.execute((state) =>
    HttpClientRequest.get(collection.url(state)).pipe(HttpClientRequest.setUrlParams(params))
  )
}

// An answer decoded and checked as the page asked for.
const receive = <A>(
  collection: Collection<A>,
  pageNumber: number,
  sent: Effect.Effect<Response, TableauError>
): Effect.Effect<Fetched<A>, TableauError> =>
  Effect.flatMap(sent, (response) =>
    collection.decode(response).pipe(
      Effect.flatMap((page) => checkPage(page, response, pageNumber)),
      Effect.map((page) => ({ page, response }))
    ))

// After page 1, Tableau may answer a page past the end with 400006 ("greater than the final page
// number") instead of an empty page: in a stream, both end it.
const endsAt400006 = <A>(
  query: Query,
  pageNumber: number,
  fetched: Effect.Effect<Fetched<A>, TableauError>
): Effect.Effect<Fetched<A>, TableauError> =>
  Effect.catchIf(
    fetched,
    (error) => pageNumber > 1 && error._tag === "TableauApiError" && error.code === "400006",
    () =>
      Effect.succeed({
        page: { items: [], pagination: new Pagination({ pageNumber, pageSize: query.pageSize, totalAvailable: 0 }) },
        response: undefined
      })
  )

const inListSpan = <A, E, R>(
  collection: Collection<unknown>,
  query: Query,
  pageNumber: number,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withSpan(effect, `tableau.${collection.name}.list`, {
    captureStackTrace: false,
    attributes: {
      "tableau.path": collection.path,
      "tableau.page_number": pageNumber,
      "tableau.page_size": query.pageSize
    }
  })

const fetchChecked = <A>(
  session: Service,
  collection: Collection<A>,
  query: Query,
  pageNumber: number
): Effect.Effect<Fetched<A>, TableauError> =>
  inListSpan(
    collection,
    query,
    pageNumber,
    receive(collection, pageNumber, send(session, collection, query, pageNumber))
  )

const idOf = (item: unknown): string | undefined =>
  typeof item === "object" && item !== null && "id" in item && typeof item.id === "string" ? item.id : undefined

/**
 * The checks a stream makes across its pages, in the order they come out: every page tells the
 * same totalAvailable and page size as the first, and no item id comes twice (a server that
 * answers page 2 with page 1 again, or the same page for ever, is caught at once). Its state is
 * made anew for each run of the stream.
 */
const acrossPages = <A>() => {
  const seen = new Set<string>()
  let first: Pagination | undefined
  return ({ page, response }: Fetched<A>): Effect.Effect<Page<A>, TableauDecodeError> => {
    if (response === undefined) return Effect.succeed(page)
    const { pagination } = page
    if (first === undefined) first = pagination
    else if (pagination.totalAvailable !== first.totalAvailable) {
      return Effect.fail(lie(
        response,
        `page ${pagination.pageNumber} tells totalAvailable ${pagination.totalAvailable}, page 1 told ${first.totalAvailable}`
      ))
    } else if (pagination.pageSize !== first.pageSize) {
      return Effect.fail(lie(
        response,
        `page ${pagination.pageNumber} tells pageSize ${pagination.pageSize}, page 1 told ${first.pageSize}`
      ))
    }
    for (const item of page.items) {
      const id = idOf(item)
      if (id === undefined) continue
      if (seen.has(id)) {
        return Effect.fail(
          lie(
            response,
            `page ${pagination.pageNumber} repeats the item ${JSON.stringify(id.slice(0, 60))} of an earlier page`
          )
        )
      }
      seen.add(id)
    }
    return Effect.succeed(page)
  }
}

/**
 * Asks for one page of a collection.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Pagination, Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items, pagination } = yield* Pagination.page(Workbooks.collection, { pageSize: 10 })
 *   yield* Effect.log(`${items.length} of ${pagination.totalAvailable}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = <A>(
  collection: Collection<A>,
  options: PageOptions = {}
): Effect.Effect<Page<A>, PageError, TableauSession> =>
  Effect.gen(function*() {
    const session = yield* TableauSession
    const pageNumber = options.pageNumber ?? 1
    if (!isCount(pageNumber, 1, Number.MAX_SAFE_INTEGER)) {
      return yield* reject("pageNumber", "must be an integer from 1", pageNumber)
    }
    const query = yield* prepare(session, options)
    yield* collection.check(session)
    const { page } = yield* fetchChecked(session, collection, query, pageNumber)
    return page
  })

// The page size the server used (it may cap the one asked for), for the last-page arithmetic.
const effectiveSize = (page: Page<unknown>, asked: number): number =>
  page.pagination.pageSize > 0 ? page.pagination.pageSize : asked

const isLast = (page: Page<unknown>, pageNumber: number, asked: number): boolean =>
  page.items.length === 0 || pageNumber * effectiveSize(page, asked) >= page.pagination.totalAvailable

/**
 * Every item of a collection, page after page, as a lazy stream: nothing is asked before the
 * stream runs, and it stops at the last page or at an empty one.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Pagination, Workbooks } from "@tableau-effect/client"
 *
 * const names = Pagination.stream(Workbooks.collection, { pageSize: 1000, concurrency: 4 }).pipe(
 *   Stream.map((workbook) => workbook.name),
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = <A>(
  collection: Collection<A>,
  options: StreamOptions = {}
): Stream.Stream<A, PageError, TableauSession> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const session = yield* TableauSession
      const concurrency = options.concurrency ?? 1
      if (!isCount(concurrency, 1, 64)) {
        return yield* reject("concurrency", "must be an integer from 1 to 64", concurrency)
      }
      const query = yield* prepare(session, options)
      yield* collection.check(session)
      const check = acrossPages<A>()
      const fetch = (pageNumber: number) =>
        endsAt400006(query, pageNumber, fetchChecked(session, collection, query, pageNumber))
      // Each request ahead ends as a value: a failed fiber of the stream's own would be logged at
      // Debug as "terminated with an unhandled error", its cause quoting the server.
      const sendAhead = (pageNumber: number) =>
        Effect.map(
          Effect.either(inListSpan(collection, query, pageNumber, send(session, collection, query, pageNumber))),
          (sent) => [pageNumber, sent] as const
        )
      if (concurrency === 1) {
        return Stream.paginateChunkEffect(1, (pageNumber) =>
          Effect.map(Effect.flatMap(fetch(pageNumber), check), (page) =>
            [
              Chunk.fromIterable(page.items),
              isLast(page, pageNumber, query.pageSize) ? Option.none() : Option.some(pageNumber + 1)
            ] as const))
      }
      return Stream.unwrap(
        Effect.map(Effect.flatMap(fetch(1), check), (first) => {
          const head = Stream.fromIterable(first.items)
          if (isLast(first, 1, query.pageSize)) {
            return head
          }
          const lastPage = Math.ceil(first.pagination.totalAvailable / effectiveSize(first, query.pageSize))
          // Pages are sent `concurrency` at a time and decoded one after the other in page
          // order: a page's slot is free for the next request once its answer is read, not once
          // it is decoded. Each decode waits for the event loop's next turn (a timer of 0), so the
          // requests that answers just freed are written before the decode takes the thread;
          // decoding first held every next request back by the decodes before it (B6: 1.38 of
          // the ideal, 1.15 with the turn).
          const rest = Stream.range(2, lastPage).pipe(
            Stream.mapEffect(sendAhead, { concurrency }),
            Stream.mapEffect(([pageNumber, sent]) =>
              Effect.zipRight(
                Effect.sleep(0),
                Effect.flatMap(endsAt400006(query, pageNumber, receive(collection, pageNumber, sent)), check)
              )
            ),
            Stream.takeWhile((page) =>
              page.items.length > 0
            ),
            Stream.mapConcat((page) => page.items)
          )
          return Stream.concat(head, rest)
        })
      )
    })
  ).pipe(Stream.withSpan(`tableau.${collection.name}.stream`, { captureStackTrace: false }))
