import { describe, expect, it } from "@effect/vitest"
import { ConnectedApp, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { bodies, credentialsOf, defaults, emulator, errorCode, ids, send, signIn, signInAdmin } from "./util.js"

const workbooksOf = (credentials: { readonly siteId: string; readonly token: string }) =>
  send("GET", `/api/3.24/sites/${credentials.siteId}/workbooks`, { token: credentials.token })

describe("session lifetime", () => {
  it.effect("expires a session after 240 idle minutes on the Effect clock (TestClock)", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      yield* TestClock.adjust("239 minutes")
      expect((yield* workbooksOf(credentials)).status).toBe(200)
      // The call above reset the idle limit: 239 more minutes are still fine.
      yield* TestClock.adjust("239 minutes")
      expect((yield* workbooksOf(credentials)).status).toBe(200)
      yield* TestClock.adjust("241 minutes")
      const expired = yield* workbooksOf(credentials)
      expect(expired.status).toBe(401)
      expect(errorCode(expired)).toBe("401002")
      expect(yield* (yield* emulator).activeSessions).toBe(0)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("honours a configured TTL and the manual clock offset", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const service = yield* emulator
      yield* service.advanceClock("9 minutes")
      expect(yield* service.activeSessions).toBe(1)
      yield* service.advanceClock("2 minutes")
      expect(yield* service.activeSessions).toBe(0)
      expect(errorCode(yield* workbooksOf(credentials))).toBe("401002")
    }).pipe(Effect.provide(TableauEmulator.layer({ sessionTtl: "10 minutes" }))))

  it.effect("expireSession ends the newest session (or the given one), expireAllSessions all", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const first = yield* signInAdmin
      const second = yield* signInAdmin
      expect(yield* service.expireSession()).toBe(true)
      expect(errorCode(yield* workbooksOf(second))).toBe("401002")
      expect((yield* workbooksOf(first)).status).toBe(200)
      expect(yield* service.expireSession("no-such-token")).toBe(false)
      yield* service.expireAllSessions
      expect(errorCode(yield* workbooksOf(first))).toBe("401002")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("the X-Tableau-Auth check", () => {
  it.effect("answers 401000 without the header and 401002 for an unknown token", () =>
    Effect.gen(function*() {
      const missing = yield* send("GET", `/api/3.24/sites/${ids.sites.default}/workbooks`)
      expect(missing.status).toBe(401)
      expect(errorCode(missing)).toBe("401000")
      const unknown = yield* send("GET", `/api/3.24/sites/${ids.sites.default}/workbooks`, { token: "forged" })
      expect(errorCode(unknown)).toBe("401002")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("accepts the header in any case", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("GET", `/api/3.24/sites/${credentials.siteId}/projects`, {
        headers: { "X-TABLEAU-AUTH": credentials.token }
      })
      expect(answer.status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers 403000 when the site in the URL is not the session's site", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("GET", `/api/3.24/sites/${ids.sites.marketing}/workbooks`, {
        token: credentials.token
      })
      expect(answer.status).toBe(403)
      expect(errorCode(answer)).toBe("403000")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("sign-out", () => {
  it.effect("answers 204 with an empty body, then the token answers 401002", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("POST", "/api/3.24/auth/signout", { token: credentials.token })
      expect(answer.status).toBe(204)
      expect(answer.text).toBe("")
      expect(errorCode(yield* workbooksOf(credentials))).toBe("401002")
      const again = yield* send("POST", "/api/3.24/auth/signout", { token: credentials.token })
      expect(again.status).toBe(401)
      expect(errorCode(again)).toBe("401002")
      const stats = yield* (yield* emulator).stats
      expect(stats.signOuts).toBe(1)
      expect(stats.active).toBe(0)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("accepts any body and content type, and answers 401000 without a token", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("POST", "/api/3.24/auth/signout", {
        token: credentials.token,
        body: "",
        contentType: "application/x-www-form-urlencoded"
      })
      expect(answer.status).toBe(204)
      const json = yield* signInAdmin
      expect(
        (yield* send("POST", "/api/3.24/auth/signout", {
          token: json.token,
          body: "{}",
          contentType: "application/json"
        })).status
      )
        .toBe(204)
      expect(errorCode(yield* send("POST", "/api/3.24/auth/signout"))).toBe("401000")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("switchSite", () => {
  it.effect("answers a new token on the new site for the same user and ends the old token", () =>
    Effect.gen(function*() {
      const before = yield* signIn(bodies.password("alice", defaults.alice.password))
      const answer = yield* send("POST", "/api/3.24/auth/switchSite", {
        token: before.token,
        body: bodies.switchSite("MarketingTeam")
      })
      expect(answer.status).toBe(200)
      const after = credentialsOf(answer)
      expect(after.token).not.toBe(before.token)
      expect(after.siteId).toBe(ids.sites.marketing)
      expect(after.contentUrl).toBe("MarketingTeam")
      expect(after.userId).toBe(ids.users.alice)
      expect(errorCode(yield* workbooksOf(before))).toBe("401002")
      expect((yield* workbooksOf(after)).status).toBe(200)
      expect(yield* (yield* emulator).activeSessions).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers 403070 for the site of the session, and keeps the token", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("POST", "/api/3.24/auth/switchSite", {
        token: credentials.token,
        body: bodies.switchSite("")
      })
      expect(answer.status).toBe(403)
      expect(errorCode(answer)).toBe("403070")
      expect((yield* workbooksOf(credentials)).status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("refuses a site the user is not on (401001) and an unknown site (404000)", () =>
    Effect.gen(function*() {
      const bob = yield* signIn(bodies.password("bob", defaults.bob.password))
      const notMember = yield* send("POST", "/api/3.24/auth/switchSite", {
        token: bob.token,
        body: bodies.switchSite("MarketingTeam")
      })
      expect(errorCode(notMember)).toBe("401001")
      const unknown = yield* send("POST", "/api/3.24/auth/switchSite", {
        token: bob.token,
        body: bodies.switchSite("Nope")
      })
      expect(errorCode(unknown)).toBe("404000")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("is unknown before REST API 2.6 (404003)", () =>
    Effect.gen(function*() {
      const credentials = yield* signInAdmin
      const answer = yield* send("POST", "/api/2.5/auth/switchSite", {
        token: credentials.token,
        body: bodies.switchSite("MarketingTeam")
      })
      expect(answer.status).toBe(404)
      expect(errorCode(answer)).toBe("404003")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("Cloud mode", () => {
  const cloud = TableauEmulator.layer({ cloud: true })

  it.effect("requires a site: contentUrl \"\" answers 401001", () =>
    Effect.gen(function*() {
      const answer = yield* send("POST", "/api/3.24/auth/signin", {
        body: bodies.pat(defaults.alice.patName, defaults.alice.patSecret, "")
      })
      expect(errorCode(answer)).toBe("401001")
      expect((yield* signIn(bodies.pat(defaults.alice.patName, defaults.alice.patSecret, "MarketingTeam"))).siteId)
        .toBe(ids.sites.marketing)
    }).pipe(Effect.provide(cloud)))

  it.effect("refuses username and password sign-in (401001), as MFA sites do", () =>
    Effect.gen(function*() {
      const answer = yield* send("POST", "/api/3.24/auth/signin", {
        body: bodies.password("alice", defaults.alice.password, "MarketingTeam")
      })
      expect(answer.status).toBe(401)
      expect(errorCode(answer)).toBe("401001")
    }).pipe(Effect.provide(cloud)))

  it.effect("refuses impersonation, even by a server administrator", () =>
    Effect.gen(function*() {
      const answer = yield* send("POST", "/api/3.24/auth/signin", {
        body: bodies.pat(defaults.admin.patName, defaults.admin.patSecret, "MarketingTeam", ids.users.alice)
      })
      expect(errorCode(answer)).toBe("401001")
    }).pipe(Effect.provide(cloud)))

  it.effect("has no switchSite and no site listing (403069)", () =>
    Effect.gen(function*() {
      const credentials = yield* signIn(bodies.pat(defaults.admin.patName, defaults.admin.patSecret, "MarketingTeam"))
      const switched = yield* send("POST", "/api/3.24/auth/switchSite", {
        token: credentials.token,
        body: bodies.switchSite("MarketingTeam")
      })
      expect(switched.status).toBe(403)
      expect(errorCode(switched)).toBe("403069")
      const sites = yield* send("GET", "/api/3.24/sites", { token: credentials.token })
      expect(errorCode(sites)).toBe("403069")
      expect(sites.text).toContain("Sites query is unsupported for Tableau Cloud.")
    }).pipe(Effect.provide(cloud)))

  it.effect("accepts a JWT from REST API 3.16", () =>
    Effect.gen(function*() {
      const jwt = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "alice" })
      expect((yield* signIn(bodies.jwt(jwt, "MarketingTeam"), "3.16")).userId).toBe(ids.users.alice)
    }).pipe(Effect.provide(cloud)))
})
