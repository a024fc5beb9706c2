/**
 * Issue 5's behaviours against the emulator layer (the same model the examples run against):
 * re-sign-in, the PAT conflict guard, 429 with Retry-After, no retried POSTs, connected-app JWTs.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { Fault, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import { BASE_URL, emulated, recordingTracer } from "./support/EmulatedSession.js"

const { connectedApp, admin } = Fixtures.defaults
const signIns = Effect.flatMap(TableauEmulator.TableauEmulator, (e) => e.signIns)
/** Requests the emulator received (faulted ones included) whose path contains `fragment`. */
const received = (fragment: string) =>
  Effect.map(
    Effect.flatMap(TableauEmulator.TableauEmulator, (e) => e.requests),
    (requests) => requests.filter((r) => r.path.includes(fragment)).length
  )

const sessionOn = (credentials: Credentials.Credentials) =>
  TableauSession.layer(credentials).pipe(Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" })))

describe("against the emulator", () => {
  it.effect("50 fibers meeting an expired session cause one sign-in and all succeed", () =>
    Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* Workbooks.page({ pageSize: 1 })
      yield* emulator.expireAllSessions
      const pages = yield* Effect.all(Array.from({ length: 50 }, () => Workbooks.page({ pageSize: 1 })), {
        concurrency: "unbounded"
      })
      expect(pages.every((p) => p.pagination.totalAvailable === 25)).toBe(true)
      expect(yield* signIns).toBe(2)
      expect(yield* emulator.activeSessions).toBe(1)
    }).pipe(Effect.provide(emulated())))

  it.effect("two sessions on one PAT end each other, and the guard stops the thrashing", () =>
    Effect.gen(function*() {
      const pat = Credentials.personalAccessToken({ tokenName: admin.patName, tokenSecret: admin.patSecret })
      const list = Effect.flatMap(TableauSession.TableauSession, (s) =>
        s.execute((state) => HttpClientRequest.get(`/sites/${state.siteId}/projects`)))
      // Two fresh sessions over one emulator, as two processes sharing a PAT would be.
      const a = Layer.fresh(sessionOn(pat))
      const both = Effect.gen(function*() {
        const first = yield* Layer.build(a)
        const second = yield* Layer.build(a)
        const outcomes: Array<string> = []
        for (let i = 0; i < 5; i++) {
          for (const context of [first, second]) {
            const exit = yield* Effect.either(Effect.provide(list, context))
            outcomes.push(exit._tag === "Right" ? "ok" : exit.left._tag)
          }
        }
        return outcomes
      })
      const outcomes = yield* Effect.scoped(Effect.provide(both, TableauEmulator.layer()))
      expect(outcomes.slice(0, 6)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"])
      expect(outcomes).toContain("TableauSessionConflictError")
    }))

  it.effect("429 with Retry-After waits that long (TestClock), then succeeds", () =>
    Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* emulator.failNext(1, Fault.Status({ status: 429, retryAfterSeconds: 12 }), { path: "/workbooks" })
      const fiber = yield* Effect.fork(Workbooks.page({ pageSize: 5 }))
      yield* TestClock.adjust("11 seconds")
      expect(yield* received("/workbooks")).toBe(1)
      yield* TestClock.adjust("1 second")
      const page = yield* Fiber.join(fiber)
      expect(page.items).toHaveLength(5)
      expect(yield* received("/workbooks")).toBe(2)
    }).pipe(Effect.provide(emulated())))

  it.effect("a 503 on switchSite (a POST) is not retried; a 503 on a GET is", () =>
    Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: "/switchSite" })
      const switched = yield* Effect.flip(TableauSession.switchSite("MarketingTeam"))
      expect("status" in switched && switched.status).toBe(503)
      expect(yield* received("/switchSite")).toBe(1)
      yield* emulator.failNext(2, Fault.Status({ status: 503 }), { path: "/workbooks" })
      const fiber = yield* Effect.fork(Workbooks.page({ pageSize: 1 }))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      expect(yield* received("/workbooks")).toBe(3)
    }).pipe(Effect.provide(emulated())))

  it.effect("a JWT minted by Credentials.connectedApp is accepted; a tampered one is refused (401001)", () =>
    Effect.gen(function*() {
      const good = Credentials.connectedApp({ ...connectedApp, username: "alice" })
      const state = yield* Effect.provide(TableauSession.state, sessionOn(good))
      expect(state.userId).toBe(Fixtures.ids.users.alice)

      const wrongSecret = Credentials.connectedApp({
        ...connectedApp,
        secretValue: "not-the-secret-value-0123456789",
        username: "alice"
      })
      const refused = yield* Effect.flip(Effect.provide(TableauSession.state, sessionOn(wrongSecret)))
      expect(refused._tag === "TableauApiError" && refused.code).toBe("401001")

      // Same signature, another subject: the signature no longer matches the claims.
      const tampered = Credentials.jwt({
        jwt: Effect.map(Credentials.resolveJwt(good), (jwt) => {
          const [header, payload, signature] = Redacted.value(jwt).split(".")
          const claims = JSON.parse(Buffer.from(payload!, "base64url").toString())
          const forged = Buffer.from(JSON.stringify({ ...claims, sub: "admin" })).toString("base64url")
          return `${header}.${forged}.${signature}`
        })
      })
      const forged = yield* Effect.flip(Effect.provide(TableauSession.state, sessionOn(tampered)))
      expect(forged._tag === "TableauApiError" && forged.code).toBe("401001")
      expect(yield* signIns).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("a dropped connection on a GET is retried", () =>
    Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* emulator.failNext(1, Fault.Drop(), { path: "/workbooks" })
      const fiber = yield* Effect.fork(Workbooks.page({ pageSize: 2 }))
      yield* TestClock.adjust("10 seconds")
      const page = yield* Fiber.join(fiber)
      expect(page.items).toHaveLength(2)
      expect(yield* received("/workbooks")).toBe(2)
    }).pipe(Effect.provide(emulated())))

  it.effect("each request runs in a tableau.request span with method, path, status and Tableau's error code", () => {
    const { layer: tracing, spans } = recordingTracer()
    return Effect.gen(function*() {
      yield* Workbooks.page({ pageSize: 1 })
      yield* Effect.flip(Workbooks.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"))
      const requests = spans.filter((span) => span.name === "tableau.request")
      const list = requests.find((span) => String(span.attributes.get("url.path")).endsWith("/workbooks"))
      expect(list?.attributes.get("http.request.method")).toBe("GET")
      expect(list?.attributes.get("http.response.status_code")).toBe(200)
      const missing = requests.find((span) => span.attributes.get("http.response.status_code") === 404)
      expect(missing?.attributes.get("tableau.error_code")).toMatch(/^404/)
      const signIn = requests.find((span) => String(span.attributes.get("url.path")).endsWith("/auth/signin"))
      expect(signIn?.attributes.get("http.request.method")).toBe("POST")
    }).pipe(Effect.provide(emulated()), Effect.provide(tracing))
  })
})
