import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Effect, Fiber, Layer, TestClock } from "effect"
import { apiError, BASE, fake, type Handler, happyServer, xml } from "./support/FakeTableau.js"

const pat = Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "pat-secret" })
const expired = apiError(401, "401002", "Unauthorized Access", "Invalid authentication credentials were provided.")
const listWorkbooks = Effect.flatMap(
  TableauSession.TableauSession,
  (session) => session.execute((state) => HttpClientRequest.get(`/sites/${state.siteId}/workbooks`))
)

const sessionWith = (
  handler: Handler,
  server: Partial<TableauServer.Options> = {},
  options: TableauSession.Options = {}
) => {
  const s = fake(handler)
  const SessionLive = TableauSession.layer(pat, options).pipe(
    Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24", ...server })),
    Layer.provide(s.layer)
  )
  return { ...s, SessionLive, count: (suffix: string) => s.recorded.filter((r) => r.path.endsWith(suffix)).length }
}

describe("re-sign-in", () => {
  it.effect("50 fibers meeting one expiry cause one sign-in, and all 50 retry with the new token", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) =>
        r.path.endsWith("/workbooks")
          ? (r.headers["x-tableau-auth"] === "TOKEN-1" ? expired : { body: xml("<workbooks/>") })
          : undefined
      ))
      const results = yield* Effect.all(Array.from({ length: 50 }, () => listWorkbooks), { concurrency: "unbounded" })
        .pipe(
          Effect.provide(s.SessionLive)
        )
      expect(results.every((r) => r.status === 200)).toBe(true)
      expect(s.count("/auth/signin")).toBe(2)
      const retried = s.recorded.filter((r) =>
        r.path.endsWith("/workbooks") && r.headers["x-tableau-auth"] === "TOKEN-2"
      )
      expect(retried).toHaveLength(50)
    }))

  it.effect("a call that still fails after the re-sign-in is not retried again", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) => r.path.endsWith("/workbooks") ? expired : undefined))
      const error = yield* Effect.flip(Effect.provide(listWorkbooks, s.SessionLive))
      expect(error._tag).toBe("TableauApiError")
      expect(s.count("/workbooks")).toBe(2)
      expect(s.count("/auth/signin")).toBe(2)
    }))

  it.effect("a failing re-sign-in (401001) is not retried", () =>
    Effect.gen(function*() {
      let signIns = 0
      const s = sessionWith(happyServer((r) => {
        if (r.path.endsWith("/signin") && ++signIns > 1) return apiError(401, "401001", "Signin Error", "PAT revoked")
        return r.path.endsWith("/workbooks") ? expired : undefined
      }))
      const error = yield* Effect.flip(Effect.provide(listWorkbooks, s.SessionLive))
      expect(error._tag === "TableauApiError" && error.code).toBe("401001")
      expect(s.count("/auth/signin")).toBe(2)
    }))

  it.effect("a session ended over and over (two processes, one PAT) fails with a conflict error", () =>
    Effect.gen(function*() {
      let n = 0
      const s = sessionWith((r) => {
        if (r.path.endsWith("/signin")) {
          return {
            body: xml(
              `<credentials token="T${++n}"><site id="00000000-0000-4000-8000-0000000000a0" contentUrl=""/><user id="00000000-0000-4000-8000-0000000000b0"/></credentials>`
            )
          }
        }
        if (r.path.endsWith("/signout")) return { status: 204 }
        return expired // every token dies at once: someone else signs in with the same PAT
      })
      const outcomes = yield* Effect.provide(
        Effect.all(Array.from({ length: 5 }, () => Effect.flip(listWorkbooks))),
        s.SessionLive
      )
      expect(outcomes.map((e) => e._tag)).toEqual([
        "TableauApiError",
        "TableauApiError",
        "TableauApiError",
        "TableauSessionConflictError",
        "TableauSessionConflictError"
      ])
      expect(outcomes[3]!.message).toContain("same personal access token")
      expect(s.count("/auth/signin")).toBe(4)
    }))

  it.effect("reSignIn: false leaves the expired-session error to the caller", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) => r.path.endsWith("/workbooks") ? expired : undefined), {}, {
        reSignIn: false
      })
      const error = yield* Effect.flip(Effect.provide(listWorkbooks, s.SessionLive))
      expect(error._tag === "TableauApiError" && error.code).toBe("401002")
      expect(s.count("/auth/signin")).toBe(1)
    }))
})

