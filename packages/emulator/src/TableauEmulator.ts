/**
 * An emulated Tableau Server (or Tableau Cloud site) in memory: the `TableauEmulator` service to
 * look at and change its state from a test, and `layer`, which provides it together with an
 * `HttpClient` that answers every request from the emulator, without sockets.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as EmulatorState from "./EmulatorState.js"
import type * as Fault from "./Fault.js"
import * as Fixtures from "./Fixtures.js"
import * as Handler from "./Handler.js"
import * as Hooks from "./internal/hooks.js"
import * as Resources from "./internal/resources/index.js"
import * as Jobs from "./internal/resources/jobs.js"
import * as Workbooks from "./internal/resources/workbooks.js"
import * as Version from "./internal/version.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * How to build an emulated server. Every field is optional:
 * - `fixtures`: the data (default `Fixtures.make({ workbooks })`);
 * - `workbooks`: the number of default workbooks on the Default site (default 25);
 * - `cloud`: Tableau Cloud rules (default false);
 * - `apiVersion`: the newest REST API version the server speaks (default "3.24");
 * - `productVersion`, `build`: what serverinfo reports (default: matching `apiVersion`);
 * - `sessionTtl`: the idle limit of a session (default 240 minutes);
 * - `baseUrl`: the server's URL, used in `webpageUrl` (default "http://tableau.emulator");
 * - `maxBodyBytes`: the body limit (default 10 MB);
 * - `recordLimit`: how many requests `requests` keeps (default 1000).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  readonly fixtures?: Fixtures.Fixtures | undefined
  readonly workbooks?: number | undefined
  readonly cloud?: boolean | undefined
  readonly apiVersion?: string | undefined
  readonly productVersion?: string | undefined
  readonly build?: string | undefined
  readonly sessionTtl?: Duration.DurationInput | undefined
  readonly baseUrl?: string | undefined
  readonly maxBodyBytes?: number | undefined
  readonly recordLimit?: number | undefined
}

/**
 * Statistics: live sessions, counters and queued faults.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Stats extends EmulatorState.Counters {
  readonly active: number
  readonly faultsQueued: number
}

/**
 * A job for `startJob` to start, as a refresh would: on `siteId` (default: the first site of the
 * fixtures), of `type` (default `RefreshExtract`), working on `target` (default: the site's
 * first workbook), started by `userId` (default: nobody, so only administrators see it).
 *
 * @since 0.1.0
 * @category Models
 */
export interface JobStart {
  readonly siteId?: string | undefined
  readonly type?: string | undefined
  readonly target?: {
    readonly kind: "workbook" | "datasource"
    readonly id: string
    readonly name: string
  } | undefined
  readonly userId?: string | undefined
}

/**
 * The service a test uses to look at and change an emulated server.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  readonly settings: EmulatorState.Settings
  /** Answers one request (what the layer's HttpClient and the socket server call). */
  readonly handle: Handler.Handle
  /** The number of sessions that have not expired. */
  readonly activeSessions: Effect.Effect<number>
  /** The sessions that have not expired, oldest first. */
  readonly sessions: Effect.Effect<ReadonlyArray<EmulatorState.Session>>
  /** The number of successful sign-ins. */
  readonly signIns: Effect.Effect<number>
  readonly stats: Effect.Effect<Stats>
  /** The recorded `/api` requests, oldest first, secret headers redacted. */
  readonly requests: Effect.Effect<ReadonlyArray<EmulatorState.RecordedRequest>>
  /** The current fixtures (with added workbooks). */
  readonly fixtures: Effect.Effect<Fixtures.Fixtures>
  /** The emulator's time in epoch milliseconds (Effect clock plus manual offset). */
  readonly now: Effect.Effect<number>
  /** Ends a session (the newest one when no token is given): its next call answers 401002. */
  readonly expireSession: (token?: string) => Effect.Effect<boolean>
  /** Ends every session. */
  readonly expireAllSessions: Effect.Effect<void>
  /** Moves the emulator's clock forward (on top of the Effect clock, which TestClock moves). */
  readonly advanceClock: (duration: Duration.DurationInput) => Effect.Effect<void>
  /** Adds workbooks: `n` more default ones on the Default site, or the given ones. */
  readonly addWorkbooks: (
    workbooks: number | ReadonlyArray<Fixtures.Workbook>
  ) => Effect.Effect<ReadonlyArray<Fixtures.Workbook>>
  /** Queues a fault for the next `times` requests (optionally only matching paths). */
  readonly failNext: (times: number, fault: Fault.Fault, selector?: Fault.Selector) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /**
   * Starts a background job (what a refresh does) without a request, and answers its id: for
   * tests of `Jobs`. Like every job, it is Pending for its first second, then InProgress, and
   * finished when its duration (see `jobDuration`) is over, on the emulator's clock.
   */
  readonly startJob: (job?: JobStart) => Effect.Effect<string>
  /** The next `times` jobs started fail (finishCode 1) with these status notes (default: one note). */
  readonly failJobs: (times: number, notes?: ReadonlyArray<string>) => Effect.Effect<void>
  /** How long the next jobs started take, from creation to their end (default 5 seconds). */
  readonly jobDuration: (duration: Duration.DurationInput) => Effect.Effect<void>
  /** Restores the fixtures and forgets sessions, counters, faults and the clock offset. */
  readonly reset: Effect.Effect<void>
  /** Counts a TCP connection (called by the socket server). */
  readonly countConnection: Effect.Effect<void>
  /** Counts a request answered by the redirect listener (called by the socket server). */
  readonly countRedirect: (path: string) => Effect.Effect<void>
}

