import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import type * as RequestDeadline from "../RequestDeadline.js"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

// setTimeout's longest delay; a longer deadline is as good as none.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * `Effect.timeoutFail`, for one call in a hot path; `attempt` gets the deadline to hand to the
 * transport, or `undefined`. On the live clock, when the transport enforces the deadline
 * (`transportEnforces`), it is only handed over: no fiber at all, and the attempt must turn the
 * transport's `RequestDeadline.exceeded` into the timeout error. Otherwise the attempt runs in
 * one child fiber raced against a plain timer, instead of two fibers (the effect and a sleeper)
 * whose results are joined. Any other clock (a `TestClock`) gets `Effect.timeoutFail` itself, so
 * tests still control time.
 *
 * @internal
 */
export const deadline = <A, E, R, E2>(
  attempt: (handed: RequestDeadline.RequestDeadline | undefined) => Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2,
  transportEnforces: boolean
): Effect.Effect<A, E | E2, R> => {
  const ms = Duration.toMillis(duration)
  const handed: RequestDeadline.RequestDeadline = { millis: Math.max(0, ms) }
  return Effect.clockWith((clock) => {
    if (clock !== liveClock) return Effect.timeoutFail(attempt(undefined), { duration, onTimeout })
    if (!(ms < MAX_TIMER_MS)) return attempt(undefined)
    if (transportEnforces) return attempt(handed)
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(attempt(undefined))), (fiber) =>
        restore(Effect.async<A, E | E2>((resume) => {
          let settled = false
          const timer = setTimeout(() => {
            if (settled) return
            settled = true
            fiber.unsafeInterruptAsFork(FiberId.none)
            resume(Effect.fail(onTimeout()))
          }, Math.max(0, ms))
          fiber.addObserver((exit) => {
            clearTimeout(timer)
            if (settled) return
            settled = true
            resume(exit)
          })
          // The caller was interrupted: stop the call and wait for it to stop.
          return Effect.suspend(() => {
            clearTimeout(timer)
            settled = true
            return Fiber.interrupt(fiber)
          })
        }))
      )
    )
  })
}