describe("JWT sources", () => {
  it.effect("a JWT source is asked once per sign-in, so a re-sign-in sends a fresh JWT", () =>
    Effect.gen(function*() {
      let minted = 0
      const credentials = Credentials.jwt({ jwt: Effect.sync(() => `jwt-${++minted}`), site: "acme" })
      const s = fake(happyServer((r) =>
        r.path.endsWith("/workbooks")
          ? (r.headers["x-tableau-auth"] === "TOKEN-1" ? expired : { body: xml("<workbooks/>") })
          : undefined
      ))
      yield* listWorkbooks.pipe(
        Effect.provide(
          TableauSession.layer(credentials).pipe(
            Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
            Layer.provide(s.layer)
          )
        )
      )
      const bodies = s.recorded.filter((r) => r.path.endsWith("/signin")).map((r) => r.body)
      expect(bodies).toEqual([
        `<tsRequest><credentials jwt="jwt-1"><site contentUrl="acme"/></credentials></tsRequest>`,
        `<tsRequest><credentials jwt="jwt-2"><site contentUrl="acme"/></credentials></tsRequest>`
      ])
    }))

  it.effect("a failing JWT source is a credentials error and nothing is sent", () =>
    Effect.gen(function*() {
      const credentials = Credentials.jwt({ jwt: Effect.fail(new Error("vault down: secret=abc")) })
      const s = fake(happyServer())
      const error = yield* Effect.flip(Effect.provide(
        Effect.void,
        TableauSession.layer(credentials).pipe(
          Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
          Layer.provide(s.layer)
        )
      ))
      expect(error._tag).toBe("TableauCredentialsError")
      expect(error.message).toContain("the JWT source failed (Error)")
      expect(error.message).not.toContain("secret=abc")
      expect(s.recorded).toEqual([])
    }))
})

describe("retries", () => {
  it.effect("429 waits as long as Retry-After says, then succeeds", () =>
    Effect.gen(function*() {
      let calls = 0
      const s = sessionWith(happyServer((r) => {
        if (!r.path.endsWith("/workbooks")) return undefined
        return ++calls === 1
          ? { ...apiError(429, "429000", "Too Many Requests", "Slow down"), headers: { "retry-after": "7" } }
          : { body: xml("<workbooks/>") }
      }))
      const fiber = yield* Effect.fork(Effect.provide(listWorkbooks, s.SessionLive))
      yield* TestClock.adjust("6 seconds")
      expect(calls).toBe(1)
      yield* TestClock.adjust("1 second")
      const response = yield* Fiber.join(fiber)
      expect(response.status).toBe(200)
      expect(calls).toBe(2)
    }))

  it.effect("429 with the wait only in the detail text waits that long", () =>
    Effect.gen(function*() {
      let calls = 0
      const s = sessionWith(happyServer((r) => {
        if (!r.path.endsWith("/workbooks")) return undefined
        return ++calls === 1
          ? apiError(429, "429000", "Too Many Requests", "Request limit reached; try again in 30 seconds")
          : { body: xml("<workbooks/>") }
      }))
      const fiber = yield* Effect.fork(Effect.provide(listWorkbooks, s.SessionLive))
      yield* TestClock.adjust("29 seconds")
      expect(calls).toBe(1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(calls).toBe(2)
    }))

  it.effect("a Retry-After longer than the maximum fails at once", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) =>
        r.path.endsWith("/workbooks")
          ? { ...apiError(429, "429000", "Too Many Requests", "Slow down"), headers: { "retry-after": "3600" } }
          : undefined
      ))
      const error = yield* Effect.flip(Effect.provide(listWorkbooks, s.SessionLive))
      expect(error._tag === "TableauApiError" && error.retryAfterSeconds).toBe(3600)
      expect(s.count("/workbooks")).toBe(1)
    }))

  it.effect("503 on a GET is retried with backoff, a bounded number of times", () =>
    Effect.gen(function*() {
      const s = sessionWith(
        happyServer((r) =>
          r.path.endsWith("/workbooks")
            ? { status: 503, body: "<html>Service Unavailable</html>", headers: { "content-type": "text/html" } }
            : undefined
        ),
        { retry: { times: 3, baseDelay: "100 millis" } }
      )
      const fiber = yield* Effect.fork(Effect.flip(Effect.provide(listWorkbooks, s.SessionLive)))
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "TableauDecodeError" && error.status).toBe(503)
      expect(s.count("/workbooks")).toBe(4)
    }))

  it.effect("a 503 on a POST that changes state is never retried", () =>
    Effect.gen(function*() {
      const s = sessionWith(happyServer((r) =>
        r.path.endsWith("/switchSite") ? apiError(503, "503000", "Service Unavailable", "busy") : undefined
      ))
      const fiber = yield* Effect.fork(Effect.flip(Effect.provide(TableauSession.switchSite("x"), s.SessionLive)))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "TableauApiError" && error.code).toBe("503000")
      expect(s.count("/switchSite")).toBe(1)
    }))

  it.effect("retry: false turns retries off", () =>
    Effect.gen(function*() {
      const s = sessionWith(
        happyServer((r) =>
          r.path.endsWith("/workbooks") ? apiError(503, "503000", "Service Unavailable", "busy") : undefined
        ),
        { retry: false }
      )
      yield* Effect.flip(Effect.provide(listWorkbooks, s.SessionLive))
      expect(s.count("/workbooks")).toBe(1)
    }))
})

