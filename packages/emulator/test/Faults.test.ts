import { describe, expect, it } from "@effect/vitest"
import { Fault, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { emulator, errorCode, send } from "./util.js"

const serverInfo = send("GET", "/api/3.24/serverinfo")

describe("faults", () => {
  it.effect("answers 429 with Retry-After for the next N requests, then normally", () =>
    Effect.gen(function*() {
      yield* (yield* emulator).failNext(2, Fault.Status({ status: 429, retryAfterSeconds: 7 }))
      for (let index = 0; index < 2; index++) {
        const answer = yield* serverInfo
        expect(answer.status).toBe(429)
        expect(answer.headers["retry-after"]).toBe("7")
        expect(errorCode(answer)).toBe("429000")
        expect(answer.text).toContain("retry after 7 seconds")
      }
      expect((yield* serverInfo).status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers 503 as a Tableau error, an HTML page or an empty body", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      yield* service.failNext(1, Fault.Status({ status: 503 }))
      yield* service.failNext(1, Fault.Status({ status: 503, body: "html" }))
      yield* service.failNext(1, Fault.Status({ status: 502, body: "empty" }))
      const xml = yield* serverInfo
      expect([xml.status, errorCode(xml)]).toEqual([503, "503000"])
      const html = yield* serverInfo
      expect(html.status).toBe(503)
      expect(html.headers["content-type"]).toContain("text/html")
      expect(html.text).toContain("<h1>503 Service Unavailable</h1>")
      const empty = yield* serverInfo
      expect([empty.status, empty.text]).toEqual([502, ""])
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("drops the connection: the layer's HttpClient fails with a transport RequestError", () =>
    Effect.gen(function*() {
      yield* (yield* emulator).failNext(1, Fault.Drop())
      const error = yield* Effect.flip(serverInfo)
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      expect((yield* serverInfo).status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers 200 with a malformed body", () =>
    Effect.gen(function*() {
      yield* (yield* emulator).failNext(1, Fault.Malformed())
      const answer = yield* serverInfo
      expect(answer.status).toBe(200)
      expect(answer.text).not.toContain("</tsResponse>")
      expect(answer.text).not.toContain("serverInfo")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("delays an answer on the Effect clock, and applies only to matching paths", () =>
    Effect.gen(function*() {
      yield* (yield* emulator).failNext(1, Fault.Delay({ millis: 5_000 }), { path: "/serverinfo" })
      expect((yield* send("GET", "/api/3.24/sites")).status).toBe(401)
      const fiber = yield* Effect.fork(serverInfo)
      yield* TestClock.adjust("4 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("stacks a delay with another fault and clears the queue on demand", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      yield* service.failNext(Infinity, Fault.Delay({ millis: 100 }))
      yield* service.failNext(1, Fault.Status({ status: 503 }))
      const fiber = yield* Effect.fork(serverInfo)
      yield* TestClock.adjust("100 millis")
      expect((yield* Fiber.join(fiber)).status).toBe(503)
      yield* service.clearFaults
      expect((yield* serverInfo).status).toBe(200)
      expect((yield* service.stats).faultsQueued).toBe(0)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("applies a fault to a share of requests with probability", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      yield* service.failNext(Infinity, Fault.Status({ status: 503 }), { probability: 0 })
      expect((yield* serverInfo).status).toBe(200)
      yield* service.clearFaults
      yield* service.failNext(Infinity, Fault.Status({ status: 503 }), { probability: 1 })
      expect((yield* serverInfo).status).toBe(503)
      expect((yield* serverInfo).status).toBe(503)
    }).pipe(Effect.provide(TableauEmulator.layer())))
})
