/**
 * The Node transport for `@tableau-effect/client`: an `HttpClient` dispatching on an undici
 * `Agent`, for servers behind a private CA or a self-signed certificate, servers that ask
 * for client certificates, a keep-alive pool, connect and request timeouts, and an opt-in upgrade
 * of http->https redirects. Redirects are never followed otherwise. (undici's fetch would add web
 * streams and Request/Response objects to every call, and `undici.request` a Node `Readable` and
 * an `AbortSignal`, which nothing here needs.)
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { Agent } from "undici"
import { connectOptions } from "./internal/tls.js"
import { makeUndiciClient } from "./internal/undiciClient.js"
import { upgradeHttps } from "./internal/upgradeHttps.js"
import { TableauNodeConfigError } from "./TableauNodeError.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * TLS options. Every file option takes a path to a PEM file or the PEM text itself.
 *
 * @since 0.1.0
 * @category Models
 */
export interface TlsOptions {
  /** CA certificates to trust (paths or PEM text): your company's CA, or a self-signed server certificate. */
  readonly ca?: string | ReadonlyArray<string> | undefined
  /** `true`: trust only `ca`. Default `false`: trust `ca` in addition to Node's roots (and `NODE_EXTRA_CA_CERTS`). */
  readonly replaceRoots?: boolean | undefined
  /** `false` turns certificate checks off (development only; a warning is logged). Default `true`. */
  readonly rejectUnauthorized?: boolean | undefined
  /** A client certificate (path or PEM), for servers that ask for one; needs `key`. */
  readonly cert?: string | undefined
  /** The client certificate's private key (path or PEM). */
  readonly key?: string | undefined
  /** The passphrase of an encrypted `key`. */
  readonly passphrase?: Redacted.Redacted<string> | undefined
}

/**
 * Options of `TableauNode.layer`; all optional.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  readonly tls?: TlsOptions | undefined
  /** Per request: the longest wait for the response headers, and between two chunks of the body. Default 300 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The longest wait for a TCP connection and its TLS handshake. Default 10 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** Keep-alive connections per origin. Default 8. */
  readonly connections?: number | undefined
  /**
   * `"error"` (default): a 3xx reaches the client, which fails with `TableauRedirectError`.
   * `"upgrade-https"`: an http request redirected to https on the same host (any port) and path is
   * re-sent there, once per origin, and logged; every other redirect is still an error.
   */
  readonly redirects?: "error" | "upgrade-https" | undefined
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

const DEFAULT_CONNECTIONS = 8

const invalid = (option: string, reason: string) => Effect.fail(new TableauNodeConfigError({ option, reason }))

const millis = (option: string, input: Duration.DurationInput | undefined) => {
  if (input === undefined) return Effect.succeed(undefined)
  const duration = Duration.decodeUnknown(input)
  if (Option.isNone(duration)) return invalid(option, `${String(input)} is not a duration`)
  const ms = Duration.toMillis(duration.value)
  return ms > 0 && Number.isFinite(ms)
    ? Effect.succeed(Math.ceil(ms))
    : invalid(option, `it must be a positive, finite duration (got ${Duration.format(duration.value)})`)
}

// Closing waits for requests in flight; a request that will not end is cut after a grace period.
const closeAgent = (agent: Agent): Effect.Effect<void> =>
  Effect.promise(() =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => agent.destroy().then(resolve, resolve), 2_000)
      timer.unref()
      agent.close().then(
        () => {
          clearTimeout(timer)
          resolve()
        },
        () => resolve()
      )
    })
  )

const VERIFICATION_OFF = "TLS certificate verification is off (tls.rejectUnauthorized: false), so every server, and anyone " +
  "in between, can read the credentials and tokens this client sends. Use it for development only; give the " +
  "server's CA with TableauNode.layer({ tls: { ca } }) instead."

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * Builds the `HttpClient`: reads and checks the PEM files, opens the undici `Agent` (closed when
 * the scope ends), and dispatches every request on it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const client = yield* TableauNode.make({ tls: { ca: "/etc/ssl/certs/company-root.pem" } })
 *   const response = yield* client.get("https://tableau.internal/api/2.4/serverinfo")
 *   yield* Effect.log(response.status)
 * }))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<HttpClient.HttpClient, TableauNodeConfigError, Scope.Scope> =>
  Effect.gen(function*() {
    const connections = options.connections ?? DEFAULT_CONNECTIONS
    if (!Number.isSafeInteger(connections) || connections < 1) {
      return yield* invalid("connections", `it must be a whole number of at least 1 (got ${connections})`)
    }
    const redirects = options.redirects ?? "error"
    if (redirects !== "error" && redirects !== "upgrade-https") {
      return yield* invalid("redirects", `it must be "error" or "upgrade-https" (got ${JSON.stringify(redirects)})`)
    }
    const timeout = yield* millis("timeout", options.timeout)
    const connectTimeout = yield* millis("connectTimeout", options.connectTimeout)
    const tls = yield* connectOptions(options.tls ?? {})
    if (tls.rejectUnauthorized === false) yield* Effect.logWarning(VERIFICATION_OFF)
    const agent = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new Agent({
          connections,
          ...(timeout !== undefined ? { headersTimeout: timeout, bodyTimeout: timeout } : {}),
          connect: {
            ...(tls.ca !== undefined ? { ca: [...tls.ca] } : {}),
            ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
            ...(tls.key !== undefined ? { key: tls.key } : {}),
            ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
            ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
            ...(connectTimeout !== undefined ? { timeout: connectTimeout } : {})
          }
        })
      ),
      closeAgent
    )
    const client = makeUndiciClient(agent)
    return redirects === "upgrade-https" ? yield* upgradeHttps(client) : client
  }).pipe(Effect.withSpan("tableau.node.make"))