/**
 * The emulator service tag.
 *
 * @since 0.1.0
 * @category Models
 */
export class TableauEmulator extends Context.Tag("@tableau-effect/emulator/TableauEmulator")<
  TableauEmulator,
  Service
>() {}

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * The settings that `options` describe, with every default filled in.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const settings = (options: Options = {}): EmulatorState.Settings => {
  const apiVersion = options.apiVersion ?? "3.24"
  const [productVersion, build] = Version.product(apiVersion)
  return {
    cloud: options.cloud ?? false,
    apiVersion,
    productVersion: options.productVersion ?? productVersion,
    build: options.build ?? build,
    sessionTtlMillis: Duration.toMillis(options.sessionTtl ?? Duration.minutes(240)),
    baseUrl: (options.baseUrl ?? "http://tableau.emulator").replace(/\/+$/, ""),
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    recordLimit: options.recordLimit ?? 1000
  }
}

const defaultWorkbooks = (fixtures: Fixtures.Fixtures, count: number): ReadonlyArray<Fixtures.Workbook> => {
  const taken = new Set(fixtures.workbooks.map((workbook) => workbook.id))
  const added: Array<Fixtures.Workbook> = []
  for (let index = 0; added.length < count; index++) {
    const workbook = Fixtures.defaultWorkbook(index)
    if (!taken.has(workbook.id)) added.push(workbook)
  }
  return added
}

// The default fixtures of the last count asked for, kept so that emulators started one after
// another with the same count share one catalog (see Resources.catalogOf); only the last,
// so that a large catalog is not kept once a run has moved on.
let lastDefault: { readonly count: number | undefined; readonly fixtures: Fixtures.Fixtures } | undefined

const defaultFixtures = (count: number | undefined): Fixtures.Fixtures => {
  if (lastDefault === undefined || lastDefault.count !== count) {
    lastDefault = { count, fixtures: Fixtures.make({ workbooks: count }) }
  }
  return lastDefault.fixtures
}

