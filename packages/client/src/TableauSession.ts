/**
 * A signed-in Tableau session: sign-in when acquired, sign-out when released (on success, failure
 * and interruption alike), switchSite, and authenticated requests that sign in again once when
 * the session expired.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as ApiVersion from "./ApiVersion.js"
import type * as Credentials from "./Credentials.js"
import { config as CredentialsConfig, describe } from "./Credentials.js"
import { signInRequest, signOutRequest, switchSiteRequest } from "./internal/auth.js"
import type { TableauError } from "./TableauError.js"
import { isTableauError, TableauSessionConflictError, TableauUnsupportedError } from "./TableauError.js"
import { TableauServer } from "./TableauServer.js"
import type { Response, Service as ServerService } from "./TableauServer.js"

/**
 * Who is signed in where, with which token. Token, site id and site always change together.
 *
 * @since 0.1.0
 * @category Models
 */
export interface SessionState {
  readonly token: Redacted.Redacted<string>
  /** The site's LUID, used in site-scoped paths (`/sites/{siteId}/workbooks`). */
  readonly siteId: string
  /** The site's contentUrl; `""` is the Default site. */
  readonly site: string
  readonly userId: string
}

/**
 * A request to send with the session, given as a path below `/api/{version}`
 * (`/sites/abc/workbooks`) or built from the current state, so the site id in the path and the
 * token in the header always belong together.
 *
 * @since 0.1.0
 * @category Models
 */
export type SessionRequest =
  | HttpClientRequest.HttpClientRequest
  | ((state: SessionState) => HttpClientRequest.HttpClientRequest)

/**
 * The `TableauSession` service.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Service {
  readonly server: ServerService
  readonly apiVersion: ApiVersion.ApiVersion
  /** The current token, site and user, read atomically. */
  readonly state: Effect.Effect<SessionState>
  /**
   * Sends an authenticated request; a 401000/401002 answer signs in again once and retries once.
   * The state the request is built from is read once, and the current span gets its API version
   * and site id (`tableau.api_version`, `tableau.site_id`).
   */
  readonly execute: (request: SessionRequest) => Effect.Effect<Response, TableauError>
  /** Switches to another site (Tableau Server only): new token and site id; already there is success. */
  readonly switchSite: (contentUrl: string) => Effect.Effect<SessionState, TableauError>
  /**
   * The platform client with `/api/{version}` and the current `X-Tableau-Auth` added to every
   * request, for calls the SDK does not cover. Its requests carry the token: logs redact it, but
   * `util.inspect` of a request or `HttpClientError` outside a log shows it.
   */
  readonly httpClient: HttpClient.HttpClient
}

