/**
 * The Node transport for the Tableau client: an `HttpClient` on an undici `Agent` (or a
 * `Dispatcher` of your own, such as a `ProxyAgent`), for servers behind a private CA or a
 * self-signed certificate, servers that ask for client certificates, a keep-alive pool, a connect
 * timeout, proxies, and an opt-in upgrade of http->https redirects. Redirects are never followed
 * otherwise. How long a request may take is the caller's `Effect.timeout` (TableauServer's
 * `timeout`): interrupting a request aborts it, body included.
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
import { Agent, type Dispatcher } from "undici"
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
  /** The longest wait for a TCP connection and its TLS handshake. Default 10 seconds. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** Keep-alive connections per origin. Default 8. */
  readonly connections?: number | undefined
  /**
   * Your own undici `Dispatcher` instead of the `Agent` this package builds: a `ProxyAgent`, an
   * `EnvHttpProxyAgent` (`HTTPS_PROXY`, `NO_PROXY`), a `MockAgent`. It is yours: the layer does
   * not close it. It carries its own TLS and pool settings, so `tls`, `connections` and
   * `connectTimeout` cannot be given with it.
   */
  readonly dispatcher?: Dispatcher | undefined
  /**
   * The longest wait for the response headers once the request is sent. Default: none, the
   * request's own timeout (`TableauServer.layer({ timeout })`, or any `Effect.timeout`) decides;
   * with your own `dispatcher`, the dispatcher's own setting (undici's default: 300 seconds).
   */
  readonly headersTimeout?: Duration.DurationInput | undefined
  /** The longest wait between two chunks of the body. Default: as for `headersTimeout`. */
  readonly bodyTimeout?: Duration.DurationInput | undefined
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

// undici counts in whole milliseconds.
const millis = (option: string, input: Duration.DurationInput | undefined) => {
  if (input === undefined) return Effect.succeed(undefined)
  const duration = Duration.decodeUnknown(input)
  if (Option.isNone(duration)) return invalid(option, `${String(input)} is not a duration`)
  const ms = Duration.toMillis(duration.value)
  return ms > 0 && ms < 2 ** 31
    ? Effect.succeed(Math.ceil(ms))
    : invalid(option, `it must be a positive duration under 24 days (got ${Duration.format(duration.value)})`)
}

// Closing waits for requests in flight; a request that will not end is cut after a grace period,
// on a timer of its own (not the fiber's Clock: a TestClock would never end it).
const closeAgent = (agent: Agent) =>
  Effect.promise(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => resolve(agent.destroy()), 2_000)
      timer.unref()
    })
    return Promise.race([agent.close(), grace]).finally(() => clearTimeout(timer))
  })

const VERIFICATION_OFF =
  "TLS certificate verification is off (tls.rejectUnauthorized: false), so every server, and anyone " +
  "in between, can read the credentials and tokens this client sends. Use it for development only; give the " +
  "server's CA with TableauNode.layer({ tls: { ca } }) instead."

