import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as RequestDeadline from "../RequestDeadline.js"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

// setTimeout's longest delay; a longer deadline is as good as none.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * `Effect.timeoutFail`, for one call in a hot path. On the live clock, when the HTTP client
 * enforces `RequestDeadline.current` itself (`transportEnforces`), the deadline is only handed to
 * it: no fiber at all, and `self` must turn the client's `RequestDeadline.exceeded` into the
 * timeout error. Otherwise the effect runs in one child fiber raced against a plain timer,
 * instead of two fibers (the effect and a sleeper) whose results are joined. Any other clock (a
 * `TestClock`) gets `Effect.timeoutFail` itself, so tests still control time.
 *
 * @internal
 */
export const deadline = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2,
  transportEnforces = false
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) => {
    const ms = Duration.toMillis(duration)
    if (clock !== liveClock) return Effect.timeoutFail(self, { duration, onTimeout })
    if (!(ms < MAX_TIMER_MS)) return self
    if (transportEnforces) return Effect.locally(self, RequestDeadline.current, { millis: Math.max(0, ms) })
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.fork(restore(self)), (fiber) =>
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