/**
 * The service of a signed-in session.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauSession } from "@tableau-effect/client"
 *
 * const whoAmI = Effect.gen(function*() {
 *   const session = yield* TableauSession.TableauSession
 *   const { site, userId } = yield* session.state
 *   yield* Effect.log(`signed in as ${userId} on site "${site}"`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export class TableauSession extends Context.Tag("@tableau-effect/client/TableauSession")<TableauSession, Service>() {}

// Sign-in and sign-out run where interruption cannot cut them in half (a half-done sign-in
// would leave a session nobody signs out), yet their own timeout can still abort the request.
// A daemon fiber: a plain fork would be interrupted with the scope of a layer being torn down.
// The fiber ends with the effect's exit as its value: a fiber that fails is logged by Effect at
// Debug ("Fiber terminated with an unhandled error"), joined or not, and a failed sign-in is not
// worth a line of its own.
const forkExit = <A, E>(effect: Effect.Effect<A, E>) => Effect.forkDaemon(Effect.exit(Effect.interruptible(effect)))
const joinExit = <A, E>(fiber: Fiber.Fiber<Exit.Exit<A, E>>): Effect.Effect<A, E> => Effect.flatten(Fiber.join(fiber))

const runToCompletion = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
  Effect.flatMap(forkExit(effect), joinExit)

const isExpiredSession = (error: TableauError): boolean =>
  error._tag === "TableauApiError" && (error.code === "401000" || error.code === "401002")

// A sign-out on release is bounded: a server that throttles it (429 with a long Retry-After) or
// never answers must not hold up the program's end. The session then ends when it expires.
const SIGN_OUT_LIMIT = Duration.seconds(5)

const signOutQuietly = (server: ServerService, state: SessionState) =>
  runToCompletion(Effect.timeout(signOutRequest(server, state), SIGN_OUT_LIMIT)).pipe(
    Effect.zipRight(Effect.logInfo("Signed out of Tableau").pipe(Effect.annotateLogs(logAnnotations(server, state)))),
    Effect.catchAllCause((cause) =>
      // Only the failure's tag: the cause itself may quote what a hostile server echoed.
      Effect.logWarning(
        `Tableau sign-out failed (${failureTag(cause)}); the session ends when it expires`
      ).pipe(Effect.annotateLogs(logAnnotations(server, state)))
    ),
    Effect.withSpan("tableau.signOut", { captureStackTrace: false })
  )

const failureTag = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const value = failure.value
    if (isTableauError(value)) {
      return value._tag === "TableauApiError"
        ? `${value._tag} ${value.status} ${value.code}`
        : value._tag === "TableauTransportError"
        ? `${value._tag} ${value.reason}`
        : value._tag
    }
    return "failure"
  }
  return Cause.isTimeoutException(Cause.squash(cause))
    ? `no answer within ${Duration.format(SIGN_OUT_LIMIT)}`
    : "defect"
}

// What the Info lines of a session carry: where, who, never a secret.
const logAnnotations = (server: ServerService, state: SessionState) => ({
  "tableau.server": server.url,
  "tableau.site": state.site,
  "tableau.user_id": state.userId
})

// The first sign-in answers its caller's interruption within a few seconds, even while it waits
// out a 429: a sign-in that ends in that time is signed out at once; one still waiting goes on in
// the background, and a session it opens after all is signed out there.
const signInPromptly = (server: ServerService, credentials: Credentials.Credentials) =>
  Effect.uninterruptibleMask(() =>
    Effect.flatMap(forkExit(signInRequest(server, credentials)), (fiber) => {
      const signOutWhenDone = Effect.flatMap(joinExit(fiber), (state) => signOutQuietly(server, state))
      return Effect.interruptible(joinExit(fiber)).pipe(
        Effect.onInterrupt(() =>
          // Interruptible inside the finalizer, or the timeout could not stop the wait.
          Effect.interruptible(Fiber.await(fiber)).pipe(
            Effect.timeout(SIGN_OUT_LIMIT),
            Effect.matchEffect({
              onSuccess: () => Effect.ignore(signOutWhenDone),
              onFailure: () => Effect.asVoid(Effect.forkDaemon(Effect.ignore(signOutWhenDone)))
            })
          )
        )
      )
    })
  )

/**
 * Signs in and returns the session; the sign-out is added to the current `Scope`. Use it inside
 * `Effect.scoped`, the counterpart of TSC's `with server.auth.sign_in(...)`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Credentials, TableauSession } from "@tableau-effect/client"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const session = yield* TableauSession.signIn(
 *       Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "secret", site: "MarketingTeam" })
 *     )
 *     const { siteId } = yield* session.state
 *     yield* Effect.log(`signed in to site ${siteId}`)
 *   })
 * ) // signed out here, whatever happened
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const signIn = (
  credentials: Credentials.Credentials,
  options: Options = {}
): Effect.Effect<Service, TableauError, TableauServer | Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* TableauServer
    const ref = yield* Effect.acquireRelease(
      Effect.flatMap(signInPromptly(server, credentials), SynchronizedRef.make),
      // Whatever token is current when the scope closes (after switchSite or a re-sign-in).
      (ref) => Effect.flatMap(SynchronizedRef.get(ref), (current) => signOutQuietly(server, current))
    )
    const state = yield* SynchronizedRef.get(ref)
    yield* Effect.logInfo(`Signed in to Tableau as ${describe(credentials)}`).pipe(
      Effect.annotateLogs(logAnnotations(server, state))
    )
    const reSignIns = yield* Ref.make<ReadonlyArray<number>>([])
    const failedReSignIn = yield* Ref.make<FailedAttempt | undefined>(undefined)
    return makeService(server, credentials, ref, reSignInGuard(options.reSignIn, reSignIns), failedReSignIn)
  }).pipe(
    Effect.withSpan("tableau.signIn", {
      captureStackTrace: false,
      attributes: { "tableau.credentials": describe(credentials) }
    })
  )

/**
 * Options of `TableauSession.layer` and `signIn`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Options {
  /**
   * Signing in again when a call meets an expired session: at most `max` times within `window`
   * (default 3 per minute), after which calls fail with `TableauSessionConflictError`; `false`
   * turns re-sign-in off.
   */
  readonly reSignIn?: { readonly max?: number; readonly window?: Duration.DurationInput } | false
}

