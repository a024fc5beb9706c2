import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauError, TableauServer, TableauSession } from "@tableau-effect/client"
import { Config, ConfigProvider, Deferred, Effect, Exit, Fiber, Layer, TestClock } from "effect"
import { type Answer, apiError, BASE, fake, type Handler, happyServer, signedIn } from "./support/FakeTableau.js"

const pat = Credentials.personalAccessToken({
  tokenName: "ci-publisher",
  tokenSecret: "pat-secret-value",
  site: "Sales"
})
const expired = apiError(401, "401002", "Unauthorized Access", "Invalid authentication credentials were provided.")
const listWorkbooks = Effect.flatMap(
  TableauSession.TableauSession,
  (session) => session.execute((state) => HttpClientRequest.get(`/sites/${state.siteId}/workbooks`))
)

const sessionWith = (handler: Handler, server: Partial<TableauServer.Options> = {}) => {
  const s = fake(handler)
  const ServerLive = TableauServer.layer({ url: BASE, apiVersion: "3.24", ...server }).pipe(Layer.provide(s.layer))
  const SessionLive = TableauSession.layer(pat).pipe(Layer.provide(ServerLive))
  return {
    ...s,
    ServerLive,
    SessionLive,
    count: (suffix: string) => s.recorded.filter((r) => r.path.endsWith(suffix)).length
  }
}

const throttled = (seconds: number): Answer => ({
  ...apiError(429, "429000", "Too Many Requests", "Slow down"),
  headers: { "retry-after": String(seconds) }
})

describe("a refused re-sign-in", () => {
  it.effect("is tried once for 200 waiters, and each of them gets its 401001", () =>
    Effect.gen(function*() {
      let signIns = 0
      const s = sessionWith(happyServer((r) => {
        if (r.path.endsWith("/signin") && ++signIns > 1) return apiError(401, "401001", "Signin Error", "PAT revoked")
        return r.path.endsWith("/workbooks") ? expired : undefined
      }))
      const errors = yield* Effect.all(Array.from({ length: 200 }, () => Effect.flip(listWorkbooks)), {
        concurrency: "unbounded"
      }).pipe(Effect.provide(s.SessionLive))
      expect(s.count("/auth/signin")).toBe(2)
      expect(errors.map((e) => e._tag === "TableauApiError" ? e.code : e._tag)).toEqual(Array(200).fill("401001"))
    }))
})

describe("sign-in and sign-out under a throttling server", () => {
  it.effect("a sign-out answered 429 Retry-After: 59 releases the scope within 5 seconds", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) => r.path.endsWith("/signout") ? throttled(59) : undefined))
      const fiber = yield* Effect.fork(Effect.provide(Effect.void, s.SessionLive))
      yield* TestClock.adjust("6 seconds")
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(s.count("/auth/signout")).toBe(1)
    }))

  it.effect("interrupting a sign-in that waits out a 429 returns within seconds", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) => r.path.endsWith("/signin") ? throttled(50) : undefined))
      const fiber = yield* Effect.fork(Effect.provide(Effect.void, s.SessionLive))
      yield* TestClock.adjust("1 second")
      expect(s.count("/auth/signin")).toBe(1)
      const interrupted = yield* Effect.fork(Fiber.interrupt(fiber))
      for (let i = 0; i < 12; i++) yield* TestClock.adjust("500 millis")
      const exit = yield* Fiber.await(interrupted)
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(s.count("/auth/signin")).toBe(1)
    }))

  it.effect("a sign-in still in flight when interrupted, and answered soon after, is signed out", () =>
    Effect.gen(function*() {
      const answered = yield* Deferred.make<void>()
      const slow = fake((r) =>
        r.path.endsWith("/signin")
          ? Effect.as(Effect.zipRight(Deferred.await(answered), Effect.void), { body: signedIn("LATE") })
          : happyServer()(r)
      )
      const SessionLive = TableauSession.layer(pat).pipe(
        Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
        Layer.provide(slow.layer)
      )
      const fiber = yield* Effect.fork(Effect.provide(Effect.never, SessionLive))
      yield* TestClock.adjust("10 millis")
      const interrupted = yield* Effect.fork(Fiber.interrupt(fiber))
      yield* Deferred.succeed(answered, undefined)
      yield* Fiber.join(interrupted)
      expect(slow.paths()).toEqual(["POST /api/3.24/auth/signin", "POST /api/3.24/auth/signout"])
      expect(slow.recorded[1]!.headers["x-tableau-auth"]).toBe("LATE")
    }))
})

describe("messages that say what was tried", () => {
  it.effect("a refused sign-in names the credential kind and name and the site, never the secret", () =>
    Effect.gen(function*() {
      const s = sessionWith(() => apiError(401, "401001", "Signin Error", "Error signing in to Tableau Server"))
      const error = yield* Effect.flip(Effect.provide(Effect.void, s.SessionLive))
      expect(error._tag).toBe("TableauApiError")
      expect(error.message).toContain(`PersonalAccessToken "ci-publisher" on site "Sales"`)
      expect(error.message).toContain("contentUrl")
      expect(error.message).toContain("display name")
      expect(error.message).not.toContain("pat-secret-value")
    }))

  it.effect("switchSite answered 403069 is TableauUnsupportedError whatever the host name says", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) =>
        r.path.endsWith("/switchSite")
          ? apiError(403, "403069", "Forbidden", "Site switching is not supported on Tableau Cloud")
          : undefined
      ))
      const error = yield* Effect.flip(Effect.provide(TableauSession.switchSite("Other"), s.SessionLive))
      expect(error._tag).toBe("TableauUnsupportedError")
      expect(TableauError.isTableauError(error)).toBe(true)
      if (error._tag === "TableauUnsupportedError") expect(error.operation).toBe("switchSite")
    }))

  it.effect("TABLEAU_API_VERSION=latest is a ConfigError naming the variable", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const error = yield* Effect.flip(
        Effect.provide(Effect.void, TableauServer.layerConfig().pipe(Layer.provide(s.layer))).pipe(
          Effect.withConfigProvider(
            ConfigProvider.fromMap(new Map([["TABLEAU_SERVER_URL", BASE], ["TABLEAU_API_VERSION", "latest"]]))
          )
        )
      )
      expect(error._tag).not.toBe("TableauUrlError")
      expect(String(error)).toContain("TABLEAU_API_VERSION")
      expect(s.recorded).toEqual([])
    }))

  it.effect("layerConfig takes Config values in place of any option", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const server = yield* Effect.provide(
        TableauServer.TableauServer,
        TableauServer.layerConfig({ url: Config.succeed(BASE), apiVersion: Config.succeed("3.21") }).pipe(
          Layer.provide(s.layer)
        )
      )
      expect(server.apiVersion).toBe("3.21")
    }))
})

