/**
 * One Tableau server: its base URL, the REST API version in use, and the HTTP client prepared for
 * Tableau (redirects never followed, a timeout and a size limit on every request, the auth header
 * redacted, Tableau's error bodies turned into typed errors).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { constTrue } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import * as ApiVersion from "./ApiVersion.js"
import * as RequestDeadline from "./RequestDeadline.js"
import { readBody } from "./internal/body.js"
import { classifyResponse } from "./internal/classify.js"
import { deadline } from "./internal/deadline.js"
import { type RetryPolicy, withRetries } from "./internal/retry.js"
import { parseServerUrl } from "./internal/serverUrl.js"
import type { TableauError } from "./TableauError.js"
import { TableauApiError, TableauTransportError } from "./TableauError.js"
import * as Xml from "./Xml.js"

/**
 * The SDK's User-Agent.
 *
 * @since 0.1.0
 * @category Models
 */
export const userAgent = "tableau-effect/0.1.0"

/**
 * Where the server runs: Tableau Cloud lacks switchSite, impersonation and site listing.
 *
 * @since 0.1.0
 * @category Models
 */
export type Deployment = "server" | "cloud"

/**
 * Options of `TableauServer.layer`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /** The server's root URL, e.g. `https://tableau.example.com` (a reverse-proxy path prefix is kept). */
  readonly url: string
  /** `"auto"` asks `GET /api/2.4/serverinfo` once; or a fixed version such as `"3.24"`. Default `"auto"`. */
  readonly apiVersion?: "auto" | string
  /** Per-request timeout, covering the whole answer. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /** The largest response body accepted. Default 16 MiB. */
  readonly maxResponseBytes?: number
  /** `"auto"` (default) treats `*.online.tableau.com` as Tableau Cloud. */
  readonly deployment?: Deployment | "auto"
  /** How 429, 502-504 and dropped connections are retried; `false` turns retries off. */
  readonly retry?: RetryOptions | false
}

/**
 * The retry policy: 429 waits as long as `Retry-After` (or the error detail) says, up to
 * `maxRetryAfter`, for any method (the request was not processed); 502, 503, 504 and dropped
 * connections are retried with exponential backoff and jitter for GETs only.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  readonly times?: number
  /** The first backoff delay, doubled on each retry. Default 200 milliseconds. */
  readonly baseDelay?: Duration.DurationInput
  /** The longest backoff delay. Default 10 seconds. */
  readonly maxDelay?: Duration.DurationInput
  /** A longer `Retry-After` than this fails at once instead of waiting. Default 60 seconds. */
  readonly maxRetryAfter?: Duration.DurationInput
}

const retryPolicy = (options: RetryOptions | false | undefined): RetryPolicy | undefined =>
  options === false ? undefined : {
    times: options?.times ?? 3,
    baseDelay: Duration.decode(options?.baseDelay ?? "200 millis"),
    maxDelay: Duration.decode(options?.maxDelay ?? "10 seconds"),
    maxRetryAfter: Duration.decode(options?.maxRetryAfter ?? "60 seconds")
  }

/**
 * A response that passed the checks: 2xx, within the size limit, body read as text.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Response extends Xml.ResponseInfo {
  readonly headers: Headers.Headers
}

/**
 * Options of `Service.execute`.
 *
 * @example
 * ```ts
 * import { HttpClientRequest } from "@effect/platform"
 * import { Effect } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const info = Effect.flatMap(TableauServer.TableauServer, (server) =>
 *   Effect.useSpan("my.job", (span) =>
 *     server.execute(HttpClientRequest.get(`/api/${server.apiVersion}/serverinfo`), { parent: span })))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export interface ExecuteOptions {
  /**
   * The span to put the request's `tableau.request` span under, for a caller that keeps its own
   * span out of the context: putting a span there costs more than the rest of a call's Effect
   * work. Default: the current span.
   */
  readonly parent?: Tracer.AnySpan | undefined
}

