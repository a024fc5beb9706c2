import { expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { Fault, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"

// The program under test signs in as alice with her PAT; the emulator layer below provides the
// HttpClient it talks to, and the TableauEmulator service the test looks through.
const TableauLive = TableauSession.layer(
  Credentials.personalAccessToken({
    tokenName: Fixtures.defaults.alice.patName,
    tokenSecret: Fixtures.defaults.alice.patSecret,
    site: ""
  })
).pipe(Layer.provide(TableauServer.layer({ url: "http://tableau.emulator", apiVersion: "3.24" })))

it.effect("re-signs in when the session expired, and signs out at the end", () =>
  Effect.gen(function*() {
    const emulator = yield* TableauEmulator.TableauEmulator
    const program = Effect.gen(function*() {
      yield* Workbooks.page({ pageSize: 10 })
      yield* TestClock.adjust("241 minutes") // sessions expire on the Effect clock
      return yield* Workbooks.page({ pageSize: 10 })
    })
    const { items } = yield* Effect.provide(program, TableauLive)
    expect(items).toHaveLength(10)
    expect(yield* emulator.signIns).toBe(2)
    expect(yield* emulator.activeSessions).toBe(0)
    expect((yield* emulator.requests).map((r) => r.path)).toContain("/api/3.24/auth/signout")
  }).pipe(Effect.provide(TableauEmulator.layer({ workbooks: 100 }))))

it.effect("waits as long as Retry-After says when the server throttles", () =>
  Effect.gen(function*() {
    const emulator = yield* TableauEmulator.TableauEmulator
    yield* emulator.failNext(1, Fault.Status({ status: 429, retryAfterSeconds: 2 }), { path: "workbooks" })
    const fiber = yield* Effect.fork(Effect.provide(Workbooks.page({ pageSize: 10 }), TableauLive))
    yield* TestClock.adjust("1999 millis") // the retry sleeps on the Effect clock too
    expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
    yield* TestClock.adjust("1 millis")
    const { items } = yield* Fiber.join(fiber)
    expect(items).toHaveLength(10)
    const statuses = (yield* emulator.requests).filter((r) => r.path.includes("/workbooks")).map((r) => r.status)
    expect(statuses).toEqual([429, 200])
  }).pipe(Effect.provide(TableauEmulator.layer({ workbooks: 100 }))))
