import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { TableauError } from "../TableauError.js"

/** @internal */
export interface RetryPolicy {
  readonly times: number
  readonly baseDelay: Duration.Duration
  readonly maxDelay: Duration.Duration
  readonly maxRetryAfter: Duration.Duration
}

const RETRIED_STATUSES = new Set([502, 503, 504])

// Sending these twice leaves the server as sending them once (RFC 9110, 9.2.2); a POST that
// creates or starts a job would do it twice.
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/**
 * How long to wait before trying again, or undefined when the failure must not be retried.
 * 429 means the request was not processed, so any method may wait and retry; a 5xx or a
 * dropped connection may have changed state, so only idempotent requests (GET, PUT, DELETE) are
 * retried.
 */
const delayFor = (
  error: TableauError,
  method: string,
  attempt: number,
  policy: RetryPolicy
): Effect.Effect<Duration.Duration | undefined> => {
  const status = error._tag === "TableauApiError" || error._tag === "TableauDecodeError" ? error.status : undefined
  if (status === 429) {
    const stated = error._tag === "TableauApiError" ? error.retryAfterSeconds : undefined
    if (stated !== undefined) {
      const wait = Duration.seconds(stated)
      return Effect.succeed(Duration.greaterThan(wait, policy.maxRetryAfter) ? undefined : wait)
    }
    return backoff(attempt, policy)
  }
  if (!IDEMPOTENT.has(method)) return Effect.succeed(undefined)
  const dropped = error._tag === "TableauTransportError" && (error.reason === "Reset" || error.reason === "Unknown")
  return status !== undefined && RETRIED_STATUSES.has(status) || dropped
    ? backoff(attempt, policy)
    : Effect.succeed(undefined)
}

// Exponential backoff with equal jitter: base * 2^attempt, capped; half of it, plus a random share
// of the other half (so a retry never comes at once, yet clients spread out).
const backoff = (attempt: number, policy: RetryPolicy): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (r) => {
    const cap = Math.min(Duration.toMillis(policy.maxDelay), Duration.toMillis(policy.baseDelay) * 2 ** attempt)
    return Duration.millis(Math.round(cap / 2 + (cap / 2) * r))
  })

/**
 * Runs `attempt` again while the policy allows, waiting as it says; each retry is logged (in the
 * current span, the request's).
 *
 * @internal
 */
export const withRetries = <A>(
  attempt: Effect.Effect<A, TableauError>,
  method: string,
  policy: RetryPolicy | undefined
): Effect.Effect<A, TableauError> => {
  if (policy === undefined || policy.times <= 0) return attempt
  const loop = (n: number): Effect.Effect<A, TableauError> =>
    Effect.catchAll(attempt, (error) =>
      n >= policy.times
        ? Effect.fail(error)
        : Effect.flatMap(delayFor(error, method, n, policy), (delay) =>
          delay === undefined
            ? Effect.fail(error)
            : Effect.logDebug(`Tableau answered ${error._tag}; retrying in ${Duration.format(delay)}`).pipe(
              Effect.zipRight(Effect.sleep(delay)),
              Effect.zipRight(loop(n + 1))
            )))
  return loop(0)
}
