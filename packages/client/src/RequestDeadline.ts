/**
 * The deadline of a Tableau request, for HTTP clients that can enforce it themselves.
 *
 * `TableauServer` gives every request a deadline (its `timeout` option). With any `HttpClient` it
 * enforces that deadline by running the request in a child fiber raced against a timer. A client
 * marked with `enforcing` is handed the deadline with each request instead, through its `Send`,
 * and aborts the request when it passes: no fiber per call, and none of the platform's
 * per-request context. `@tableau-effect/node`'s client does this; the mark is lost with any
 * `HttpClient` combinator, which is safe: the server then sends through `execute` and enforces
 * the deadline itself.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Effect from "effect/Effect"
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

const SendTypeId: unique symbol = Symbol.for("@tableau-effect/client/RequestDeadline/Send")

/**
 * How a client that enforces deadlines sends one request: as its `execute` would, without the
 * platform's tracing (the caller has a span of its own), aborted when `deadline` passes (with
 * `exceeded` as the cause of the error) or when the fiber is interrupted. `undefined`: no deadline.
 *
 * @since 0.1.0
 * @category Models
 */
export type Send = (
  request: HttpClientRequest.HttpClientRequest,
  deadline: RequestDeadline | undefined
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

/**
 * Marks a client as one that enforces deadlines, with the `Send` that does it. `TableauServer`
 * calls `send` instead of `execute` for such a client.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * // A transport that aborts with RequestDeadline.exceeded once deadline.millis have passed.
 * declare const client: HttpClient.HttpClient
 * declare const send: RequestDeadline.Send
 * const marked = RequestDeadline.enforcing(client, send)
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const enforcing = <C extends HttpClient.HttpClient>(client: C, send: Send): C =>
  Object.assign(client, { [SendTypeId]: send })

/**
 * The `Send` of a client marked with `enforcing`, or `undefined`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient, HttpClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { RequestDeadline } from "@tableau-effect/client"
 *
 * const send = Effect.map(HttpClient.HttpClient, RequestDeadline.sendOf).pipe(
 *   Effect.provide(FetchHttpClient.layer)
 * ) // undefined
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const sendOf = (client: HttpClient.HttpClient): Send | undefined =>
  (client as { readonly [SendTypeId]?: Send })[SendTypeId]

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
export const isEnforcedBy = (client: HttpClient.HttpClient): boolean => sendOf(client) !== undefined
