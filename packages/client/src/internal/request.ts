/**
 * The request pipeline behind `TableauServer`'s `execute`: one span, retries, and for each
 * attempt a scope, a timeout, the body read within its limit and the answer classified.
 *
 * @internal
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as Option from "effect/Option"
import type { TableauError } from "../TableauError.js"
import { TableauTransportError } from "../TableauError.js"
import type { Response } from "../TableauServer.js"
import { readBody } from "./body.js"
import { classifyResponse } from "./classify.js"
import { type RetryPolicy, withRetries } from "./retry.js"

/** @internal */
export const userAgent = "tableau-effect/0.1.0"

/** @internal */
export interface Limits {
  readonly timeout: Duration.Duration
  readonly maxResponseBytes: number
  readonly retry: RetryPolicy | undefined
}

// Fetch follows redirects unless told not to: a followed 302 turns a POST into a GET (Tableau's
// 405000) and could carry credentials to another host. A `FetchHttpClient.RequestInit` the
// caller provides is kept.
const manualRedirects = <R>(context: Context.Context<R>): Context.Context<R> =>
  Context.add(context, FetchHttpClient.RequestInit, {
    ...Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({})),
    redirect: "manual"
  }) as Context.Context<R>

const prepareRequest = (request: HttpClientRequest.HttpClientRequest, base: string) =>
  HttpClientRequest.prependUrl(request, base).pipe(
    HttpClientRequest.setHeader("user-agent", userAgent),
    HttpClientRequest.setHeader("accept", "application/xml")
  )

/**
 * The platform client prepared for Tableau: root URL prepended, User-Agent set, redirects
 * answered, never followed. The platform's own `http.client` span is off: `tableau.request` is
 * the span of a call, with Tableau's attributes.
 *
 * @internal
 */
export const prepareClient = (client: HttpClient.HttpClient, base: string): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.mapRequest((request) => prepareRequest(request, base)),
    HttpClient.transformResponse((effect) => Effect.mapInputContext(effect, manualRedirects<never>)),
    HttpClient.withTracerDisabledWhen(constTrue)
  )

const timedOut = (url: string, timeout: Duration.Duration) =>
  new TableauTransportError({
    reason: "Timeout",
    url,
    description: `no complete answer within ${Duration.format(timeout)}`,
    hint: "Raise the timeout option of TableauServer.layer if the server is slow."
  })

/**
 * `execute` over `client` (already prepared, see `prepareClient`). Each attempt runs in a scope
 * the request belongs to (`HttpClient.withScope`): whether the body was read, refused for its
 * size or cut by the timeout, closing the scope aborts what is left of the exchange and frees its
 * connection.
 *
 * @internal
 */
export const makeExecute = (client: HttpClient.HttpClient, base: string, limits: Limits) => {
  const scoped = HttpClient.withScope(client)
  return (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Response, TableauError> => {
    const url = base + request.url
    const attempt = scoped.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.flatMap(
          readBody(response, limits.maxResponseBytes, url),
          (body) => classifyResponse({ request: response.request, baseUrl: base, fullUrl: url, response, body })
        )
      ),
      Effect.catchTag("RequestError", "ResponseError", (error) =>
        Effect.fail(TableauTransportError.fromCause(error.cause ?? error, url))),
      Effect.scoped,
      Effect.timeoutFail({ duration: limits.timeout, onTimeout: () => timedOut(url, limits.timeout) })
    )
    const path = request.url.split("?")[0]!
    // One Debug line per request, as TSC logs them: method, path (ids are not secrets; the query
    // and headers stay out), the outcome and the time it took, retries included.
    const logged = (started: number, outcome: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.logDebug(`${request.method} ${path} ${outcome} in ${now - started} ms`))
    return Effect.flatMap(Clock.currentTimeMillis, (started) =>
      withRetries(attempt, request.method, limits.retry).pipe(
        Effect.tapBoth({
          onSuccess: (response) =>
            Effect.zipRight(
              Effect.annotateCurrentSpan("http.response.status_code", response.status),
              logged(started, String(response.status))
            ),
          onFailure: (error) =>
            Effect.zipRight(
              Effect.annotateCurrentSpan({
                "tableau.error": error._tag,
                ...("status" in error ? { "http.response.status_code": error.status } : {}),
                ...("code" in error && error.code !== undefined ? { "tableau.error_code": error.code } : {})
              }),
              logged(
                started,
                "status" in error ? `${error.status} ${error._tag}` : error._tag
              )
            )
        })
      )).pipe(
      Effect.withSpan("tableau.request", {
        kind: "client",
        captureStackTrace: false,
        attributes: { "http.request.method": request.method, "url.path": path }
      })
    )
  }
}