// ---------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------

/**
 * The `HttpClient` for `TableauServer.layer` on Node: trust a private CA, present a client
 * certificate, pool keep-alive connections, bound connect and request times. The agent is closed
 * when the layer's scope ends; an option that cannot be used fails the layer with a
 * `TableauNodeConfigError` that names it (and its file).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * const TableauLive = TableauSession.layer(
 *   Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "secret", site: "MarketingTeam" })
 * ).pipe(
 *   Layer.provide(TableauServer.layer({ url: "https://tableau.internal", apiVersion: "auto" })),
 *   Layer.provide(TableauNode.layer({ tls: { ca: "/etc/ssl/certs/company-root.pem" }, timeout: "60 seconds" }))
 * )
 *
 * const program = Effect.flatMap(TableauServer.serverInfo, (info) => Effect.log(info.productVersion)).pipe(
 *   Effect.provide(TableauLive)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (options: Options = {}): Layer.Layer<HttpClient.HttpClient, TableauNodeConfigError> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/**
 * The options from the environment, all optional: `TABLEAU_CA_FILE` (PEM paths, comma-separated),
 * `TABLEAU_TLS_REPLACE_ROOTS`, `TABLEAU_TLS_VERIFY` (`false` turns checks off), `TABLEAU_TLS_CERT_FILE`,
 * `TABLEAU_TLS_KEY_FILE`, `TABLEAU_TLS_KEY_PASSPHRASE`, `TABLEAU_REQUEST_TIMEOUT` and
 * `TABLEAU_CONNECT_TIMEOUT` (e.g. `30 seconds`), `TABLEAU_CONNECTIONS`, `TABLEAU_REDIRECTS`
 * (`error` or `upgrade-https`).
 *
 * @since 0.1.0
 * @category Models
 */
export const config: Config.Config<Options> = Config.all({
  ca: Config.option(Config.array(Config.string(), "TABLEAU_CA_FILE")),
  replaceRoots: Config.withDefault(Config.boolean("TABLEAU_TLS_REPLACE_ROOTS"), false),
  verify: Config.withDefault(Config.boolean("TABLEAU_TLS_VERIFY"), true),
  cert: Config.option(Config.string("TABLEAU_TLS_CERT_FILE")),
  key: Config.option(Config.string("TABLEAU_TLS_KEY_FILE")),
  passphrase: Config.option(Config.redacted("TABLEAU_TLS_KEY_PASSPHRASE")),
  timeout: Config.option(Config.duration("TABLEAU_REQUEST_TIMEOUT")),
  connectTimeout: Config.option(Config.duration("TABLEAU_CONNECT_TIMEOUT")),
  connections: Config.option(Config.integer("TABLEAU_CONNECTIONS")),
  redirects: Config.withDefault(Config.literal("error", "upgrade-https")("TABLEAU_REDIRECTS"), "error")
}).pipe(
  Config.map((env): Options => ({
    tls: {
      ...(Option.isSome(env.ca) ? { ca: env.ca.value.map((path) => path.trim()).filter((path) => path !== "") } : {}),
      ...(env.replaceRoots ? { replaceRoots: true } : {}),
      ...(env.verify ? {} : { rejectUnauthorized: false }),
      ...(Option.isSome(env.cert) ? { cert: env.cert.value } : {}),
      ...(Option.isSome(env.key) ? { key: env.key.value } : {}),
      ...(Option.isSome(env.passphrase) ? { passphrase: env.passphrase.value } : {})
    },
    ...(Option.isSome(env.timeout) ? { timeout: env.timeout.value } : {}),
    ...(Option.isSome(env.connectTimeout) ? { connectTimeout: env.connectTimeout.value } : {}),
    ...(Option.isSome(env.connections) ? { connections: env.connections.value } : {}),
    redirects: env.redirects
  }))
)

/**
 * `layer` with options read through `Config` (by default `config`, from the environment): a
 * malformed variable is a `ConfigError` in the layer's error channel.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TableauServer } from "@tableau-effect/client"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * // TABLEAU_SERVER_URL=https://tableau.internal TABLEAU_CA_FILE=/etc/ssl/certs/company-root.pem
 * const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(TableauNode.layerConfig()))
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options: Config.Config<Options> = config
): Layer.Layer<HttpClient.HttpClient, TableauNodeConfigError | ConfigError.ConfigError> =>
  Layer.scoped(HttpClient.HttpClient, Effect.flatMap(options, make))