/**
 * The `TableauServer` service.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  /** The server's root URL, without a trailing slash. */
  readonly url: string
  /** The REST API version used in every path. */
  readonly apiVersion: ApiVersion.ApiVersion
  readonly deployment: Deployment
  /**
   * Sends a request whose URL is a path from the root (`/api/3.24/auth/signin`): a 3xx is a
   * `TableauRedirectError`, another non-2xx a `TableauApiError` (or `TableauDecodeError` when the
   * body is not Tableau's), a transport failure a `TableauTransportError`.
   */
  readonly execute: (
    request: HttpClientRequest.HttpClientRequest,
    options?: ExecuteOptions
  ) => Effect.Effect<Response, TableauError>
  /** The platform client behind `execute`, for calls the SDK does not cover: root URL prepended, redirects not followed. */
  readonly httpClient: HttpClient.HttpClient
}

/**
 * The service of one configured Tableau server.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const server = yield* TableauServer.TableauServer
 *   yield* Effect.log(`using REST API ${server.apiVersion}`)
 * }).pipe(
 *   Effect.provide(TableauServer.layer({ url: "https://tableau.example.com" })),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export class TableauServer extends Context.Tag("@tableau-effect/client/TableauServer")<TableauServer, Service>() {}

/**
 * What `GET /api/{v}/serverinfo` tells about the server.
 *
 * @since 0.1.0
 * @category Models
 */
export class ServerInfo extends Schema.Class<ServerInfo>("@tableau-effect/client/ServerInfo")({
  productVersion: Schema.String,
  build: Schema.optional(Schema.String),
  restApiVersion: ApiVersion.ApiVersion
}) {}

const ProductVersion = Schema.Union(
  Schema.String,
  Schema.Struct({ "#text": Schema.optionalWith(Schema.String, { default: () => "" }), build: Schema.optional(Schema.String) })
)

const ServerInfoResponse = Xml.response({
  serverInfo: Schema.Struct({ productVersion: ProductVersion, restApiVersion: ApiVersion.ApiVersion })
})

const decodeServerInfo = Xml.decode(ServerInfoResponse, { validate: true })

const toServerInfo = (decoded: typeof ServerInfoResponse.Type): ServerInfo => {
  const { productVersion, restApiVersion } = decoded.tsResponse.serverInfo
  return typeof productVersion === "string"
    ? new ServerInfo({ productVersion, restApiVersion })
    : new ServerInfo({
      productVersion: productVersion["#text"],
      restApiVersion,
      ...(productVersion.build !== undefined ? { build: productVersion.build } : {})
    })
}

const DEFAULT_TIMEOUT = Duration.seconds(30)
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

const addAuthHeaderToRedacted = (names: ReadonlyArray<string | RegExp>) =>
  names.includes("x-tableau-auth") ? names : [...names, "x-tableau-auth"]

// Fetch follows redirects unless told not to (TableauNode's client and the emulator never do): a
// followed 302 turns a POST into a GET (Tableau's 405000) and could carry credentials to another
// host. A `FetchHttpClient.RequestInit` the caller provides is kept.
const manualRedirects = <R>(context: Context.Context<R>): Context.Context<R> =>
  Context.add(context, FetchHttpClient.RequestInit, {
    ...Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({})),
    redirect: "manual"
  }) as Context.Context<R>

// One span per call is ours (tableau.request, with Tableau's attributes); the platform's own
// http.client span would double the cost of tracing for nothing Tableau reads.
const tableauContext = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(Effect.mapInputContext(effect, manualRedirects<R>), HttpClient.currentTracerDisabledWhen, constTrue)

// One header at a time: setHeaders lowercases and spreads its input, twelve times the cost.
const prepareRequest = (request: HttpClientRequest.HttpClientRequest, base: string) =>
  HttpClientRequest.prependUrl(request, base).pipe(
    HttpClientRequest.setHeader("user-agent", userAgent),
    HttpClientRequest.setHeader("accept", "application/xml")
  )