describe("request timeout on the live clock", () => {
  // A server that never answers the workbooks list; `stopped` counts the calls cut off.
  const hanging = (server: Partial<TableauServer.Options>) => {
    const state = { stopped: 0 }
    const hang = fake((r) =>
      r.path.endsWith("/workbooks")
        ? Effect.onInterrupt(Effect.never, () => Effect.sync(() => state.stopped++))
        : happyServer()(r)
    )
    const SessionLive = TableauSession.layer(pat).pipe(
      Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24", ...server })),
      Layer.provide(hang.layer)
    )
    const signOuts = () => hang.recorded.filter((r) => r.path.endsWith("/auth/signout")).length
    return { state, SessionLive, signOuts }
  }

  it.live("a call with no answer fails as a Timeout after the timeout, and the call itself is stopped", () =>
    Effect.gen(function*() {
      const { SessionLive, signOuts, state } = hanging({ timeout: "150 millis", retry: false })
      const started = Date.now()
      const error = yield* Effect.flip(Effect.provide(listWorkbooks, SessionLive))
      const elapsed = Date.now() - started
      expect(error._tag).toBe("TableauTransportError")
      expect(error._tag === "TableauTransportError" && error.reason).toBe("Timeout")
      expect(elapsed).toBeGreaterThanOrEqual(140)
      expect(elapsed).toBeLessThan(2_000)
      expect(state.stopped).toBe(1)
      // The session was still signed out.
      expect(signOuts()).toBe(1)
    }))

  it.live("interrupting the caller stops the call at once, without waiting for the timeout", () =>
    Effect.gen(function*() {
      const { SessionLive, signOuts, state } = hanging({ timeout: "1 minute" })
      const fiber = yield* Effect.fork(Effect.provide(listWorkbooks, SessionLive))
      yield* Effect.sleep("50 millis")
      const started = Date.now()
      yield* Fiber.interrupt(fiber)
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(state.stopped).toBe(1)
      expect(signOuts()).toBe(1)
    }))

  it.live("a call that answers in time is unaffected", () =>
    Effect.gen(function*() {
      const s = sessionWith(
        happyServer((r) => r.path.endsWith("/workbooks") ? { body: xml("<workbooks/>") } : undefined),
        {
          timeout: "5 seconds"
        }
      )
      const response = yield* Effect.provide(listWorkbooks, s.SessionLive)
      expect(response.status).toBe(200)
    }))
})
