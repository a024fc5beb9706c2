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
import * as Redacted from "effect/Redacted"
import type { TableauError } from "../TableauError.js"
import { TableauRequestError, TableauTransportError } from "../TableauError.js"
import type { Response } from "../TableauServer.js"
import { readBody } from "./body.js"
import { classifyResponse } from "./classify.js"
import { unescapeAttribute } from "./escape.js"
import { printable } from "./redact.js"
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

// The credential attributes of a sign-in body; their values are escaped there by Xml.escapeAttribute.
const SECRET_ATTRIBUTES = ["password", "personalAccessTokenSecret", "jwt", "token", "secret"] as const

const attributeValues = (text: string, name: string, into: Array<Redacted.Redacted<string>>) => {
  const needle = ` ${name}="`
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    const start = at + needle.length
    const end = text.indexOf("\"", start)
    if (end < 0) return
    into.push(Redacted.make(unescapeAttribute(text.slice(start, end))))
  }
}

/**
 * The secrets a request carries, each kept `Redacted`: its `X-Tableau-Auth` token and the
 * credential values of an XML body (a sign-in's secret, password or JWT). What the server
 * answers is scrubbed of them, in case it echoes the request.
 */
const secretsOf = (request: HttpClientRequest.HttpClientRequest): ReadonlyArray<Redacted.Redacted<string>> => {
  const secrets: Array<Redacted.Redacted<string>> = []
  const token = request.headers["x-tableau-auth"]
  if (token !== undefined) secrets.push(Redacted.make(token))
  if (request.body._tag === "Uint8Array" && request.body.body.length <= 1024 * 1024) {
    const text = new TextDecoder().decode(request.body.body)
    for (const name of SECRET_ATTRIBUTES) attributeValues(text, name, secrets)
  }
  return secrets
}

// A path segment as RFC 3986 allows it (unreserved, percent-escapes, sub-delims, ":" and "@"),
// never "." or ".." in any spelling: whatever reaches a path, it cannot climb out of the API,
// start a query or a fragment, or add a segment.
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

/** Why a request's path is refused, if it is. */
const unsafePath = (path: string): string | undefined => {
  if (!path.startsWith("/")) return "must start with /"
  const segments = path.slice(1).split("/")
  for (const segment of segments) {
    if (segment === "") return "holds an empty segment (//)"
    if (DOT_SEGMENT.test(segment)) return "holds a . or .. segment"
    if (!SEGMENT.test(segment)) return "holds a character a path segment cannot (?, #, a space, a control character...)"
    if (/%2f|%5c/i.test(segment)) return "holds an escaped / or \\"
  }
  return undefined
}

const refusePath = (path: string, reason: string) =>
  new TableauRequestError({ parameter: "path", reason: `the request path ${reason}`, value: printable(path, 100) })

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
    // Every id in a path was checked where it was put there; this is the last line: a request
    // is never sent to a path a server value could have bent.
    const refused = unsafePath(request.url)
    if (refused !== undefined) return Effect.fail(refusePath(request.url, refused))
    const secrets = secretsOf(request)
    const attempt = scoped.execute(request).pipe(
      Effect.flatMap((response) =>
        Effect.flatMap(
          readBody(response, limits.maxResponseBytes, url),
          (body) =>
            classifyResponse({ request: response.request, baseUrl: base, fullUrl: url, response, body, secrets })
        )
      ),
      Effect.catchTag(
        "RequestError",
        "ResponseError",
        (error) => Effect.fail(TableauTransportError.fromCause(error.cause ?? error, url))
      ),
      Effect.scoped,
      // The attempt ends as a value inside the timeout: the fiber the timeout races it in would
      // otherwise log its failure at Debug ("Fiber terminated with an unhandled error"), the
      // server's words included, though the caller gets the same failure.
      Effect.either,
      Effect.timeoutFail({ duration: limits.timeout, onTimeout: () => timedOut(url, limits.timeout) }),
      Effect.flatMap((result) => result)
    )
    const path = printable(request.url, 300)
    // One Debug line per request, as TSC logs them: method, path (ids are not secrets; the query
    // and headers stay out), the outcome and the time it took, retries included.
    const logged = (started: number, outcome: string) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) => Effect.logDebug(`${request.method} ${path} ${outcome} in ${now - started} ms`)
      )
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
                ...("code" in error && error.code !== undefined
                  ? { "tableau.error_code": printable(error.code, 40) }
                  : {})
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