/**
 * The platform client prepared for Tableau: root URL prepended, User-Agent set, redirects
 * answered, never followed.
 */
const prepareClient = (client: HttpClient.HttpClient, base: string): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.mapRequest((request) => prepareRequest(request, base)),
    HttpClient.transformResponse(tableauContext)
  )

// `TableauServer.layer` redacts the header for its whole scope; `make` alone does it per call.
const redactingAuthHeader = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  FiberRef.getWith(Headers.currentRedactedNames, (names) =>
    names.includes("x-tableau-auth")
      ? effect
      : Effect.locally(effect, Headers.currentRedactedNames, addAuthHeaderToRedacted(names)))

const makeExecute = (
  client: HttpClient.HttpClient,
  base: string,
  timeout: Duration.Duration,
  maxResponseBytes: number,
  retry: RetryPolicy | undefined
): Service["execute"] => {
  // A client that enforces deadlines is sent to directly: no platform context to set per call.
  const direct = RequestDeadline.sendOf(client)
  const send: RequestDeadline.Send = direct ?? ((request) => tableauContext(client.execute(request)))
  const timedOut = (url: string) =>
    new TableauTransportError({
      reason: "Timeout",
      url,
      description: `no complete answer within ${Duration.format(timeout)}`,
      hint: "Raise the timeout option of TableauServer.layer if the server is slow."
    })
  return (request, options) => {
    const prepared = prepareRequest(request, base)
    const fullUrl = prepared.url
    const attempt = (handed: RequestDeadline.RequestDeadline | undefined) =>
      send(prepared, handed).pipe(
        Effect.flatMap((response) => {
          const headers = response.headers
          return Effect.flatMap(readBody(response, headers, maxResponseBytes, fullUrl), (body) =>
            classifyResponse({ request: prepared, baseUrl: base, fullUrl, response, headers, body }))
        }),
        Effect.catchTag("RequestError", "ResponseError", (error) =>
          Effect.fail(
            error.cause === RequestDeadline.exceeded
              ? timedOut(fullUrl)
              : TableauTransportError.fromCause(error.cause ?? error, fullUrl)
          ))
      )
    // The span is not made the parent of what runs inside: nothing there makes spans of its own
    // (the platform's are off for our requests), and a parent costs a context per call. Retry
    // logs are the exception, and get it.
    return Effect.useSpan("tableau.request", {
      kind: "client",
      captureStackTrace: false,
      attributes: { "http.request.method": request.method, "url.path": request.url.split("?")[0] },
      ...(options?.parent !== undefined ? { parent: options.parent } : {})
    }, (span) => {
      const timed = deadline(attempt, timeout, () => timedOut(fullUrl), direct !== undefined)
      return withRetries(timed, request.method, retry, span).pipe(
        Effect.tapBoth({
          onSuccess: (response) => Effect.sync(() => span.attribute("http.response.status_code", response.status)),
          onFailure: (error) =>
            Effect.sync(() => {
              span.attribute("tableau.error", error._tag)
              if ("status" in error) span.attribute("http.response.status_code", error.status)
              if ("code" in error && error.code !== undefined) span.attribute("tableau.error_code", error.code)
            })
        }),
        redactingAuthHeader
      )
    })
  }
}

