/**
 * Faults a test (or the CLI) can inject: an error status, a slow answer, a dropped connection
 * or a garbage body, applied to the next requests.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Schema from "effect/Schema"

/**
 * A fault:
 * - `Status`: answer with this status (429 carries `Retry-After` when `retryAfterSeconds` is
 *   set) and a Tableau error body (`body: "html"` for a proxy's HTML page, `"empty"` for none);
 * - `Delay`: wait, then answer normally;
 * - `Drop`: end the connection without an answer (the layer fails with a transport error, the
 *   socket server destroys the socket);
 * - `Malformed`: answer 200 with a truncated XML body.
 *
 * @since 0.1.0
 * @category Models
 */
export type Fault = Data.TaggedEnum<{
  Status: {
    readonly status: number
    readonly retryAfterSeconds?: number | undefined
    readonly body?: "xml" | "html" | "empty" | undefined
  }
  Delay: { readonly millis: number }
  Drop: {}
  Malformed: {}
}>

const constructors = Data.taggedEnum<Fault>()

/**
 * An error status.
 *
 * @example
 * ```ts
 * import { Fault } from "@tableau-effect/emulator"
 *
 * const tooMany = Fault.Status({ status: 429, retryAfterSeconds: 2 })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const Status = constructors.Status

/**
 * A slow answer.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const Delay = constructors.Delay

/**
 * A dropped connection.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const Drop = constructors.Drop

/**
 * A 200 answer with a body that is not XML.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const Malformed = constructors.Malformed

/**
 * Pattern matching over faults.
 *
 * @since 0.1.0
 * @category Operations
 */
export const $match = constructors.$match

/**
 * Which requests a fault applies to: `times` requests (default 1; `Infinity` for all), only
 * those whose path contains `path` (case-insensitive) or matches the RegExp, and, with
 * `probability`, only that share of them.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Selector {
  readonly path?: string | RegExp | undefined
  readonly probability?: number | undefined
}

/**
 * A fault waiting in the queue, with the number of requests it still applies to.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Pending extends Selector {
  readonly fault: Fault
  readonly remaining: number
}

/**
 * Whether a pending fault applies to a request path, given a uniform random draw in [0, 1).
 *
 * @since 0.1.0
 * @category Operations
 */
export const applies = (pending: Pending, path: string, draw: number): boolean => {
  if (pending.remaining <= 0) return false
  if (pending.path !== undefined) {
    const matches = typeof pending.path === "string"
      ? path.toLowerCase().includes(pending.path.toLowerCase())
      : pending.path.test(path)
    if (!matches) return false
  }
  return pending.probability === undefined || draw < pending.probability
}

/**
 * The JSON form of a fault, as `POST /_emulator/faults` and fixtures tooling read it:
 * `{ "_tag": "Status", "status": 503 }`, `{ "_tag": "Delay", "millis": 500 }`,
 * `{ "_tag": "Drop" }`, `{ "_tag": "Malformed" }`.
 *
 * @since 0.1.0
 * @category Models
 */
export const FaultFromJson: Schema.Schema<
  Fault,
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly retryAfterSeconds?: number | undefined
    readonly body?: "xml" | "html" | "empty" | undefined
  }
  | { readonly _tag: "Delay"; readonly millis: number }
  | { readonly _tag: "Drop" }
  | {
    readonly _tag: "Malformed"
  }
> = Schema.Union(
  Schema.TaggedStruct("Status", {
    status: Schema.Number.pipe(Schema.int(), Schema.between(100, 599)),
    retryAfterSeconds: Schema.optional(Schema.Number.pipe(Schema.nonNegative())),
    body: Schema.optional(Schema.Literal("xml", "html", "empty"))
  }),
  Schema.TaggedStruct("Delay", { millis: Schema.Number.pipe(Schema.nonNegative()) }),
  Schema.TaggedStruct("Drop", {}),
  Schema.TaggedStruct("Malformed", {})
)
