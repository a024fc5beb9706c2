/**
 * `redirects: "upgrade-https"`, as a combinator over any `HttpClient`.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * How much of a followed redirect's body is read before the request is dropped: enough for the
 * small page a redirect listener sends (then the connection is kept), never a hostile 64 MiB.
 *
 * @internal
 */
export const REDIRECT_BODY_LIMIT = 64 * 1024

const parse = (url: string, base?: URL): URL | undefined => {
  try {
    return new URL(url, base)
  } catch {
    return undefined
  }
}

/**
 * The https URL to re-send to, when the redirect is a pure upgrade: the request went to http, the
 * Location is https on the same host name (its port may differ), with the same path and query,
 * and no user info. Anything else (another host, a downgrade, another path) is not an upgrade.
 */
const upgradeTarget = (from: URL, response: HttpClientResponse.HttpClientResponse): URL | undefined => {
  const location = response.headers["location"]
  if (!REDIRECTS.has(response.status) || location === undefined) return undefined
  const target = parse(location, from)
  const sameResource = target !== undefined && target.protocol === "https:" &&
    target.hostname.toLowerCase() === from.hostname.toLowerCase() &&
    target.username === "" && target.password === "" &&
    target.pathname === from.pathname && target.search === from.search
  return sameResource ? target : undefined
}

// A small body is read to its end, so that its connection is reused; past the limit (or after a
// short wait) the stream stops, which aborts the request and drops the connection.
const discard = (response: HttpClientResponse.HttpClientResponse) =>
  response.stream.pipe(
    Stream.runFoldWhile(0, (read) => read < REDIRECT_BODY_LIMIT, (read, chunk) => read + chunk.length),
    Effect.timeout("2 seconds"),
    Effect.ignore
  )

const note = (request: HttpClientRequest.HttpClientRequest, from: URL, to: URL, status: number) => {
  const text = `Re-sent ${request.method} ${from.origin}${from.pathname} to ${to.origin} after a ${status} redirect ` +
    `(redirects: "upgrade-https"); later requests to ${from.origin} go straight to ${to.origin}. Point ` +
    `TableauServer.layer at ${to.origin} to skip the redirect.`
  const crossed = request.body._tag !== "Empty" || request.headers["x-tableau-auth"] !== undefined
  return (crossed
    ? Effect.logWarning(
      `${text} This request had already crossed plain http with its body or token; use apiVersion "auto" ` +
        `(its serverinfo probe meets the redirect first) or the https URL so that credentials never do.`
    )
    : Effect.logInfo(text)).pipe(
      Effect.annotateLogs({ "tableau.redirect.from": from.origin, "tableau.redirect.to": to.origin })
    )
}

/**
 * When an http request is redirected to https on the same host, the same request (method,
 * headers, body) is re-sent to the https URL, the upgrade is remembered for that origin (later
 * requests go straight to https), and a log line says so. Every other 3xx is returned as it is,
 * for the client to turn into a `TableauRedirectError`.
 *
 * @internal
 */
export const upgradeHttps = (client: HttpClient.HttpClient): Effect.Effect<HttpClient.HttpClient> =>
  Effect.map(Ref.make(new Map<string, string>()), (upgraded) => {
    const retarget = (request: HttpClientRequest.HttpClientRequest, from: URL, origin: string) =>
      client.execute(HttpClientRequest.setUrl(request, origin + from.pathname + from.search))
    return HttpClient.transform(client, (send, request) =>
      Effect.gen(function*() {
        const from = parse(request.url)
        if (from === undefined || from.protocol !== "http:") return yield* send
        const known = (yield* Ref.get(upgraded)).get(from.origin)
        if (known !== undefined) return yield* retarget(request, from, known)
        const response = yield* send
        const target = upgradeTarget(from, response)
        // A stream body may not be readable twice: leave its redirect to the caller.
        if (target === undefined || request.body._tag === "Stream") return response
        yield* discard(response)
        yield* Ref.update(upgraded, (map) => new Map(map).set(from.origin, target.origin))
        yield* note(request, from, target, response.status)
        return yield* retarget(request, from, target.origin)
      }))
  })