describe("bodies in other charsets", () => {
  const encoder = new TextEncoder()
  const serverInfoBytes = (productVersion: Uint8Array): Uint8Array<ArrayBuffer> =>
    new Uint8Array([
      ...encoder.encode(`<tsResponse xmlns="http://tableau.com/api"><serverInfo><productVersion>`),
      ...productVersion,
      ...encoder.encode(`</productVersion><restApiVersion>3.24</restApiVersion></serverInfo></tsResponse>`)
    ])
  const answering = (bytes: Uint8Array<ArrayBuffer>, contentType: string) =>
    Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) =>
        Effect.succeed(
          HttpClientResponse.fromWeb(request, new Response(bytes, { headers: { "content-type": contentType } }))
        )
      )
    )
  const serverInfoFrom = (bytes: Uint8Array<ArrayBuffer>, contentType: string) =>
    Effect.provide(
      TableauServer.serverInfo,
      TableauServer.layer({ url: BASE, apiVersion: "3.24" }).pipe(Layer.provide(answering(bytes, contentType)))
    )

  it.effect("an answer declared ISO-8859-1 (header or XML declaration) is decoded as such", () =>
    Effect.gen(function*() {
      const cafe = new Uint8Array([0x43, 0x61, 0x66, 0xe9])
      const byHeader = yield* serverInfoFrom(serverInfoBytes(cafe), "application/xml;charset=ISO-8859-1")
      expect(byHeader.productVersion).toBe("Café")
      const declared = new Uint8Array([
        ...encoder.encode(`<?xml version="1.0" encoding="ISO-8859-1"?>`),
        ...serverInfoBytes(cafe)
      ])
      const byDeclaration = yield* serverInfoFrom(declared, "application/xml")
      expect(byDeclaration.productVersion).toBe("Café")
    }))

  it.effect("bytes that are not UTF-8 in a UTF-8 answer, or an unknown charset, fail typed instead of turning into U+FFFD", () =>
    Effect.gen(function*() {
      const cafe = new Uint8Array([0x43, 0x61, 0x66, 0xe9])
      const invalid = yield* Effect.flip(serverInfoFrom(serverInfoBytes(cafe), "application/xml;charset=UTF-8"))
      expect(invalid._tag).toBe("TableauDecodeError")
      if (invalid._tag === "TableauDecodeError") expect(invalid.reason).toContain("utf-8")
      const unknown = yield* Effect.flip(
        serverInfoFrom(serverInfoBytes(encoder.encode("x")), "application/xml;charset=x-klingon")
      )
      expect(unknown._tag).toBe("TableauDecodeError")
      if (unknown._tag === "TableauDecodeError") expect(unknown.reason).toContain("x-klingon")
    }))
})

describe("configuration and URL mistakes", () => {
  it.effect("layerConfig with nothing set lists every variable it reads", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.void,
          TableauSession.layerConfig().pipe(Layer.provide(TableauServer.layerConfig()), Layer.provide(s.layer))
        ).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
        )
      )
      const text = String(error)
      for (
        const name of [
          "TABLEAU_SERVER_URL",
          "TABLEAU_API_VERSION",
          "TABLEAU_SITE",
          "TABLEAU_PAT_NAME",
          "TABLEAU_PASSWORD",
          "TABLEAU_JWT",
          "TABLEAU_CONNECTED_APP_CLIENT_ID"
        ]
      ) {
        expect(text).toContain(name)
      }
    }))

  it.effect("a site's page address leads with the server root and the site's contentUrl", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      for (
        const url of [
          "https://tableau.example.com/site/MarketingTeam",
          "https://tableau.example.com/#/site/MarketingTeam/home"
        ]
      ) {
        const error = yield* Effect.flip(
          Effect.provide(TableauServer.TableauServer, TableauServer.layer({ url }).pipe(Layer.provide(s.layer)))
        )
        expect(error._tag).toBe("TableauUrlError")
        expect(error.message).toContain(`site: "MarketingTeam"`)
        expect(error.message).toContain(`url: "https://tableau.example.com"`)
        expect(error.message).not.toContain("..")
      }
      expect(s.recorded).toEqual([])
    }))
})

describe("switchSite to a site that does not exist", () => {
  it.effect("points at Sites.list", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) =>
        r.path.endsWith("/switchSite")
          ? apiError(404, "404000", "Resource Not Found", "Site 'Nope' could not be found.")
          : undefined
      ))
      const error = yield* Effect.flip(Effect.provide(TableauSession.switchSite("Nope"), s.SessionLive))
      expect(error._tag).toBe("TableauApiError")
      expect(error.message).toContain("Sites.list")
      expect(error.message).toContain(`"Nope"`)
    }))
})
