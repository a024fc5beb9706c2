/**
 * What route code gets, and the token check of every call but sign-in.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as EmulatorState from "../EmulatorState.js"
import * as ApiError from "./ApiError.js"

/** What route code gets: the store, the version in the URL, the request. @internal */
export interface Context {
  readonly store: EmulatorState.Store
  readonly version: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** A successful answer: status and inner XML (empty for 204). @internal */
export interface Answer {
  readonly status: number
  readonly xml: string
}

/**
 * Checks `X-Tableau-Auth`: 401000 when missing, 401002 when unknown, expired or signed out, and
 * 403000 when the session belongs to another site than `siteId`.
 *
 * @internal
 */
export const requireSession = (
  context: Context,
  siteId?: string
): Effect.Effect<EmulatorState.Session, ApiError.ApiError> =>
  Effect.gen(function*() {
    const token = context.headers["x-tableau-auth"]?.trim()
    if (token === undefined || token.length === 0) return yield* ApiError.missingCredentials()
    const now = yield* EmulatorState.now(context.store)
    const outcome = yield* Ref.modify(
      context.store.ref,
      (state) => EmulatorState.authenticate(state, token, now, context.store.settings.sessionTtlMillis)
    )
    if (outcome._tag === "Invalid") return yield* ApiError.invalidCredentials()
    if (siteId !== undefined && outcome.session.siteId.toLowerCase() !== siteId.toLowerCase()) {
      return yield* ApiError.wrongSite(siteId)
    }
    return outcome.session
  })
