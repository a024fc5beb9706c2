/**
 * Sign-in, sign-out, switchSite and the token check of every other call.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { randomBytes } from "node:crypto"
import * as ConnectedApp from "../ConnectedApp.js"
import * as EmulatorState from "../EmulatorState.js"
import * as Fixtures from "../Fixtures.js"
import * as ApiError from "./ApiError.js"
import * as Catalog from "./catalog.js"
import * as Render from "./render.js"
import { byContentUrl } from "./resources/sites.js"
import { byName, users } from "./resources/users.js"
import { requireSession } from "./session.js"
import * as Version from "./version.js"
import * as Writes from "./writes.js"
import * as Xml from "./xml.js"

export type { Answer, Context } from "./session.js"
import type { Answer, Context } from "./session.js"

/** PATs live 15 days unused; sign-in reports it as hours:minutes:seconds. */
const PAT_TIME_TO_EXPIRATION = "360:00:00"

const newToken = (siteId: string): Effect.Effect<string> =>
  Effect.sync(() => `${randomBytes(16).toString("base64url")}|${randomBytes(24).toString("base64url")}|${siteId}`)

// A credential kind is a feature of the server, not of the version in the URL: a server that
// has it takes it on any URL version. tableauserverclient signs in on /api/2.4 unless told to
// use the server's version, and Tableau's own samples sign in so with a PAT
// (samples/move_workbook_sites.py, samples/initialize_server.py).
const requireVersion = (context: Context, minimum: string, what: string): Effect.Effect<void, ApiError.ApiError> => {
  const { apiVersion } = context.store.settings
  return Version.atLeast(apiVersion, minimum)
    ? Effect.void
    : Effect.fail(
      ApiError.badRequest(`${what} needs a server of REST API ${minimum} or later; this one has ${apiVersion}.`)
    )
}

interface Identity {
  readonly user: Fixtures.User
  readonly kind: EmulatorState.CredentialKind
  readonly patName?: string | undefined
}

const identify = (
  context: Context,
  credentials: Xml.Element,
  siteId: string
): Effect.Effect<Identity, ApiError.ApiError> =>
  Effect.gen(function*() {
    const { store } = context
    const { cloud } = store.settings
    const state = yield* Ref.get(store.ref)
    const member = (user: Fixtures.User | undefined): user is Fixtures.User =>
      user !== undefined && Fixtures.isMember(user, siteId)
    const jwt = Xml.attribute(credentials, "jwt")
    if (jwt !== undefined) {
      const uat = Xml.attribute(credentials, "isUat")?.toLowerCase() === "true"
      if (uat) yield* requireVersion(context, "3.27", "A unified access token (isUat)")
      else yield* requireVersion(context, cloud ? "3.16" : "3.17", "A connected-app JWT sign-in")
      const now = yield* EmulatorState.now(store)
      const verified = yield* ConnectedApp.verify(jwt, state.catalog.connectedApps, now).pipe(
        Effect.mapError(() => ApiError.signInError())
      )
      const user = byName(state.catalog, verified.username)
      if (!member(user)) return yield* ApiError.signInError()
      const fresh = yield* Ref.modify(store.ref, (current) => EmulatorState.useJti(current, verified.jti))
      if (!fresh) return yield* ApiError.signInError()
      return { user, kind: uat ? "uat" : "jwt" }
    }
    const patName = Xml.attribute(credentials, "personalAccessTokenName")
    if (patName !== undefined) {
      yield* requireVersion(context, "3.6", "A personal access token sign-in")
      const secret = Xml.attribute(credentials, "personalAccessTokenSecret") ?? ""
      const user = Catalog.items(state.catalog, users).find((candidate) =>
        candidate.personalAccessTokens.some((pat) =>
          pat.name === patName && pat.secret === secret &&
          (pat.siteId === undefined || pat.siteId.toLowerCase() === siteId.toLowerCase())
        )
      )
      if (!member(user)) return yield* ApiError.signInError()
      return { user, kind: "pat", patName }
    }
    const name = Xml.attribute(credentials, "name")
    if (name !== undefined) {
      // Tableau Cloud sites with MFA refuse passwords: the emulator's Cloud mode always does.
      if (cloud) return yield* ApiError.signInError()
      const user = byName(state.catalog, name)
      const password = Xml.attribute(credentials, "password")
      if (!member(user) || user.password === undefined || user.password !== password) {
        return yield* ApiError.signInError()
      }
      return { user, kind: "password" }
    }
    return yield* ApiError.badRequest("The credentials element names no user, personal access token or JWT.")
  })

const startSession = (
  context: Context,
  session: Omit<EmulatorState.Session, "token" | "createdAt" | "expiresAt">,
  contentUrl: string
): Effect.Effect<Answer> =>
  Effect.gen(function*() {
    const token = yield* newToken(session.siteId)
    const now = yield* EmulatorState.now(context.store)
    yield* Ref.update(context.store.ref, (state) =>
      EmulatorState.addSession(state, {
        ...session,
        token,
        createdAt: now,
        expiresAt: now + context.store.settings.sessionTtlMillis
      }))
    return {
      status: 200,
      xml: Render.credentials({
        token,
        siteId: session.siteId,
        contentUrl,
        userId: session.userId,
        estimatedTimeToExpiration: session.patName === undefined ? undefined : PAT_TIME_TO_EXPIRATION
      })
    }
  })