// The Agent this package builds: TLS, pool size and connect timeout.
const makeAgent = (options: Options) =>
  Effect.gen(function*() {
    const connections = options.connections ?? DEFAULT_CONNECTIONS
    if (!Number.isSafeInteger(connections) || connections < 1) {
      return yield* invalid("connections", `it must be a whole number of at least 1 (got ${connections})`)
    }
    const connectTimeout = yield* millis("connectTimeout", options.connectTimeout)
    const tls = yield* connectOptions(options.tls ?? {})
    if (tls.rejectUnauthorized === false) yield* Effect.logWarning(VERIFICATION_OFF)
    return yield* Effect.acquireRelease(
      Effect.sync(() =>
        new Agent({
          connections,
          // Off (undici's default is 300 seconds each): the caller's timeout decides, unless the
          // headersTimeout and bodyTimeout options, given with each request, say otherwise.
          headersTimeout: 0,
          bodyTimeout: 0,
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
  })

// Options that configure the Agent, and so mean nothing with a dispatcher of the caller's.
const AGENT_OPTIONS = ["tls", "connections", "connectTimeout"] as const

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * Builds the `HttpClient`: reads and checks the PEM files, opens the undici `Agent` (closed when
 * the scope ends), or takes the given `dispatcher`, and sends every request through it.
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
    const redirects = options.redirects ?? "error"
    if (redirects !== "error" && redirects !== "upgrade-https") {
      return yield* invalid("redirects", `it must be "error" or "upgrade-https" (got ${JSON.stringify(redirects)})`)
    }
    const limits = {
      headersTimeout: yield* millis("headersTimeout", options.headersTimeout),
      bodyTimeout: yield* millis("bodyTimeout", options.bodyTimeout)
    }
    if (options.dispatcher !== undefined) {
      // An empty tls (what `config` reads from an environment with no TLS variables) sets nothing.
      const clash = AGENT_OPTIONS.find((option) =>
        option === "tls"
          ? Object.values(options.tls ?? {}).some((value) => value !== undefined)
          : options[option] !== undefined
      )
      if (clash !== undefined) {
        return yield* invalid(
          clash,
          "it configures the Agent this package builds, and a dispatcher was given: set it on your dispatcher " +
            "(a ProxyAgent takes requestTls and proxyTls, an Agent connect), or leave out dispatcher"
        )
      }
    }
    const dispatcher = options.dispatcher ?? (yield* makeAgent(options))
    const client = makeUndiciClient(dispatcher, limits)
    return redirects === "upgrade-https" ? yield* upgradeHttps(client) : client
  }).pipe(Effect.withSpan("tableau.node.make"))

// ---------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------

/**
 * The `HttpClient` for `TableauServer.layer` on Node: trust a private CA, present a client
 * certificate, pool keep-alive connections, bound the connect time, or go through your own
 * `dispatcher` (a proxy). The agent is closed when the layer's scope ends; an option that cannot
 * be used fails the layer with a `TableauNodeConfigError` that names it (and its file).
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { EnvHttpProxyAgent } from "undici"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * // Provide it under TableauServer.layer; here it is used as it is.
 * const Direct = TableauNode.layer({ tls: { ca: "/etc/ssl/certs/company-root.pem" }, connectTimeout: "5 seconds" })
 * // Through the proxy that HTTPS_PROXY names (NO_PROXY is honoured).
 * const Proxied = TableauNode.layer({ dispatcher: new EnvHttpProxyAgent() })
 *
 * const status = Effect.flatMap(HttpClient.HttpClient, (client) => client.get("https://tableau.internal/api/2.4/serverinfo")).pipe(
 *   Effect.map((response) => response.status),
 *   Effect.provide(Direct)
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
 * `TABLEAU_TLS_KEY_FILE`, `TABLEAU_TLS_KEY_PASSPHRASE`, `TABLEAU_CONNECT_TIMEOUT`,
 * `TABLEAU_HEADERS_TIMEOUT` and `TABLEAU_BODY_TIMEOUT` (e.g. `30 seconds`), `TABLEAU_CONNECTIONS`,
 * `TABLEAU_REDIRECTS` (`error` or `upgrade-https`). A dispatcher is not read from the environment:
 * give `dispatcher: new EnvHttpProxyAgent()` for `HTTPS_PROXY`.
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
  connectTimeout: Config.option(Config.duration("TABLEAU_CONNECT_TIMEOUT")),
  headersTimeout: Config.option(Config.duration("TABLEAU_HEADERS_TIMEOUT")),
  bodyTimeout: Config.option(Config.duration("TABLEAU_BODY_TIMEOUT")),
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
    ...(Option.isSome(env.connectTimeout) ? { connectTimeout: env.connectTimeout.value } : {}),
    ...(Option.isSome(env.headersTimeout) ? { headersTimeout: env.headersTimeout.value } : {}),
    ...(Option.isSome(env.bodyTimeout) ? { bodyTimeout: env.bodyTimeout.value } : {}),
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
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * // TABLEAU_CA_FILE=/etc/ssl/certs/company-root.pem TABLEAU_CONNECTIONS=4
 * const client = HttpClient.HttpClient.pipe(Effect.provide(TableauNode.layerConfig()))
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  options: Config.Config<Options> = config
): Layer.Layer<HttpClient.HttpClient, TableauNodeConfigError | ConfigError.ConfigError> =>
  Layer.scoped(HttpClient.HttpClient, Effect.flatMap(options, make))
