/**
 * The state of an emulated server as immutable data in a `Ref`: the catalog (content), the
 * sessions, the JWT ids already used, the fault queue, counters and the recorded requests.
 * Every change is a pure function from state to state; time comes from the Effect `Clock` plus
 * a manual offset, so `TestClock` drives session expiry in tests.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Fault from "./Fault.js"
import type * as Fixtures from "./Fixtures.js"
import type * as Catalog from "./internal/catalog.js"
import * as Resources from "./internal/resources/index.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * The fixed settings of an emulated server.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Settings {
  /** Tableau Cloud rules: a site is required, no impersonation, switchSite or site listing. */
  readonly cloud: boolean
  /** The newest REST API version the server speaks, e.g. "3.24". */
  readonly apiVersion: string
  readonly productVersion: string
  readonly build: string
  /** The idle limit of a session: each authenticated call extends it. */
  readonly sessionTtlMillis: number
  /** The server's URL, used in `webpageUrl`. */
  readonly baseUrl: string
  /** Bodies larger than this are refused with 413. */
  readonly maxBodyBytes: number
  /** How many requests `requests` keeps (the most recent). */
  readonly recordLimit: number
}

/**
 * How a session signed in.
 *
 * @since 0.1.0
 * @category Models
 */
export type CredentialKind = "password" | "pat" | "jwt" | "uat"

/**
 * A session: its token, user and site, how it signed in, and its times (epoch milliseconds on
 * the emulator clock).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Session {
  readonly token: string
  readonly userId: string
  readonly siteId: string
  readonly credentialKind: CredentialKind
  /** The PAT's name, for a PAT sign-in: a new sign-in with the same PAT ends this session. */
  readonly patName?: string | undefined
  /** The server administrator who impersonates `userId`. */
  readonly impersonatorId?: string | undefined
  readonly createdAt: number
  readonly expiresAt: number
  /** Creation order, set by `addSession`: sessions made in the same millisecond still sort. */
  readonly sequence?: number | undefined
}

/**
 * One request as the emulator saw it, with secret headers redacted.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly status: number
  readonly at: number
}

/**
 * Counters for tests and the `/_emulator/stats` hook.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Counters {
  readonly requests: number
  readonly signIns: number
  readonly failedSignIns: number
  readonly signOuts: number
  readonly switchSites: number
  /** TCP connections accepted by the socket server's API listener. */
  readonly connections: number
  /** Requests answered by the http->https redirect listener. */
  readonly redirects: number
  /** Of those, requests to a sign-in path: credentials that travelled over plain http. */
  readonly httpSignIns: number
  /** Requests by route, e.g. "GET /api/{v}/sites/{siteId}/workbooks". */
  readonly byRoute: Readonly<Record<string, number>>
}

/**
 * The whole state.
 *
 * @since 0.1.0
 * @category Models
 */
export interface State {
  readonly catalog: Catalog.Catalog
  readonly sessions: HashMap.HashMap<string, Session>
  readonly usedJtis: HashSet.HashSet<string>
  readonly faults: ReadonlyArray<Fault.Pending>
  readonly counters: Counters
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly clockOffsetMillis: number
  readonly sessionSequence: number
}

/**
 * The settings, the state in its `Ref`, and the initial state that `reset` restores.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Store {
  readonly settings: Settings
  readonly ref: Ref.Ref<State>
  readonly initial: State
}

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

const emptyCounters: Counters = {
  requests: 0,
  signIns: 0,
  failedSignIns: 0,
  signOuts: 0,
  switchSites: 0,
  connections: 0,
  redirects: 0,
  httpSignIns: 0,
  byRoute: {}
}

/**
 * The state of a server that has just started with these fixtures.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const initial = (fixtures: Fixtures.Fixtures, settings: Settings): State => ({
  catalog: Resources.catalogOf(fixtures, settings.baseUrl),
  sessions: HashMap.empty(),
  usedJtis: HashSet.empty(),
  faults: [],
  counters: emptyCounters,
  requests: [],
  clockOffsetMillis: 0,
  sessionSequence: 0
})

/**
 * A store: the fixtures are indexed and rendered once, here.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const makeStore = (fixtures: Fixtures.Fixtures, settings: Settings): Effect.Effect<Store> => {
  const start = initial(fixtures, settings)
  return Effect.map(Ref.make(start), (ref) => ({ settings, ref, initial: start }))
}

// ---------------------------------------------------------------------------------------------
// Operations (pure)
// ---------------------------------------------------------------------------------------------

/**
 * The emulator's time: the Effect clock plus the manual offset.
 *
 * @since 0.1.0
 * @category Operations
 */
