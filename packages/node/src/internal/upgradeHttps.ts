import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { RequestDeadline } from "@tableau-effect/client"

const REDIRECTS = new Set([301, 302, 303, 307, 308])

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/**
 * The https URL to re-send to, when the redirect is a pure upgrade: the request went to http, the
 * Location is https on the same host name (its port may differ), with the same path and query,
 * and no user info. Anything else (another host, a downgrade, another path) is not an upgrade.
 */
const upgradeTarget = (requestUrl: URL, response: HttpClientResponse.HttpClientResponse): URL | undefined => {
  if (!REDIRECTS.has(response.status) || requestUrl.protocol !== "http:") return undefined
  const location = response.headers["location"]
  if (location === undefined) return undefined
  let target: URL
  try {
    target = new URL(location, requestUrl)
  } catch {
    return undefined
  }
  const sameResource = target.protocol === "https:" &&
    target.hostname.toLowerCase() === requestUrl.hostname.toLowerCase() &&
    target.username === "" && target.password === "" &&
    target.pathname === requestUrl.pathname &&
    target.search === requestUrl.search
  return sameResource ? target : undefined
}

const sendsBody = (request: HttpClientRequest.HttpClientRequest): boolean => request.body._tag !== "Empty"

// The answer of the redirect listener is small; read it so that its connection is reused, and
// never let reading it fail or hold up the re-sent request for long.
const discard = (response: HttpClientResponse.HttpClientResponse) =>
  response.arrayBuffer.pipe(Effect.timeout("2 seconds"), Effect.ignore)

const retarget = (request: HttpClientRequest.HttpClientRequest, url: URL, httpsOrigin: string) =>
  HttpClientRequest.setUrl(request, httpsOrigin + url.pathname + url.search)

type SendOne = (
  request: HttpClientRequest.HttpClientRequest
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

// The upgrade itself, over whatever sends one request: the client's execute, or its Send.
const upgrading = (upgraded: Ref.Ref<Map<string, string>>, send: SendOne): SendOne => (request) =>
  Effect.gen(function*() {
    const url = parse(request.url)
    if (url === undefined || url.protocol !== "http:") return yield* send(request)
    const known = Option.fromNullable((yield* Ref.get(upgraded)).get(url.origin))
    if (Option.isSome(known)) {
      return yield* send(retarget(request, url, known.value))
    }
    const response = yield* send(request)
    const target = upgradeTarget(url, response)
    // A stream body may not be readable twice: leave its redirect to the caller.
    if (target === undefined || request.body._tag === "Stream") return response
    yield* discard(response)
    yield* Ref.update(upgraded, (map) => new Map(map).set(url.origin, target.origin))
    const note = `Re-sent ${request.method} ${url.origin}${url.pathname} to ${target.origin} after a ` +
      `${response.status} redirect (redirects: "upgrade-https"); later requests to ${url.origin} go straight to ` +
      `${target.origin}. Point TableauServer.layer at ${target.origin} to skip the redirect.`
    yield* (sendsBody(request) || request.headers["x-tableau-auth"] !== undefined
      ? Effect.logWarning(
        `${note} This request had already crossed plain http with its body or token; use apiVersion "auto" ` +
          `(its serverinfo probe meets the redirect first) or the https URL so that credentials never do.`
      )
      : Effect.logInfo(note)).pipe(
        Effect.annotateLogs({ "tableau.redirect.from": url.origin, "tableau.redirect.to": target.origin })
      )
    return yield* send(retarget(request, url, target.origin))
  })

// What is left of a deadline once part of it has been spent on the redirect.
const remaining = (deadline: RequestDeadline.RequestDeadline | undefined, started: number) =>
  deadline === undefined ? undefined : { millis: Math.max(0, deadline.millis - (Date.now() - started)) }

/**
 * `redirects: "upgrade-https"`: when an http request is redirected to https on the same host, the
 * same request (method, headers, body) is re-sent to the https URL, the upgrade is remembered for
 * that origin (later requests go straight to https), and a log line says so. Every other 3xx is
 * returned as it is, for the client to turn into a `TableauRedirectError`. A client that enforces
 * deadlines still does, through the redirect: the re-sent request gets what is left of it.
 *
 * @internal
 */
export const upgradeHttps = (client: HttpClient.HttpClient): Effect.Effect<HttpClient.HttpClient> =>
  Effect.map(Ref.make(new Map<string, string>()), (upgraded) => {
    const viaExecute = upgrading(upgraded, (request) => client.execute(request))
    const wrapped = HttpClient.transform(client, (_effect, request) => viaExecute(request))
    const send = RequestDeadline.sendOf(client)
    if (send === undefined) return wrapped
    return RequestDeadline.enforcing(wrapped, (request, deadline) => {
      const started = Date.now()
      return upgrading(upgraded, (one) => send(one, remaining(deadline, started)))(request)
    })
  })
