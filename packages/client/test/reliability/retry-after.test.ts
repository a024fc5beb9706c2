/**
 * How long a 429 says to wait (issue 13, hole 10): `Retry-After` as delay-seconds or an HTTP
 * date read against Effect's `Clock` (so `TestClock` decides "now", not `Date.now()`); any other
 * value (negative, a word, a date already past) states no wait, and the retry falls back to
 * backoff. The detail's "... 30 seconds" is read when the header says nothing valid.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { Effect, TestClock } from "effect"

const NS = `xmlns="http://tableau.com/api"`

const throttled = (retryAfter: string | undefined, detail = "Too many requests") =>
  HttpClient.make((request) =>
    Effect.succeed(HttpClientResponse.fromWeb(
      request,
      new Response(
        `<tsResponse ${NS}><error code="429000"><summary>Throttled</summary><detail>${detail}</detail></error></tsResponse>`,
        {
          status: 429,
          headers: {
            "content-type": "application/xml",
            ...(retryAfter !== undefined ? { "retry-after": retryAfter } : {})
          }
        }
      )
    ))
  )

const statedWait = (retryAfter: string | undefined, detail?: string) =>
  Effect.scoped(Effect.gen(function*() {
    const server = yield* TableauServer.make({ url: "https://tableau.test", apiVersion: "3.24", retry: false })
    const error = yield* Effect.flip(server.execute(HttpClientRequest.get("/api/3.24/sites")))
    expect(error._tag).toBe("TableauApiError")
    return error._tag === "TableauApiError" ? error.retryAfterSeconds : "not an API error"
  })).pipe(Effect.provideService(HttpClient.HttpClient, throttled(retryAfter, detail)))

describe("Retry-After", () => {
  for (const invalid of ["-5", "-0.5", "soon", "1e3", "", "Wed, 21 Oct 2015 07:28:00 GMT+99", "30 seconds"]) {
    it.effect(`${JSON.stringify(invalid)} states no wait: backoff decides`, () =>
      Effect.map(statedWait(invalid), (wait) => expect(wait).toBeUndefined()))
  }

  it.effect("delay-seconds are read as they are", () => Effect.map(statedWait("30"), (wait) => expect(wait).toBe(30)))

  it.effect("an HTTP date is read against Effect's Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      expect(yield* statedWait("Thu, 01 Jan 2026 00:00:45 GMT")).toBe(45)
    }))

  it.effect("an HTTP date already past states no wait", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      expect(yield* statedWait("Wed, 31 Dec 2025 23:59:00 GMT")).toBeUndefined()
    }))

  it.effect("the obsolete RFC 850 date form is read too", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      expect(yield* statedWait("Thursday, 01-Jan-26 00:00:10 GMT")).toBe(10)
    }))

  it.effect("with no valid header, the detail's stated wait counts, minutes too", () =>
    Effect.gen(function*() {
      expect(yield* statedWait("-5", "Try again in 2 minutes")).toBe(120)
      expect(yield* statedWait(undefined, "wait 1.5 seconds")).toBe(1.5)
      expect(yield* statedWait(undefined, "request 123456 of 100")).toBeUndefined()
    }))
})