// Checks, before each re-sign-in, that the session is not being ended over and over by another
// sign-in with the same PAT; records the re-sign-in when it may go ahead.
const reSignInGuard = (
  options: Options["reSignIn"],
  times: Ref.Ref<ReadonlyArray<number>>
): Effect.Effect<void, TableauSessionConflictError | "disabled"> => {
  if (options === false) return Effect.fail("disabled" as const)
  const max = options?.max ?? 3
  const window = Duration.toMillis(Duration.decode(options?.window ?? "1 minute"))
  return Effect.flatMap(
    Clock.currentTimeMillis,
    (now) =>
      Effect.flatten(
        Ref.modify(
          times,
          (previous): readonly [Effect.Effect<void, TableauSessionConflictError>, ReadonlyArray<number>] => {
            const recent = previous.filter((t) => t > now - window)
            return recent.length >= max
              ? [
                Effect.fail(
                  new TableauSessionConflictError({ reSignIns: recent.length + 1, windowSeconds: window / 1000 })
                ),
                recent
              ]
              : [Effect.void, [...recent, now]]
          }
        )
      )
  )
}

const cloudHasNoSwitchSite = new TableauUnsupportedError({
  operation: "switchSite",
  reason: "Tableau Cloud has no switchSite (403069); sign in to the other site with its own session"
})

// The failed re-sign-in of the last expired token, for the fibers that waited on it; only read
// and written inside the session ref's update.
interface FailedAttempt {
  readonly token: Redacted.Redacted<string>
  readonly error: TableauError
}
type FailedReSignIn = Ref.Ref<FailedAttempt | undefined>