export const now = (store: Store): Effect.Effect<number> =>
  Effect.zipWith(Clock.currentTimeMillis, Ref.get(store.ref), (millis, state) => millis + state.clockOffsetMillis)

/**
 * The sessions that have not expired at `now`.
 *
 * @since 0.1.0
 * @category Operations
 */
export const liveSessions = (state: State, now: number): ReadonlyArray<Session> =>
  Array.from(HashMap.values(state.sessions)).filter((session) => session.expiresAt > now)
    .sort((left, right) => left.createdAt - right.createdAt || (left.sequence ?? 0) - (right.sequence ?? 0))

/**
 * The outcome of presenting a token.
 *
 * @since 0.1.0
 * @category Models
 */
export type Authentication =
  | { readonly _tag: "Valid"; readonly session: Session }
  | { readonly _tag: "Invalid" }

/**
 * Presents a token at `now`: an unknown or expired token is invalid (and an expired one is
 * forgotten); a valid one has its idle limit extended.
 *
 * @since 0.1.0
 * @category Operations
 */
export const authenticate = (state: State, token: string, now: number, ttlMillis: number): [Authentication, State] =>
  Option.match(HashMap.get(state.sessions, token), {
    onNone: (): [Authentication, State] => [{ _tag: "Invalid" }, state],
    onSome: (session): [Authentication, State] => {
      if (session.expiresAt <= now) {
        return [{ _tag: "Invalid" }, { ...state, sessions: HashMap.remove(state.sessions, token) }]
      }
      const extended = { ...session, expiresAt: now + ttlMillis }
      return [{ _tag: "Valid", session: extended }, {
        ...state,
        sessions: HashMap.set(state.sessions, token, extended)
      }]
    }
  })

/**
 * Adds a session. A PAT session first ends every session made with the same PAT (the same
 * owner, who is the impersonator when there is one, and the same PAT name).
 *
 * @since 0.1.0
 * @category Operations
 */
export const addSession = (state: State, session: Session): State => {
  const owner = (one: Session): string => one.impersonatorId ?? one.userId
  const sessions = session.patName === undefined
    ? state.sessions
    : HashMap.filter(state.sessions, (other) => !(owner(other) === owner(session) && other.patName === session.patName))
  return {
    ...state,
    sessionSequence: state.sessionSequence + 1,
    sessions: HashMap.set(sessions, session.token, { ...session, sequence: state.sessionSequence })
  }
}

/**
 * Ends a session (sign-out, switchSite, or a test's `expireSession`).
 *
 * @since 0.1.0
 * @category Operations
 */
export const removeSession = (state: State, token: string): State => ({
  ...state,
  sessions: HashMap.remove(state.sessions, token)
})

/**
 * Records a JWT id, answering false when it was already used.
 *
 * @since 0.1.0
 * @category Operations
 */
export const useJti = (state: State, jti: string): [boolean, State] =>
  HashSet.has(state.usedJtis, jti)
    ? [false, state]
    : [true, { ...state, usedJtis: HashSet.add(state.usedJtis, jti) }]

/**
 * Takes the first queued fault that applies to the path (`draw` is a uniform random number for
 * faults with a probability), counting it down.
 *
 * @since 0.1.0
 * @category Operations
 */
export const takeFault = (
  state: State,
  path: string,
  draw: number,
  applies: (pending: Fault.Pending, path: string, draw: number) => boolean
): [Fault.Fault | undefined, State] => {
  const index = state.faults.findIndex((pending) => applies(pending, path, draw))
  if (index < 0) return [undefined, state]
  const pending = state.faults[index]!
  const remaining = pending.remaining - 1
  const faults = remaining > 0
    ? state.faults.map((other, at) => at === index ? { ...pending, remaining } : other)
    : state.faults.filter((_, at) => at !== index)
  return [pending.fault, { ...state, faults }]
}

/**
 * Updates the counters.
 *
 * @since 0.1.0
 * @category Operations
 */
export const count = (state: State, update: (counters: Counters) => Partial<Counters>): State => ({
  ...state,
  counters: { ...state.counters, ...update(state.counters) }
})

/**
 * Records an answered request under its route, keeping the most recent `limit` requests.
 *
 * @since 0.1.0
 * @category Operations
 */
export const record = (state: State, request: RecordedRequest, route: string, limit: number): State => {
  const requests = state.requests.length >= limit
    ? [...state.requests.slice(state.requests.length - limit + 1), request]
    : [...state.requests, request]
  return {
    ...state,
    requests: limit <= 0 ? [] : requests,
    counters: {
      ...state.counters,
      requests: state.counters.requests + 1,
      byRoute: { ...state.counters.byRoute, [route]: (state.counters.byRoute[route] ?? 0) + 1 }
    }
  }
}
