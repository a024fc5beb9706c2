/**
 * One Tableau server: its base URL, the REST API version in use, and the HTTP client prepared for
 * Tableau (redirects never followed, a timeout and a size limit on every request, the auth header
 * redacted, Tableau's error bodies turned into typed errors).
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Array from "effect/Array"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as ApiVersion from "./ApiVersion.js"
import { makeExecute, prepareClient, userAgent as agent } from "./internal/request.js"
import type { RetryPolicy } from "./internal/retry.js"
import { parseServerUrl } from "./internal/serverUrl.js"
import { ServerInfoResponse } from "./internal/wireResponses.js"
import type { TableauError } from "./TableauError.js"
import { TableauApiError } from "./TableauError.js"
import * as Xml from "./Xml.js"

/**
 * The SDK's User-Agent.
 *
 * @since 0.1.0
 * @category Models
 */
export const userAgent: string = agent

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
  /**
   * How long one attempt of a request may take, from sending it to its answer decoded (body
   * included); each retry gets the same time again. Default 30 seconds.
   */
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
 * connections are retried with exponential backoff and jitter for idempotent methods only (GET, PUT, DELETE; never a POST).
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

const addAuthHeaderToRedacted = Array.append("x-tableau-auth")

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
  readonly execute: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<Response, TableauError>
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

const decodeServerInfo = Xml.decode(ServerInfoResponse, { validate: true })

const toServerInfo = (decoded: typeof ServerInfoResponse.Type): ServerInfo => {
  const { productVersion, restApiVersion } = decoded.tsResponse.serverInfo
  return new ServerInfo({
    productVersion: productVersion.text,
    restApiVersion,
    ...(productVersion.build !== undefined ? { build: productVersion.build } : {})
  })
}

const DEFAULT_TIMEOUT = Duration.seconds(30)
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

/**
 * Builds the service: checks the URL, and with `apiVersion: "auto"` asks the server its version.
 * For the scope it runs in, `X-Tableau-Auth` prints as `<redacted>` wherever the program
 * inspects or logs a request (the raw `httpClient`'s included), as `Authorization` does.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 *
 * const server = Effect.scoped(TableauServer.make({ url: "https://tableau.example.com", apiVersion: "3.24" }))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make: (
  options: Options
) => Effect.Effect<Service, TableauError, HttpClient.HttpClient | Scope.Scope> = Effect.fn("tableau.server.make", {
  captureStackTrace: false
})(function*(options: Options) {
  const url = yield* parseServerUrl(options.url)
  yield* Effect.locallyScopedWith(Headers.currentRedactedNames, addAuthHeaderToRedacted)
  const httpClient = prepareClient(yield* HttpClient.HttpClient, url.base)
  const execute = makeExecute(httpClient, url.base, {
    timeout: Duration.decode(options.timeout ?? DEFAULT_TIMEOUT),
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    retry: retryPolicy(options.retry)
  })
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
  Layer.scoped(TableauServer, make(options))

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

// What a program on layerConfig reads, said at once when the first of them is missing.
const everyVariable =
  "TABLEAU_SERVER_URL is not set. tableau-effect reads TABLEAU_SERVER_URL (the server's root URL, " +
  "required), TABLEAU_API_VERSION (\"auto\" or e.g. \"3.24\", default auto), TABLEAU_SITE (the site's contentUrl, " +
  "default \"\": the Default site), TABLEAU_IMPERSONATE_USER_ID (optional), and one kind of credentials: " +
  "TABLEAU_PAT_NAME + TABLEAU_PAT_SECRET, TABLEAU_USERNAME + TABLEAU_PASSWORD, TABLEAU_JWT, or " +
  "TABLEAU_CONNECTED_APP_CLIENT_ID + TABLEAU_CONNECTED_APP_SECRET_ID + TABLEAU_CONNECTED_APP_SECRET_VALUE + TABLEAU_USERNAME"

/**
 * The server's settings from the environment: `TABLEAU_SERVER_URL` (required) and
 * `TABLEAU_API_VERSION` (`auto` when unset).
 *
 * @since 0.1.0
 * @category Models
 */
export const config: Config.Config<Options> = Config.all({
  url: Config.option(Config.string("TABLEAU_SERVER_URL")).pipe(
    Config.mapOrFail((url) =>
      Option.isSome(url)
        ? Either.right(url.value)
        : Either.left(ConfigError.MissingData(["TABLEAU_SERVER_URL"], everyVariable))
    )
  ),
  apiVersion: Config.string("TABLEAU_API_VERSION").pipe(
    Config.validate({
      message: "expected \"auto\" or a REST API version such as \"3.24\"",
      validation: (value) => value === "auto" || /^\d{1,2}\.\d{1,3}$/.test(value)
    }),
    Config.withDefault("auto")
  )
})

/**
 * `layer` with options read through `Config`: a missing variable is a `ConfigError` in the
 * layer's error channel. Takes a `Config` of the options, or the options with `Config` values
 * in place of any field (`{ url: Config.string("MY_URL"), timeout: Config.succeed("1 minute") }`).
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
  options: Config.Config.Wrap<Options> = config
): Layer.Layer<TableauServer, TableauError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(TableauServer, Effect.flatMap(Config.unwrap(options), make))
