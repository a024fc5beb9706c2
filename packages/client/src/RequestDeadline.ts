/**
 * The deadline of a Tableau request, for HTTP clients that can enforce it themselves.
 *
 * `TableauServer` gives every request a deadline (its `timeout` option). With any `HttpClient` it
 * enforces that deadline by running the request in a child fiber raced against a timer. A client
 * that marks itself with `enforcing` takes the deadline from `current` instead and aborts the
 * request when it passes, which spares the fiber on every call. `@tableau-effect/node`'s client
 * does this; the marker is lost with any `HttpClient` combinator, which is safe: the server then
 * enforces the deadline itself.
 *
 * @since 0.1.0
 */
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"

/**
 * How long the request being sent may take, answer body included.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RequestDeadline {
  readonly millis: number
}

/**
 * The deadline of the request the current fiber sends, set by `TableauServer` around each call
 * for a client marked with `enforcing`; `undefined` outside such a call.
 *
 * @example
 * ```ts
 * import { Effect, FiberRef } from "effect"
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * const millis = Effect.map(FiberRef.get(RequestDeadline.current), (deadline) => deadline?.millis)
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const current: FiberRef.FiberRef<RequestDeadline | undefined> = globalValue(
  "@tableau-effect/client/RequestDeadline/current",
  () => FiberRef.unsafeMake<RequestDeadline | undefined>(undefined)
)

/**
 * What a client aborts the request with when the deadline passes, and gives as the `cause` of
 * the `RequestError` or `ResponseError` it then fails with: `TableauServer` turns that error
 * into a `TableauTransportError` with reason `Timeout`.
 *
 * @example
 * ```ts
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * const controller = new AbortController()
 * controller.abort(RequestDeadline.exceeded)
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const exceeded: Error = globalValue(
  "@tableau-effect/client/RequestDeadline/exceeded",
  () => new Error("the request deadline passed")
)

const EnforcingTypeId: unique symbol = Symbol.for("@tableau-effect/client/RequestDeadline/enforcing")

/**
 * Marks a client as one that enforces `current` on every request it sends.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * // A client whose transport reads RequestDeadline.current and aborts with RequestDeadline.exceeded.
 * declare const client: HttpClient.HttpClient
 * const marked = RequestDeadline.enforcing(client)
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const enforcing = <C extends object>(client: C): C => Object.assign(client, { [EnforcingTypeId]: true })

/**
 * Whether a client is marked with `enforcing`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient, HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * const enforced = Effect.map(HttpClient.HttpClient, RequestDeadline.isEnforcedBy).pipe(
 *   Effect.provide(FetchHttpClient.layer)
 * ) // false
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const isEnforcedBy = (client: object): boolean =>
  (client as { readonly [EnforcingTypeId]?: unknown })[EnforcingTypeId] === true