/**
 * Builds an emulated server. Fixtures are indexed and their XML rendered once, here (emulators
 * of the same fixtures object share that work).
 *
 * @example
 * ```ts
 * import { TableauEmulator } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* TableauEmulator.make({ workbooks: 1000 })
 *   const response = yield* emulator.handle({ method: "GET", url: "/api/3.24/serverinfo", headers: {}, body: new Uint8Array() })
 *   console.log(response.status) // 200
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const resolved = settings(options)
    const fixtures = options.fixtures ?? defaultFixtures(options.workbooks)
    const store = yield* EmulatorState.makeStore(fixtures, resolved)
    const now = EmulatorState.now(store)
    const live = Effect.zipWith(Ref.get(store.ref), now, EmulatorState.liveSessions)
    const count = (update: (counters: EmulatorState.Counters) => Partial<EmulatorState.Counters>) =>
      Ref.update(store.ref, (state) => EmulatorState.count(state, update))
    return {
      settings: resolved,
      handle: Handler.make(store),
      activeSessions: Effect.map(live, (sessions) => sessions.length),
      sessions: live,
      signIns: Effect.map(Ref.get(store.ref), (state) => state.counters.signIns),
      stats: Effect.zipWith(Ref.get(store.ref), now, Hooks.stats),
      requests: Effect.map(Ref.get(store.ref), (state) => state.requests),
      fixtures: Effect.map(Ref.get(store.ref), (state) => Resources.fixturesOf(state.catalog)),
      now,
      expireSession: (token) =>
        Effect.flatMap(live, (sessions) => {
          const target = token ?? sessions[sessions.length - 1]?.token
          if (target === undefined) return Effect.succeed(false)
          return Ref.modify(store.ref, (state) => [
            HashMap.has(state.sessions, target),
            EmulatorState.removeSession(state, target)
          ])
        }),
      expireAllSessions: Ref.update(store.ref, (state) => ({ ...state, sessions: HashMap.empty() })),
      advanceClock: (duration) =>
        Ref.update(store.ref, (state) => ({
          ...state,
          clockOffsetMillis: state.clockOffsetMillis + Duration.toMillis(duration)
        })),
      addWorkbooks: (workbooks) =>
        Ref.modify(store.ref, (state) => {
          const added = typeof workbooks === "number"
            ? defaultWorkbooks(Resources.fixturesOf(state.catalog), workbooks)
            : workbooks
          const catalog = Workbooks.add(state.catalog, added)
          return typeof catalog === "string"
            ? [Effect.dieMessage(`addWorkbooks: ${catalog}`), state]
            : [Effect.succeed(added), { ...state, catalog }]
        }).pipe(Effect.flatten),
      failNext: (times, fault, selector = {}) =>
        Ref.update(store.ref, (state) => ({
          ...state,
          faults: [...state.faults, { ...selector, fault, remaining: times }]
        })),
      clearFaults: Ref.update(store.ref, (state) => ({ ...state, faults: [] })),
      startJob: (job = {}) =>
        Effect.flatMap(Ref.get(store.ref), (state) => {
          const siteId = job.siteId ?? Resources.fixturesOf(state.catalog).sites[0]?.id ?? ""
          return Effect.map(
            Jobs.create(store, {
              siteId,
              type: job.type ?? "RefreshExtract",
              target: job.target ?? Workbooks.defaultTarget(state.catalog, siteId),
              userId: job.userId
            }),
            (created) => created.id
          )
        }),
      failJobs: (times, notes) =>
        Ref.update(store.ref, (state) => ({ ...state, catalog: Jobs.planFailures(state.catalog, times, notes) })),
      jobDuration: (duration) =>
        Ref.update(store.ref, (state) => ({
          ...state,
          catalog: Jobs.planDuration(state.catalog, Duration.toMillis(duration))
        })),
      reset: Ref.set(store.ref, store.initial),
      countConnection: count((c) => ({ connections: c.connections + 1 })),
      countRedirect: (path) =>
        count((c) => ({
          redirects: c.redirects + 1,
          httpSignIns: c.httpSignIns + (/\/auth\/signin\/?$/i.test(path.split("?")[0] ?? "") ? 1 : 0)
        }))
    }
  })

// ---------------------------------------------------------------------------------------------
// The in-memory HttpClient
// ---------------------------------------------------------------------------------------------

const encodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Encode", cause })

const bodyBytes = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<
  { readonly bytes: Uint8Array; readonly contentType?: string | undefined },
  HttpClientError.RequestError
> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ bytes: new Uint8Array(0) })
    case "Uint8Array":
      return Effect.succeed({ bytes: body.body, contentType: body.contentType })
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string") {
        return Effect.succeed({ bytes: new TextEncoder().encode(raw), contentType: body.contentType })
      }
      if (raw instanceof Uint8Array) return Effect.succeed({ bytes: raw, contentType: body.contentType })
      if (raw instanceof ArrayBuffer) {
        return Effect.succeed({ bytes: new Uint8Array(raw), contentType: body.contentType })
      }
      return Effect.fail(encodeError(request, "the emulator cannot read this raw body"))
    }
    case "FormData": {
      const web = new globalThis.Response(body.formData)
      return Effect.tryPromise({
        try: async () => ({
          bytes: new Uint8Array(await web.arrayBuffer()),
          contentType: web.headers.get("content-type") ?? undefined
        }),
        catch: (cause) => encodeError(request, cause)
      })
    }
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const bytes = new Uint8Array(parts.reduce((size, part) => size + part.length, 0))
          let offset = 0
          for (const part of parts) {
            bytes.set(part, offset)
            offset += part.length
          }
          return { bytes, contentType: body.contentType }
        }),
        Effect.mapError((cause) => encodeError(request, cause))
      )
  }
}

/**
 * An `HttpClient` that answers every request from the emulator, whatever the host: no sockets,
 * no redirects followed. The `Drop` fault fails the request with a `RequestError` of reason
 * "Transport".
 *
 * @since 0.1.0
 * @category Constructors
 */
export const httpClient = (emulator: Service): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const { bytes, contentType } = yield* bodyBytes(request)
      const headers: Record<string, string> = { ...request.headers }
      if (contentType !== undefined && headers["content-type"] === undefined && bytes.length > 0) {
        headers["content-type"] = contentType
      }
      const response = yield* emulator.handle({
        method: request.method,
        url: `${url.pathname}${url.search}`,
        headers,
        body: bytes
      }).pipe(
        Effect.mapError((dropped) =>
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: dropped,
            description: "the emulator dropped the connection"
          })
        )
      )
      const nullBody = response.status === 204 || response.status === 304 || response.status < 200
      const body = nullBody
        ? null
        : typeof response.body === "string"
        ? response.body
        : new Blob([new Uint8Array(response.body)])
      return HttpClientResponse.fromWeb(
        request,
        new globalThis.Response(body, { status: response.status, headers: response.headers })
      )
    })
  )

/**
 * A layer with the `TableauEmulator` service and an `HttpClient` bound to it: the way to test a
 * Tableau program without a server.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { TableauEmulator } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* HttpClient.HttpClient
 *   const response = yield* client.get("http://tableau.emulator/api/2.4/serverinfo")
 *   const emulator = yield* TableauEmulator.TableauEmulator
 *   console.log(response.status, yield* emulator.activeSessions) // 200 0
 * })
 *
 * Effect.runPromise(program.pipe(Effect.provide(TableauEmulator.layer({ workbooks: 100 }))))
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: Options = {}): Layer.Layer<TableauEmulator | HttpClient.HttpClient> =>
  Layer.effectContext(
    Effect.map(
      make(options),
      (emulator) =>
        Context.make(TableauEmulator, emulator).pipe(Context.add(HttpClient.HttpClient, httpClient(emulator)))
    )
  )