const makeService = (
  server: ServerService,
  credentials: Credentials.Credentials,
  ref: SynchronizedRef.SynchronizedRef<SessionState>,
  guard: Effect.Effect<void, TableauSessionConflictError | "disabled">,
  failedReSignIn: FailedReSignIn
): Service => {
  const apiVersion = server.apiVersion
  const prefix = `/api/${apiVersion}`

  const authenticate = (state: SessionState, request: SessionRequest) => {
    const built = typeof request === "function" ? request(state) : request
    return built.pipe(
      HttpClientRequest.setUrl(prefix + built.url),
      HttpClientRequest.setHeader("x-tableau-auth", Redacted.value(state.token))
    )
  }

  // Single flight, failure included: the first fiber that meets an expired token signs in again;
  // the others wait for it, then find the token replaced, or the failure of that one attempt
  // (one attempt per expired token, never one per waiter).
  // Uninterruptible from the caller's side: once a new session exists on the server its token
  // must land in the ref, or the release could not sign it out. The request itself still obeys
  // its own timeout.
  const reSignIn = (stale: SessionState, expired: TableauError) =>
    Effect.uninterruptible(SynchronizedRef.updateAndGetEffect(ref, (current) => {
      if (current.token !== stale.token) return Effect.succeed(current)
      const attempt = guard.pipe(
        Effect.catchIf((reason) => reason === "disabled", () => Effect.fail(expired)),
        Effect.zipRight(runToCompletion(signInRequest(server, credentials, current.site))),
        Effect.tap((fresh) =>
          Effect.logInfo("Tableau session expired; signed in again").pipe(
            Effect.annotateLogs(logAnnotations(server, fresh))
          )
        ),
        Effect.tapError((error) => Ref.set(failedReSignIn, { token: stale.token, error })),
        Effect.withSpan("tableau.reSignIn", { captureStackTrace: false })
      )
      return Effect.flatMap(
        Ref.get(failedReSignIn),
        (failed) => failed !== undefined && failed.token === stale.token ? Effect.fail(failed.error) : attempt
      )
    }))

  const send = (state: SessionState, request: SessionRequest) =>
    Effect.zipRight(
      Effect.annotateCurrentSpan({ "tableau.api_version": apiVersion, "tableau.site_id": state.siteId }),
      server.execute(authenticate(state, request))
    )

  const execute = (request: SessionRequest): Effect.Effect<Response, TableauError> =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      send(state, request).pipe(
        Effect.catchIf(isExpiredSession, (expired) =>
          Effect.flatMap(reSignIn(state, expired), (fresh) => send(fresh, request)))
      ))

  const switchSite = (contentUrl: string): Effect.Effect<SessionState, TableauError> =>
    Effect.gen(function*() {
      yield* ApiVersion.require("switchSite", ApiVersion.minimums.switchSite, apiVersion)
      if (server.deployment === "cloud") return yield* cloudHasNoSwitchSite
      // As for re-sign-in: the new token must reach the ref once the server has switched.
      const switched = yield* Effect.uninterruptible(
        SynchronizedRef.updateAndGetEffect(ref, (current) =>
          runToCompletion(switchSiteRequest(server, current, contentUrl)))
      ).pipe(
        // Whatever the host name said about the deployment: the server itself says it is Cloud.
        Effect.catchIf(
          (error) =>
            error._tag === "TableauApiError" && error.code === "403069",
          () => Effect.fail(cloudHasNoSwitchSite)
        )
      )
      yield* Effect.logInfo(`Switched to Tableau site "${switched.site}"`).pipe(
        Effect.annotateLogs(logAnnotations(server, switched))
      )
      return switched
    }).pipe(
      Effect.withSpan("tableau.switchSite", { captureStackTrace: false, attributes: { "tableau.site": contentUrl } })
    )

  // Runs before the server client's own mapping, which prepends the root URL.
  const httpClient = server.httpClient.pipe(
    HttpClient.mapRequestInputEffect((request) =>
      Effect.map(SynchronizedRef.get(ref), (state) => authenticate(state, request))
    )
  )

  return TableauSession.of({ server, apiVersion, state: SynchronizedRef.get(ref), execute, switchSite, httpClient })
}

/**
 * A layer that signs in when built and signs out when released.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
 *
 * const TableauLive = TableauSession.layer(
 *   Credentials.usernamePassword({ username: "admin", password: "s3cret" })
 * ).pipe(
 *   Layer.provide(TableauServer.layer({ url: "https://tableau.example.com" })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layer = (
  credentials: Credentials.Credentials,
  options?: Options
): Layer.Layer<TableauSession, TableauError, TableauServer> =>
  Layer.scoped(TableauSession, signIn(credentials, options))

/**
 * `layer` with credentials read through `Config` (by default `Credentials.config`: the
 * `TABLEAU_*` environment variables); incomplete or ambiguous settings are a `ConfigError`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { TableauServer, TableauSession } from "@tableau-effect/client"
 *
 * // TABLEAU_SERVER_URL, TABLEAU_SITE, TABLEAU_PAT_NAME and TABLEAU_PAT_SECRET set
 * const TableauLive = TableauSession.layerConfig().pipe(
 *   Layer.provide(TableauServer.layerConfig()),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category Layers
 */
export const layerConfig = (
  credentials: Config.Config<Credentials.Credentials> = CredentialsConfig,
  options?: Options
): Layer.Layer<TableauSession, TableauError | ConfigError.ConfigError, TableauServer> =>
  Layer.scoped(TableauSession, Effect.flatMap(credentials, (c) => signIn(c, options)))

/**
 * The current session state (token, site id, site, user id) of the session in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauSession } from "@tableau-effect/client"
 *
 * const siteId = Effect.map(TableauSession.state, (s) => s.siteId)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const state: Effect.Effect<SessionState, never, TableauSession> = Effect.flatMap(TableauSession, (s) => s.state)

/**
 * Switches the session in context to another site.
 *
 * @example
 * ```ts
 * import { TableauSession } from "@tableau-effect/client"
 *
 * const toMarketing = TableauSession.switchSite("MarketingTeam")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const switchSite = (contentUrl: string): Effect.Effect<SessionState, TableauError, TableauSession> =>
  Effect.flatMap(TableauSession, (s) => s.switchSite(contentUrl))
