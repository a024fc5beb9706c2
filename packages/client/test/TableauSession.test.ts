import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Logger, Redacted } from "effect"
import {
  apiError,
  BASE,
  fake,
  type Handler,
  happyServer,
  OTHER_SITE_ID,
  signedIn,
  SITE_ID,
  USER_ID,
  xml
} from "./support/FakeTableau.js"

const pat = Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "pat-secret", site: "" })

const setup = (handler: Handler, apiVersion = "3.24", url = BASE) => {
  const server = fake(handler)
  const ServerLive = TableauServer.layer({ url, apiVersion }).pipe(Layer.provide(server.layer))
  return { ...server, ServerLive, SessionLive: TableauSession.layer(pat).pipe(Layer.provide(ServerLive)) }
}

describe("TableauSession", () => {
  it.effect("signs in on acquire and signs out the same token on release", () =>
    Effect.gen(function*() {
      const s = setup(happyServer())
      const state = yield* TableauSession.state.pipe(Effect.provide(s.SessionLive))
      expect(state.siteId).toBe(SITE_ID)
      expect(state.userId).toBe(USER_ID)
      expect(Redacted.value(state.token)).toBe("TOKEN-1")
      expect(s.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
      expect(s.recorded[0]!.headers["x-tableau-auth"]).toBeUndefined()
      expect(s.recorded[0]!.headers["content-type"]).toBe("application/xml")
      expect(s.recorded[0]!.headers["user-agent"]).toMatch(/^tableau-effect\//)
      expect(s.recorded[1]!.headers["x-tableau-auth"]).toBe("TOKEN-1")
    }))

  it.effect("signs out when the program fails, and the program's own error comes through", () =>
    Effect.gen(function*() {
      const s = setup(happyServer())
      const exit = yield* Effect.exit(Effect.fail("boom" as const).pipe(Effect.provide(s.SessionLive)))
      expect(exit).toEqual(Exit.fail("boom"))
      expect(s.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
    }))

  it.effect("signs out once when the program is interrupted", () =>
    Effect.gen(function*() {
      const s = setup(happyServer())
      const started = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        Effect.zipRight(Deferred.succeed(started, undefined), Effect.never).pipe(Effect.provide(s.SessionLive))
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(s.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
    }))

  it.effect("signs out when interrupted while the sign-in is still in flight", () =>
    Effect.gen(function*() {
      const inFlight = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const slow = fake((request) =>
        request.path.endsWith("/signin")
          ? Effect.zipRight(
            Deferred.succeed(inFlight, undefined),
            Effect.as(Deferred.await(release), { body: signedIn("SLOW") })
          )
          : { status: 204 }
      )
      const SessionLive = TableauSession.layer(pat).pipe(
        Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
        Layer.provide(slow.layer)
      )
      const fiber = yield* Effect.fork(Effect.provide(Effect.never, SessionLive))
      yield* Deferred.await(inFlight)
      const interrupted = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(interrupted)
      expect(slow.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
      expect(slow.recorded[1]!.headers["x-tableau-auth"]).toBe("SLOW")
    }))

  it.effect("a failing sign-out is logged without the token and never replaces the result", () =>
    Effect.gen(function*() {
      const s = setup(
        happyServer((r) => r.path.endsWith("/signout") ? apiError(500, "500000", "Internal Error", "boom") : undefined)
      )
      const logs: Array<string> = []
      const logger = Logger.make(({ message, logLevel, cause }) => {
        logs.push(`${logLevel.label} ${String(message)} ${Cause.pretty(cause)}`)
      })
      const result = yield* Effect.succeed(42).pipe(
        Effect.provide(s.SessionLive),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      expect(result).toBe(42)
      const warning = logs.find((l) => l.startsWith("WARN"))
      expect(warning).toContain("sign-out failed")
      expect(warning).toContain("500000")
      expect(logs.join("\n")).not.toContain("TOKEN-1")
    }))

  it.effect("a failed sign-in signs nothing out and fails with the API error", () =>
    Effect.gen(function*() {
      const s = setup(happyServer((r) =>
        r.path.endsWith("/signin")
          ? apiError(401, "401001", "Signin Error", "Error signing in to Tableau Server")
          : undefined
      ))
      const error = yield* Effect.flip(Effect.provide(Effect.void, s.SessionLive))
      expect(error._tag).toBe("TableauApiError")
      if (error._tag !== "TableauApiError") {
        return
      }
      expect(error.code).toBe("401001")
      expect(error.summary).toBe("Signin Error")
      expect(error.detail).toBe("Error signing in to Tableau Server")
      expect(s.paths()).toEqual(["POST /api/3.24/auth/signin"])
    }))

  it.scoped("Effect.scoped blocks sign in and out like the layer", () =>
    Effect.gen(function*() {
      const s = setup(happyServer())
      const siteId = yield* Effect.scoped(
        Effect.flatMap(TableauSession.signIn(pat), (session) => Effect.map(session.state, (st) => st.siteId))
      ).pipe(Effect.provide(s.ServerLive))
      expect(siteId).toBe(SITE_ID)
      expect(s.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
    }))

  it.effect("switchSite swaps token, site id and site together; release signs out the new token", () =>
    Effect.gen(function*() {
      const s = setup(
        happyServer((r) =>
          r.path.endsWith("/switchSite")
            ? { body: signedIn("TOKEN-SWITCHED", OTHER_SITE_ID, "MarketingTeam") }
            : undefined
        )
      )
      const after = yield* TableauSession.switchSite("MarketingTeam").pipe(Effect.provide(s.SessionLive))
      expect(after.site).toBe("MarketingTeam")
      expect(after.siteId).toBe(OTHER_SITE_ID)
      expect(s.recorded[1]!.body).toBe(`<tsRequest><site contentUrl="MarketingTeam"/></tsRequest>`)
      expect(s.recorded[1]!.headers["x-tableau-auth"]).toBe("TOKEN-1")
      expect(s.paths().at(-1)).toBe("POST /api/3.24/auth/signout")
      expect(s.recorded.at(-1)!.headers["x-tableau-auth"]).toBe("TOKEN-SWITCHED")
    }))

  it.effect("switchSite to the current site (403070) is success and keeps the session", () =>
    Effect.gen(function*() {
      const s = setup(happyServer((r) =>
        r.path.endsWith("/switchSite")
          ? apiError(403, "403070", "Forbidden", "Already signed in to that site")
          : undefined
      ))
      const after = yield* TableauSession.switchSite("").pipe(Effect.provide(s.SessionLive))
      expect(Redacted.value(after.token)).toBe("TOKEN-1")
      expect(after.siteId).toBe(SITE_ID)
    }))

  it.effect("switchSite on an API older than 2.6 fails before sending", () =>
    Effect.gen(function*() {
      const s = setup(happyServer(), "2.5")
      const error = yield* Effect.flip(
        Effect.provide(
          TableauSession.switchSite("x"),
          TableauSession.layer(
            Credentials.usernamePassword({ username: "admin", password: "pw" })
          ).pipe(Layer.provide(s.ServerLive))
        )
      )
      expect(error._tag).toBe("TableauVersionError")
      expect(s.paths()).not.toContain("POST /api/2.5/auth/switchSite")
    }))

  it.effect("switchSite and impersonation on Tableau Cloud are refused before sending", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const ServerLive = TableauServer.layer({ url: "https://10ay.online.tableau.com", apiVersion: "3.24" }).pipe(
        Layer.provide(s.layer)
      )
      const switched = yield* Effect.flip(
        Effect.provide(TableauSession.switchSite("x"), TableauSession.layer(pat).pipe(Layer.provide(ServerLive)))
      )
      expect(switched._tag).toBe("TableauUnsupportedError")
      const impersonating = Credentials.personalAccessToken({
        tokenName: "ci",
        tokenSecret: "pat-secret",
        site: "acme",
        impersonateUserId: USER_ID
      })
      const impersonated = yield* Effect.flip(
        Effect.provide(Effect.void, TableauSession.layer(impersonating).pipe(Layer.provide(ServerLive)))
      )
      expect(impersonated._tag).toBe("TableauUnsupportedError")
      expect(impersonated.message).toContain("impersonation")
      expect(s.paths().filter((p) => p.includes("switchSite") || p.includes("signin"))).toEqual([
        "POST /api/3.24/auth/signin"
      ])
    }))

  it.effect("execute sends the token and the site id of one state, below /api/{version}", () =>
    Effect.gen(function*() {
      const s = setup(happyServer((r) => r.path.endsWith("/workbooks") ? { body: xml(`<workbooks/>`) } : undefined))
      const response = yield* Effect.flatMap(TableauSession.TableauSession, (session) =>
        session.execute((state) => HttpClientRequest.get(`/sites/${state.siteId}/workbooks`))).pipe(
          Effect.provide(s.SessionLive)
        )
      expect(response.status).toBe(200)
      expect(s.recorded[1]!.path).toBe(`/api/3.24/sites/${SITE_ID}/workbooks`)
      expect(s.recorded[1]!.headers["x-tableau-auth"]).toBe("TOKEN-1")
    }))

  it.effect("an expired token (401002) signs in again once and retries the call once", () =>
    Effect.gen(function*() {
      let calls = 0
      const s = setup(happyServer((r) => {
        if (!r.path.endsWith("/workbooks")) return undefined
        calls++
        return r.headers["x-tableau-auth"] === "TOKEN-1"
          ? apiError(401, "401002", "Unauthorized Access", "Invalid authentication credentials were provided.")
          : { body: xml(`<workbooks/>`) }
      }))
      yield* Effect.flatMap(TableauSession.TableauSession, (session) =>
        session.execute((state) => HttpClientRequest.get(`/sites/${state.siteId}/workbooks`))).pipe(
          Effect.provide(s.SessionLive)
        )
      expect(calls).toBe(2)
      expect(
        s.paths().filter((p) =>
          p.endsWith("/signin")
        )
      ).toHaveLength(2)
      expect(s.recorded.at(-1)!.headers["x-tableau-auth"]).toBe("TOKEN-2")
    }))
})