/**
 * Builds the service: checks the URL, and with `apiVersion: "auto"` asks the server its version.
 *
 * @example
 * ```ts
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const server = TableauServer.make({ url: "https://tableau.example.com", apiVersion: "3.24" })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = Effect.fn("tableau.server.make", { captureStackTrace: false })(function*(options: Options) {
  const url = yield* parseServerUrl(options.url)
  const client = yield* HttpClient.HttpClient
  const httpClient = prepareClient(client, url.base)
  const execute = makeExecute(
    client,
    url.base,
    Duration.decode(options.timeout ?? DEFAULT_TIMEOUT),
    options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retryPolicy(options.retry)
  )
  const requested = options.apiVersion ?? "auto"
  const apiVersion = requested === "auto"
    ? (yield* fetchServerInfo(execute, ApiVersion.minimums.serverInfo, true)).restApiVersion
    : yield* Schema.decodeUnknown(ApiVersion.ApiVersion)(requested).pipe(
      Effect.mapError(() => url.invalid(`apiVersion ${JSON.stringify(requested)} is neither "auto" nor like "3.24"`))
    )
  const deployment: Deployment = options.deployment === undefined || options.deployment === "auto"
    ? (url.isCloudHost ? "cloud" : "server")
    : options.deployment
  yield* Effect.annotateCurrentSpan({ "tableau.url": url.base, "tableau.api_version": apiVersion })
  return TableauServer.of({ url: url.base, apiVersion, deployment, execute, httpClient })
})

const fetchServerInfo = (execute: Service["execute"], version: string, probing: boolean) =>
  execute(HttpClientRequest.get(`/api/${version}/serverinfo`)).pipe(
    Effect.flatMap(decodeServerInfo),
    Effect.map(toServerInfo),
    Effect.catchTag("TableauApiError", (error) =>
      Effect.fail(
        probing && error.status === 404
          ? new TableauApiError({
            status: error.status,
            code: error.code,
            summary: error.summary,
            detail: error.detail,
            method: error.method,
            url: error.url,
            hint: "The server does not answer serverinfo: it is older than Tableau 10.1 (REST API 2.4) " +
              "or the URL is not the server's root; set apiVersion explicitly in TableauServer.layer"
          })
          : error
      ))
  )

/**
 * The layer of `TableauServer`; needs an `HttpClient` (`FetchHttpClient.layer`, `TableauNode.layer`,
 * or a test double such as the emulator).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const ServerLive = TableauServer.layer({ url: "https://tableau.example.com", apiVersion: "auto" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: Options): Layer.Layer<TableauServer, TableauError, HttpClient.HttpClient> =>
  Layer.merge(Layer.effect(TableauServer, make(options)), redactAuthHeader)

// Wherever the program inspects or logs a request of ours (the raw `httpClient`s included),
// `X-Tableau-Auth` prints as <redacted>, like Authorization does.
const redactAuthHeader = Layer.scopedDiscard(
  Effect.locallyScopedWith(Headers.currentRedactedNames, addAuthHeaderToRedacted)
)

/**
 * Asks the server for its product version, build and newest REST API version (no sign-in needed).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const info = yield* TableauServer.serverInfo
 *   yield* Effect.log(`${info.productVersion} speaks REST API ${info.restApiVersion}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const serverInfo: Effect.Effect<ServerInfo, TableauError, TableauServer> = Effect.flatMap(
  TableauServer,
  (server) =>
    Effect.zipRight(
      ApiVersion.require("serverinfo", ApiVersion.minimums.serverInfo, server.apiVersion),
      fetchServerInfo(server.execute, server.apiVersion, false)
    )
).pipe(Effect.withSpan("tableau.serverInfo", { captureStackTrace: false }))

/**
 * The server's settings from the environment: `TABLEAU_SERVER_URL` (required) and
 * `TABLEAU_API_VERSION` (`auto` when unset).
 *
 * @since 0.1.0
 * @category Models
 */
export const config: Config.Config<Options> = Config.all({
  url: Config.string("TABLEAU_SERVER_URL"),
  apiVersion: Config.withDefault(Config.string("TABLEAU_API_VERSION"), "auto")
})

/**
 * `layer` with options read through `Config`: a missing variable is a `ConfigError` in the
 * layer's error channel.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * // TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_API_VERSION=3.24
 * const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options: Config.Config<Options> = config
): Layer.Layer<TableauServer, TableauError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.merge(Layer.effect(TableauServer, Effect.flatMap(options, make)), redactAuthHeader)