/**
 * `POST /auth/signin`: the three credential kinds, the site by content URL, impersonation by a
 * server administrator, the Cloud rules, the PAT one-session rule.
 *
 * @internal
 */
export const signIn = (context: Context): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    const root = yield* Xml.parseBody(context.body)
    const request = Xml.child(root, "tsRequest")
    if (!Xml.hasChild(request, "credentials")) return yield* ApiError.badRequest()
    const credentials = Xml.child(request, "credentials")
    const contentUrl = Xml.attribute(Xml.child(credentials, "site"), "contentUrl") ?? ""
    const { cloud } = context.store.settings
    // Tableau Cloud always needs a site.
    if (cloud && contentUrl === "") return yield* ApiError.signInError()
    const catalog = (yield* Ref.get(context.store.ref)).catalog
    const site = byContentUrl(catalog, contentUrl)
    if (site === undefined) return yield* ApiError.signInError()
    const identity = yield* identify(context, credentials, site.id)
    let userId = identity.user.id
    let impersonatorId: string | undefined
    if (Xml.hasChild(credentials, "user")) {
      const targetId = Xml.attribute(Xml.child(credentials, "user"), "id") ?? ""
      if (cloud || identity.kind === "jwt" || identity.kind === "uat") return yield* ApiError.signInError()
      if (!Fixtures.isServerAdmin(identity.user)) return yield* ApiError.notServerAdmin("impersonate another user")
      const target = Catalog.lookup(catalog, users, targetId)?.item
      if (target === undefined || !Fixtures.isMember(target, site.id)) return yield* ApiError.signInError()
      userId = target.id
      impersonatorId = identity.user.id
    }
    const answer = yield* startSession(context, {
      userId,
      siteId: site.id,
      credentialKind: identity.kind,
      patName: identity.patName,
      impersonatorId
    }, site.contentUrl)
    const lastLogin = yield* Writes.timestamp(context)
    yield* Ref.update(context.store.ref, (state) => {
      // Tableau stamps the session's user (the impersonated one, if any) with `lastLogin`,
      // which Query Users shows and sorts and filters by.
      const user = Catalog.lookup(state.catalog, users, userId)?.item
      const catalog = user === undefined ? state.catalog : Catalog.put(state.catalog, users, [{ ...user, lastLogin }])
      return EmulatorState.count({ ...state, catalog }, (c) => ({ signIns: c.signIns + 1 }))
    })
    return answer
  }).pipe(
    Effect.tapError((error) =>
      error.code === "401001" ?
        Ref.update(
          context.store.ref,
          (state) => EmulatorState.count(state, (c) => ({ failedSignIns: c.failedSignIns + 1 }))
        ) :
        Effect.void
    )
  )

/**
 * `POST /auth/signout` takes whatever body and content type; 204, then the token is invalid.
 *
 * @internal
 */
export const signOut = (context: Context): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    const session = yield* requireSession(context)
    yield* Ref.update(context.store.ref, (state) =>
      EmulatorState.count(
        EmulatorState.removeSession(state, session.token),
        (c) => ({ signOuts: c.signOuts + 1 })
      ))
    return { status: 204, xml: "" }
  })

/**
 * `POST /auth/switchSite`: a new token on the new site for the same user; the old token ends.
 * 403070 for the current site, 403069 in Cloud mode.
 *
 * @internal
 */
export const switchSite = (context: Context): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    const session = yield* requireSession(context)
    if (context.store.settings.cloud) return yield* ApiError.unsupportedOnCloud("Switch site")
    const root = yield* Xml.parseBody(context.body)
    const request = Xml.child(root, "tsRequest")
    if (!Xml.hasChild(request, "site")) return yield* ApiError.badRequest()
    const contentUrl = Xml.attribute(Xml.child(request, "site"), "contentUrl") ?? ""
    const catalog = (yield* Ref.get(context.store.ref)).catalog
    const site = byContentUrl(catalog, contentUrl)
    if (site === undefined) return yield* ApiError.notFound(`Site '${contentUrl}' could not be found.`)
    if (site.id === session.siteId) return yield* ApiError.alreadyOnSite(site.contentUrl)
    const user = Catalog.lookup(catalog, users, session.userId)?.item
    if (user === undefined || !Fixtures.isMember(user, site.id)) return yield* ApiError.signInError()
    yield* Ref.update(context.store.ref, (state) =>
      EmulatorState.count(
        EmulatorState.removeSession(state, session.token),
        (c) => ({ switchSites: c.switchSites + 1 })
      ))
    return yield* startSession(context, {
      userId: session.userId,
      siteId: site.id,
      credentialKind: session.credentialKind,
      patName: session.patName,
      impersonatorId: session.impersonatorId
    }, site.contentUrl)
  })
