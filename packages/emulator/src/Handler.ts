/**
 * The one request handler of the emulator, shared by the in-memory layer and the socket server:
 * a request (method, path and query, lower-case headers, body bytes) in, a Tableau answer out.
 * Faults, recording and the test hooks happen here too, so both transports behave alike.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as EmulatorState from "./EmulatorState.js"
import * as Fault from "./Fault.js"
import * as ApiError from "./internal/ApiError.js"
import * as Auth from "./internal/auth.js"
import * as Hooks from "./internal/hooks.js"
import * as Render from "./internal/render.js"
import * as Resources from "./internal/resources/index.js"
import * as Routes from "./internal/routes.js"
import * as Version from "./internal/version.js"
import * as Xml from "./internal/xml.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A request: method, URL path with its query string, headers with lower-case names, and the
 * body. `bodyLength` is the size the client sent when the transport stopped buffering an
 * oversized body.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Request {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly bodyLength?: number | undefined
}

/**
 * An answer: status, headers (lower-case names) and body.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Response {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/**
 * The `Drop` fault: the transport must end the connection without an answer.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ConnectionDropped extends Data.TaggedError("ConnectionDropped")<{
  readonly method: string
  readonly url: string
}> {
  override get message(): string {
    return `The emulator dropped the connection of ${this.method} ${this.url}`
  }
}

/**
 * A handler bound to one emulated server.
 *
 * @since 0.1.0
 * @category Models
 */
export type Handle = (request: Request) => Effect.Effect<Response, ConnectionDropped>

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

const XML_CONTENT_TYPE = "application/xml;charset=UTF-8"

const serverInfo = (context: Auth.Context): Effect.Effect<Auth.Answer> => {
  const { apiVersion, build, productVersion } = context.store.settings
  return Effect.succeed({ status: 200, xml: Render.serverInfo(productVersion, build, apiVersion) })
}

// Paths below `/api/{version}`; keywords match in any case, ids are kept as sent. Made with the
// handler, once the resource modules have all loaded.
const routeTable = (): Routes.Table =>
  Routes.table([
    { method: "GET", path: "/serverinfo", minimum: "2.4", run: serverInfo },
    { method: "POST", path: "/auth/signin", minimum: "2.0", run: Auth.signIn },
    { method: "POST", path: "/auth/signout", minimum: "2.0", run: Auth.signOut },
    { method: "POST", path: "/auth/switchSite", minimum: "2.6", run: Auth.switchSite },
    ...Resources.routes()
  ])

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

const xmlResponse = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Response => ({
  status,
  headers: { "content-type": XML_CONTENT_TYPE, ...headers },
  body
})

const errorResponse = (schemaVersion: string, error: ApiError.ApiError): Response =>
  xmlResponse(
    error.status,
    Xml.envelope(schemaVersion, Xml.errorElement(error.code, error.summary, error.detail)),
    error.headers
  )

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

const statusFault = (schemaVersion: string, fault: Extract<Fault.Fault, { _tag: "Status" }>): Response => {
  const reason = REASONS[fault.status] ?? "Error"
  const retryAfter: Record<string, string> = fault.retryAfterSeconds === undefined
    ? {}
    : { "retry-after": String(fault.retryAfterSeconds) }
  switch (fault.body) {
    case "html":
      return {
        status: fault.status,
        headers: { "content-type": "text/html;charset=UTF-8", ...retryAfter },
        body:
          `<html><head><title>${fault.status} ${reason}</title></head><body><h1>${fault.status} ${reason}</h1></body></html>`
      }
    case "empty":
      return { status: fault.status, headers: retryAfter, body: "" }
    default: {
      const detail = fault.retryAfterSeconds === undefined
        ? `The emulator was told to answer ${fault.status}.`
        : `Too many requests; retry after ${fault.retryAfterSeconds} seconds.`
      return errorResponse(
        schemaVersion,
        ApiError.make(fault.status, `${fault.status}000`, reason, detail, retryAfter)
      )
    }
  }
}

const MALFORMED_BODY = `${Xml.DECLARATION}<tsResponse xmlns="http://tableau.com/api"><workbooks><workbook id="0b1c` +
  `\u0000\u00ff garbage <<<`

const notDelay = (pending: Fault.Pending, path: string, draw: number): boolean =>
  pending.fault._tag !== "Delay" && Fault.applies(pending, path, draw)

const SECRET_HEADERS = new Set(["x-tableau-auth", "authorization", "proxy-authorization", "cookie", "set-cookie"])

const redact = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const redacted: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) redacted[name] = SECRET_HEADERS.has(name) ? "<redacted>" : value
  return redacted
}

interface Target {
  readonly path: string
  readonly segments: ReadonlyArray<string>
  readonly params: URLSearchParams
}

