/**
 * Load: 200 callers share one session for 8 seconds (RELIABILITY_LOAD_SECONDS changes it;
 * the checks stay the same) while every session on the emulator is ended every 4 seconds. Every call must
 * succeed, the emulator must count exactly one sign-in per expiry plus the first one (re-sign-in
 * is single-flight: 200 callers meeting one expiry sign in once), and no session may be left.
 *
 * The re-sign-in guard: by default a session may sign in again at most 3 times a minute, after
 * which calls fail with TableauSessionConflictError (a session ended that often is most likely
 * shared by two processes through one PAT). An expiry every 4 seconds is 15 a minute, so this
 * test raises the guard to 16 a minute: with the default, calls after the third expiry would fail
 * by design, not by defect.
 *
 * The in-memory emulator's client is wrapped with `answerAsIo`: without it, 200 callers looping
 * on promise-only answers starve every timer, and the expiry schedule would only run once the
 * callers had stopped. That is what "on schedule" checks: each expiry lands before the next one
 * is due and while the callers still run. It cannot land at once: the answers the 200 callers
 * are handed in one turn of the event loop all run before the expirer's timer can fire, which
 * makes it 1-3.5 s late on a busy 2-core machine.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Clock, Context, Duration, Effect, Fiber, Layer } from "effect"
import { answerAsIo, exitProblems } from "./support.js"

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? "8")
const CALLERS = 200
const EXPIRY_EVERY_SECONDS = 4

const pat = Credentials.personalAccessToken({
  tokenName: Fixtures.defaults.admin.patName,
  tokenSecret: Fixtures.defaults.admin.patSecret
})

interface CallerReport {
  readonly calls: number
  readonly failures: ReadonlyArray<string>
}

describe("R4 load", () => {
  it.scopedLive(
    `${CALLERS} callers on one session for ${SECONDS} s, the session ending every ${EXPIRY_EVERY_SECONDS} s`,
    () =>
      Effect.gen(function*() {
        // recordLimit 0: the emulator keeps no request log (copying it on every request would
        // make the emulator, not the SDK, the bottleneck).
        const context = yield* Layer.build(TableauEmulator.layer({ workbooks: 40, recordLimit: 0 }))
        const emulator = Context.get(context, TableauEmulator.TableauEmulator)
        const client = answerAsIo(Context.get(context, HttpClient.HttpClient))
        const reSignIn = { max: Math.ceil(60 / EXPIRY_EVERY_SECONDS) + 1, window: "1 minute" } as const

        const start = yield* Clock.currentTimeMillis
        const deadline = start + SECONDS * 1000
        let expiries = 0
        const lateness: Array<number> = []
        let latenessLimit = Infinity

        const outcome = yield* Effect.scoped(Effect.gen(function*() {
          const session = yield* TableauSession.signIn(pat, { reSignIn })
          const call = Effect.provideService(Workbooks.page({ pageSize: 10 }), TableauSession.TableauSession, session)
          const caller = Effect.gen(function*() {
            let calls = 0
            const failures: Array<string> = []
            while ((yield* Clock.currentTimeMillis) < deadline) {
              const exit = yield* Effect.exit(call)
              calls++
              if (exit._tag === "Failure") failures.push(String(exit.cause).slice(0, 300))
              else if (exit.value.items.length !== 10) failures.push(`a page of ${exit.value.items.length} items`)
            }
            return { calls, failures } satisfies CallerReport
          })
          // Expiries strictly inside the run: at 4 s, 8 s, ... before the deadline.
          const expirer = Effect.gen(function*() {
            for (let at = EXPIRY_EVERY_SECONDS * 1000; start + at < deadline; at += EXPIRY_EVERY_SECONDS * 1000) {
              yield* Effect.sleep(Duration.millis(Math.max(0, start + at - (yield* Clock.currentTimeMillis))))
              yield* emulator.expireAllSessions
              expiries++
              lateness.push((yield* Clock.currentTimeMillis) - (start + at))
              // Late by less than this: before the next expiry is due and before the callers stop.
              latenessLimit = Math.min(latenessLimit, EXPIRY_EVERY_SECONDS * 1000, deadline - (start + at))
            }
          })
          const expiring = yield* Effect.fork(expirer)
          const reports = yield* Effect.all(Array.from({ length: CALLERS }, () => caller), { concurrency: "unbounded" })
          yield* Fiber.join(expiring)
          return reports
        })).pipe(
          Effect.provide(TableauServer.layer({ url: "http://tableau.emulator", apiVersion: "3.24" })),
          Effect.provideService(HttpClient.HttpClient, client),
          Effect.exit
        )

        expect(exitProblems(outcome)).toEqual([])
        expect(outcome._tag).toBe("Success")
        if (outcome._tag !== "Success") return
        const calls = outcome.value.reduce((sum, r) => sum + r.calls, 0)
        const failures = outcome.value.flatMap((r) => r.failures)
        const signIns = yield* emulator.signIns
        const active = yield* emulator.activeSessions
        console.info(
          `R4: ${calls} calls by ${CALLERS} callers in ${SECONDS} s (${Math.round(calls / SECONDS)}/s), ` +
            `${expiries} expiries (late by ${
              lateness.join(", ")
            } ms), ${signIns} sign-ins, ${failures.length} failures, ${active} sessions left`
        )
        expect(failures.slice(0, 5), `${failures.length} of ${calls} calls failed`).toEqual([])
        expect(outcome.value.every((r) => r.calls > 0), "every caller got calls through").toBe(true)
        expect(expiries).toBe(Math.ceil(SECONDS / EXPIRY_EVERY_SECONDS) - 1)
        expect(Math.max(0, ...lateness), "the expiries ran on schedule, while the callers ran").toBeLessThan(
          latenessLimit
        )
        expect(signIns, "one sign-in, then one per expiry").toBe(expiries + 1)
        expect(active).toBe(0)
      }),
    (SECONDS + 60) * 1000
  )
})
