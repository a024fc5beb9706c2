import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ConnectedApp, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { at, bodies, credentialsOf, defaults, emulator, errorCode, ids, list, parseXml, send, signIn } from "./util.js"

const app = defaults.connectedApp
const mint = (options: Partial<ConnectedApp.MintOptions> = {}) =>
  ConnectedApp.mintJwt({ ...app, username: "alice", ...options })

const signInAnswer = (body: string, version = "3.24") => send("POST", `/api/${version}/auth/signin`, { body })

// The effect against an emulated server of this REST API version.
const onServer = <A, E>(
  apiVersion: string,
  effect: Effect.Effect<A, E, HttpClient.HttpClient | TableauEmulator.TableauEmulator>
) => Effect.provide(effect, TableauEmulator.layer({ apiVersion }))

describe("sign-in", () => {
  it.effect("signs in with a username and password and answers token, site and user", () =>
    Effect.gen(function*() {
      const answer = yield* signInAnswer(bodies.password("admin", defaults.admin.password))
      expect(answer.status).toBe(200)
      expect(answer.headers["content-type"]).toBe("application/xml;charset=UTF-8")
      expect(
        answer.text.startsWith("<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns=\"http://tableau.com/api\"")
      ).toBe(true)
      const credentials = credentialsOf(answer)
      expect(credentials.token.length).toBeGreaterThan(20)
      expect(credentials.siteId).toBe(ids.sites.default)
      expect(credentials.contentUrl).toBe("")
      expect(credentials.userId).toBe(ids.users.admin)
      expect(credentials.estimatedTimeToExpiration).toBeUndefined()
      expect(yield* (yield* emulator).activeSessions).toBe(1)
      expect(yield* (yield* emulator).signIns).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("signs in with a PAT on a named site and reports the PAT's time to expiration", () =>
    Effect.gen(function*() {
      const credentials = yield* signIn(bodies.pat(defaults.alice.patName, defaults.alice.patSecret, "marketingteam"))
      expect(credentials.siteId).toBe(ids.sites.marketing)
      expect(credentials.contentUrl).toBe("MarketingTeam")
      expect(credentials.userId).toBe(ids.users.alice)
      expect(credentials.estimatedTimeToExpiration).toBe("360:00:00")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("signs in with a connected-app JWT minted by ConnectedApp.mintJwt", () =>
    Effect.gen(function*() {
      const jwt = yield* mint({ username: "bob" })
      const credentials = yield* signIn(bodies.jwt(jwt))
      expect(credentials.userId).toBe(ids.users.bob)
      const sessions = yield* (yield* emulator).sessions
      expect(sessions.map((session) => session.credentialKind)).toEqual(["jwt"])
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("decodes XML entities in credentials", () =>
    Effect.gen(function*() {
      const answer = yield* signInAnswer(
        `<tsRequest><credentials name="admin" password="admin&#45;pass&#x77;ord"><site contentUrl=""/></credentials></tsRequest>`
      )
      expect(answer.status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  const refused: ReadonlyArray<readonly [string, Effect.Effect<string>]> = [
    ["a wrong password", Effect.succeed(bodies.password("admin", "nope"))],
    ["an unknown user", Effect.succeed(bodies.password("mallory", "admin-password"))],
    [
      "a user who is not a member of the site",
      Effect.succeed(bodies.password("bob", defaults.bob.password, "MarketingTeam"))
    ],
    ["an unknown site", Effect.succeed(bodies.password("admin", defaults.admin.password, "Nowhere"))],
    ["a wrong PAT secret", Effect.succeed(bodies.pat(defaults.admin.patName, "wrong"))],
    ["an unknown PAT name", Effect.succeed(bodies.pat("nobody-pat", defaults.admin.patSecret))],
    ["a tampered JWT", Effect.map(mint(), (jwt) => bodies.jwt(`${jwt.slice(0, -4)}AAAA`))],
    [
      "a JWT signed with another secret",
      Effect.map(mint({ secretValue: "another-secret-another-secret-0123" }), (jwt) => bodies.jwt(jwt))
    ],
    ["an expired JWT", Effect.map(mint({ expiresInSeconds: -10 }), (jwt) => bodies.jwt(jwt))],
    ["a JWT that lives more than 10 minutes", Effect.map(mint({ expiresInSeconds: 601 }), (jwt) => bodies.jwt(jwt))],
    ["a JWT with the wrong audience", Effect.map(mint({ audience: "salesforce" }), (jwt) => bodies.jwt(jwt))],
    ["a JWT with an unknown kid", Effect.map(mint({ secretId: "unknown-secret-id" }), (jwt) => bodies.jwt(jwt))],
    ["a JWT from another client id", Effect.map(mint({ clientId: "another-client" }), (jwt) => bodies.jwt(jwt))],
    ["a JWT for an unknown user", Effect.map(mint({ username: "mallory" }), (jwt) => bodies.jwt(jwt))],
    ["a string that is no JWT", Effect.succeed(bodies.jwt("not-a-jwt"))]
  ]

  for (const [what, body] of refused) {
    it.effect(`refuses ${what} with 401001`, () =>
      Effect.gen(function*() {
        const answer = yield* signInAnswer(yield* body)
        expect(answer.status).toBe(401)
        expect(errorCode(answer)).toBe("401001")
        expect(answer.text).toContain("<summary>Signin Error</summary>")
        const stats = yield* (yield* emulator).stats
        expect(stats.active).toBe(0)
        expect(stats.failedSignIns).toBe(1)
      }).pipe(Effect.provide(TableauEmulator.layer())))
  }

  it.effect("refuses a JWT whose jti was already used", () =>
    Effect.gen(function*() {
      const jwt = yield* mint({ jti: "once" })
      expect((yield* signInAnswer(bodies.jwt(jwt))).status).toBe(200)
      const again = yield* signInAnswer(bodies.jwt(jwt))
      expect(errorCode(again)).toBe("401001")
      const other = yield* mint({ jti: "once" })
      expect(errorCode(yield* signInAnswer(bodies.jwt(other)))).toBe("401001")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("checks the JWT's exp against the emulator clock, not the wall clock", () =>
    Effect.gen(function*() {
      // Minted at the wall clock: far in the future for the TestClock at epoch 0.
      const jwt = yield* mint({ now: Date.now() })
      expect(errorCode(yield* signInAnswer(bodies.jwt(jwt)))).toBe("401001")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("takes a PAT from a 3.6 server and a JWT from a 3.17 one, on any URL version", () =>
    Effect.gen(function*() {
      const pat = bodies.pat(defaults.admin.patName, defaults.admin.patSecret)
      const jwt = (version: string) => Effect.flatMap(mint(), (token) => signInAnswer(bodies.jwt(token), version))
      expect(errorCode(yield* onServer("3.5", signInAnswer(pat, "3.5")))).toBe("400000")
      // tableauserverclient signs in on /api/2.4 unless it is told to use the server's version.
      expect((yield* onServer("3.6", signInAnswer(pat, "2.4"))).status).toBe(200)
      expect(errorCode(yield* onServer("3.16", jwt("3.16")))).toBe("400000")
      expect((yield* onServer("3.17", jwt("2.4"))).status).toBe(200)
    }))

  it.effect("answers 404001 for a URL version newer than the server's", () =>
    Effect.gen(function*() {
      const answer = yield* signInAnswer(bodies.jwt(yield* mint(), "", { isUat: true }), "3.27")
      expect(answer.status).toBe(404)
      expect(errorCode(answer)).toBe("404001")
      expect(answer.text).toContain("Version '3.27' is not a valid version of the API.")
    }).pipe(Effect.provide(TableauEmulator.layer({ apiVersion: "3.24" }))))

  it.effect("accepts isUat from a 3.27 server only, on any URL version", () =>
    Effect.gen(function*() {
      const uat = (version: string) =>
        Effect.flatMap(mint(), (token) => signInAnswer(bodies.jwt(token, "", { isUat: true }), version))
      expect(errorCode(yield* onServer("3.26", uat("3.26")))).toBe("400000")
      const kinds = yield* onServer(
        "3.27",
        Effect.gen(function*() {
          expect((yield* uat("3.26")).status).toBe(200)
          return (yield* (yield* emulator).sessions).map((session) => session.credentialKind)
        })
      )
      expect(kinds).toEqual(["uat"])
    }))

  it.effect("answers 400000 for a body without credentials", () =>
    Effect.gen(function*() {
      const answer = yield* signInAnswer("<tsRequest><site contentUrl=\"\"/></tsRequest>")
      expect(answer.status).toBe(400)
      expect(errorCode(answer)).toBe("400000")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("lastLogin", () => {
  it.effect("stamps the session's user at each sign-in, on the emulator clock, and no one at a refused one", () =>
    Effect.gen(function*() {
      const lastLogins = (token: string) =>
        Effect.map(
          send("GET", `/api/3.24/sites/${ids.sites.default}/users?fields=_all_`, { token }),
          (answer) =>
            Object.fromEntries(
              list(at(parseXml(answer.text), "tsResponse", "users", "user")).map((user) => [
                String(at(user, "name")),
                at(user, "lastLogin")
              ])
            )
        )
      yield* TestClock.setTime(Date.UTC(2025, 2, 1, 10, 30, 0))
      const admin = yield* signIn(bodies.password("admin", defaults.admin.password))
      expect(yield* lastLogins(admin.token)).toEqual({
        admin: "2025-03-01T10:30:00Z",
        alice: undefined,
        bob: undefined
      })
      yield* TestClock.adjust("90 minutes")
      expect(errorCode(yield* signInAnswer(bodies.password("alice", "wrong")))).toBe("401001")
      // The impersonated user signs in, not the administrator who asked.
      yield* signIn(bodies.password("admin", defaults.admin.password, "", ids.users.bob))
      expect(yield* lastLogins(admin.token)).toEqual({
        admin: "2025-03-01T10:30:00Z",
        alice: undefined,
        bob: "2025-03-01T12:00:00Z"
      })
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("impersonation", () => {
  it.effect("lets a server administrator sign in as another user, with a password or a PAT", () =>
    Effect.gen(function*() {
      const byPassword = yield* signIn(bodies.password("admin", defaults.admin.password, "", ids.users.bob))
      expect(byPassword.userId).toBe(ids.users.bob)
      const byPat = yield* signIn(
        bodies.pat(defaults.admin.patName, defaults.admin.patSecret, "MarketingTeam", ids.users.alice)
      )
      expect(byPat.userId).toBe(ids.users.alice)
      const sessions = yield* (yield* emulator).sessions
      expect(sessions.map((session) => session.impersonatorId)).toEqual([ids.users.admin, ids.users.admin])
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("refuses impersonation by a user who is not a server administrator (403004)", () =>
    Effect.gen(function*() {
      const answer = yield* signInAnswer(bodies.password("alice", defaults.alice.password, "", ids.users.bob))
      expect(answer.status).toBe(403)
      expect(errorCode(answer)).toBe("403004")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("refuses impersonation of a user who is not on the site, and through a JWT", () =>
    Effect.gen(function*() {
      const notMember = yield* signInAnswer(
        bodies.password("admin", defaults.admin.password, "MarketingTeam", ids.users.bob)
      )
      expect(errorCode(notMember)).toBe("401001")
      const jwt = yield* ConnectedApp.mintJwt({ ...app, username: "admin" })
      expect(errorCode(yield* signInAnswer(bodies.jwt(jwt, "", { userId: ids.users.bob })))).toBe("401001")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("the PAT one-session rule", () => {
  it.effect("ends the earlier session of the same PAT, which then answers 401002", () =>
    Effect.gen(function*() {
      const first = yield* signIn(bodies.pat(defaults.alice.patName, defaults.alice.patSecret))
      const second = yield* signIn(bodies.pat(defaults.alice.patName, defaults.alice.patSecret, "MarketingTeam"))
      const old = yield* send("GET", `/api/3.24/sites/${first.siteId}/workbooks`, { token: first.token })
      expect(old.status).toBe(401)
      expect(errorCode(old)).toBe("401002")
      const current = yield* send("GET", `/api/3.24/sites/${second.siteId}/workbooks`, { token: second.token })
      expect(current.status).toBe(200)
      expect(yield* (yield* emulator).activeSessions).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("keeps sessions of different PATs and of passwords side by side", () =>
    Effect.gen(function*() {
      yield* signIn(bodies.pat(defaults.alice.patName, defaults.alice.patSecret))
      yield* signIn(bodies.pat(defaults.bob.patName, defaults.bob.patSecret))
      yield* signIn(bodies.password("alice", defaults.alice.password))
      yield* signIn(bodies.password("alice", defaults.alice.password))
      expect(yield* (yield* emulator).activeSessions).toBe(4)
    }).pipe(Effect.provide(TableauEmulator.layer())))
})