const parseTarget = (url: string): Target | undefined => {
  try {
    const parsed = /^https?:\/\//i.test(url)
      ? new URL(url)
      : new URL(`http://emulator.invalid${url.startsWith("/") ? "" : "/"}${url}`)
    const segments = parsed.pathname.split("/").filter((segment) => segment.length > 0).map(decodeURIComponent)
    return { path: parsed.pathname, segments, params: parsed.searchParams }
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * The handler of one emulated server: test hooks under `/_emulator`, then the body limit, the
 * fault queue, and the Tableau routes under `/api/{version}`; every `/api` request is counted
 * and recorded.
 *
 * @example
 * ```ts
 * import { EmulatorState, Fixtures, Handler } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const store = yield* EmulatorState.makeStore(Fixtures.make(), {
 *     cloud: false, apiVersion: "3.24", productVersion: "2024.2.0", build: "20242.24.0711.1636",
 *     sessionTtlMillis: 240 * 60_000, baseUrl: "http://tableau.emulator", maxBodyBytes: 10 * 1024 * 1024,
 *     recordLimit: 1000
 *   })
 *   const response = yield* Handler.make(store)({ method: "GET", url: "/api/2.4/serverInfo", headers: {}, body: new Uint8Array() })
 *   console.log(response.status) // 200
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (store: EmulatorState.Store): Handle => {
  const ROUTES = routeTable()
  return (request) => handle(store, ROUTES, request)
}

const handle = (store: EmulatorState.Store, ROUTES: Routes.Table, request: Request) =>
  Effect.gen(function*() {
    const { settings } = store
    const method = request.method.toUpperCase()
    const target = parseTarget(request.url)
    if (target !== undefined && target.segments[0]?.toLowerCase() === "_emulator") {
      return yield* Hooks.handle(store, method, target.segments.slice(1), request.body)
    }
    const urlVersion = target?.segments[0]?.toLowerCase() === "api" ? target.segments[1] ?? "" : ""
    const schemaVersion = Version.parse(urlVersion) === undefined ? settings.apiVersion : urlVersion
    let routeName = "unknown"
    const answer = Effect.gen(function*() {
      if (target === undefined) return yield* ApiError.badRequest("The request URL cannot be read.")
      if ((request.bodyLength ?? request.body.length) > settings.maxBodyBytes) {
        return yield* ApiError.payloadTooLarge(settings.maxBodyBytes)
      }
      const draw = yield* Random.next
      let fault = yield* Ref.modify(store.ref, (state) =>
        EmulatorState.takeFault(state, target.path, draw, Fault.applies))
      if (fault?._tag === "Delay") {
        // A delay adds to the other faults: wait, then look for one that is not a delay.
        yield* Effect.sleep(fault.millis)
        fault = yield* Ref.modify(
          store.ref,
          (state) =>
            EmulatorState.takeFault(state, target.path, draw, notDelay)
        )
      }
      if (fault !== undefined) {
        switch (fault._tag) {
          case "Delay":
            break
          case "Drop":
            return yield* new ConnectionDropped({ method, url: request.url })
          case "Malformed":
            return xmlResponse(200, MALFORMED_BODY)
          case "Status":
            return statusFault(schemaVersion, fault)
        }
      }
      const unknown = ApiError.notFound(`Unknown resource '${target.path}' specified in URI.`)
      if (target.segments.length < 2 || target.segments[0]!.toLowerCase() !== "api") return yield* unknown
      const parsedVersion = Version.parse(urlVersion)
      if (parsedVersion === undefined || !Version.atLeast(settings.apiVersion, urlVersion)) {
        return yield* ApiError.unknownVersion(urlVersion)
      }
      const found = ROUTES.find(method, target.segments.slice(2))
      if (found._tag === "Unknown") return yield* unknown
      const { route } = found
      routeName = `${route.method} /api/{v}${route.path}`
      if (!Version.atLeast(urlVersion, route.minimum)) return yield* ApiError.unknownResource(target.path)
      if (found._tag === "WrongMethod") return yield* ApiError.methodNotAllowed(method)
      const result = yield* route.run({
        store,
        version: urlVersion,
        headers: request.headers,
        body: request.body,
        params: found.params,
        query: target.params
      })
      return result.status === 204
        ? { status: 204, headers: {}, body: "" }
        : xmlResponse(result.status, Xml.envelope(schemaVersion, result.xml))
    }).pipe(Effect.catchTag("ApiError", (error) => Effect.succeed(errorResponse(schemaVersion, error))))
    const record = (status: number) =>
      Effect.flatMap(EmulatorState.now(store), (at) =>
        Ref.update(store.ref, (state) =>
          EmulatorState.record(
            state,
            { method, path: request.url, headers: redact(request.headers), status, at },
            routeName,
            settings.recordLimit
          )))
    return yield* answer.pipe(
      Effect.tap((response) => record(response.status)),
      Effect.tapError(() => record(0))
    )
  })
