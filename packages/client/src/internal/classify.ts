import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { TableauError } from "../TableauError.js"
import { TableauApiError, TableauDecodeError, TableauRedirectError } from "../TableauError.js"
import type { Response } from "../TableauServer.js"
import * as Xml from "../Xml.js"
import { excerpt, printable, scrubClipped } from "./redact.js"
import { ErrorResponse } from "./wireResponses.js"

interface Answer {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly baseUrl: string
  readonly fullUrl: string
  readonly response: HttpClientResponse.HttpClientResponse
  readonly body: string
  /** The secrets of the request that got this answer: scrubbed from every text taken from it. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

// What an error keeps of the server's words: enough to act on, never a whole page.
const SUMMARY_LENGTH = 500
const DETAIL_LENGTH = 2000
const CODE_LENGTH = 40
const LOCATION_LENGTH = 500

// Tableau's <error>, through the generated wire model (see wireResponses.ts).
const decodeErrorBody = Schema.decodeUnknownEither(ErrorResponse, { onExcessProperty: "ignore" })

const pathOf = (answer: Answer): string => answer.fullUrl.slice(answer.baseUrl.length)

const httpsOf = (url: string): string | undefined => url.startsWith("http://") ? `https://${url.slice(7)}` : undefined

// Tableau Cloud moves a site between pods (online.tableau.com to 10ay.online.tableau.com): the
// one case where a redirect to another host is still Tableau's.
const CLOUD = ".online.tableau.com"
const isCloudHost = (host: string) => host === "online.tableau.com" || host.endsWith(CLOUD)

// Only the same host (http to https, or a path prefix) or another Tableau Cloud pod is worth
// suggesting; credentials are never to be pointed at a host the user did not name.
const trusted = (from: URL, to: URL): boolean =>
  (to.protocol === "https:" || to.protocol === from.protocol) &&
  (to.hostname === from.hostname || (isCloudHost(from.hostname) && isCloudHost(to.hostname)))

/**
 * The root URL to use instead, when a redirect only moved the server (http -> https, or a Cloud
 * pod): the new location ends with the very path we asked for.
 */
const suggestFrom = (answer: Answer, location: URL | undefined): string | undefined => {
  if (location === undefined) return undefined
  const from = new URL(answer.fullUrl)
  if (!trusted(from, location)) return undefined
  const path = pathOf(answer).split("?")[0]!
  const target = location.origin + location.pathname
  if (path !== "" && target.toLowerCase().endsWith(path.toLowerCase())) {
    return target.slice(0, target.length - path.length)
  }
  if (from.protocol === "http:" && location.protocol === "https:" && location.hostname === from.hostname) {
    return location.origin + new URL(answer.baseUrl).pathname.replace(/\/$/, "")
  }
  return undefined
}

// A Location is server text: its userinfo (user:pass@) is dropped, echoed secrets cut out.
const redirect = (answer: Answer): TableauRedirectError => {
  const raw = answer.response.headers["location"]
  let parsed: URL | undefined
  let location: string | undefined
  if (raw !== undefined) {
    try {
      parsed = new URL(raw.slice(0, 8192), answer.fullUrl)
      parsed.username = ""
      parsed.password = ""
      location = parsed.toString()
    } catch {
      location = printable(raw.slice(0, LOCATION_LENGTH * 2).replace(/^[^/]*\/\/[^/@]*@/, "//"), LOCATION_LENGTH * 2)
    }
    location = scrubClipped(location, answer.secrets, LOCATION_LENGTH)
  }
  const suggested = suggestFrom(answer, parsed)
  const suggestedUrl = suggested === undefined ? undefined : scrubClipped(suggested, answer.secrets, LOCATION_LENGTH)
  return new TableauRedirectError({
    status: answer.response.status,
    method: answer.request.method,
    from: answer.fullUrl,
    ...(location !== undefined ? { location } : {}),
    ...(suggestedUrl !== undefined && suggestedUrl === suggested ? { suggestedUrl } : {})
  })
}

const hintFor = (answer: Answer, code: string): string | undefined => {
  if (code === "405000" && /\/auth\/signin$/i.test(pathOf(answer))) {
    const https = httpsOf(answer.baseUrl)
    return "A redirect probably turned the sign-in POST into a GET (http to https, or to another Tableau Cloud pod)" +
      (https ? `; use TableauServer.layer({ url: "${https}" })` : "; use the URL the server redirects to")
  }
  return undefined
}

// Retry-After is delay-seconds (digits) or an HTTP date (RFC 9110: IMF-fixdate, or the obsolete
// RFC 850 and asctime forms). Anything else (a negative number, a word) is no stated wait, and
// the retry falls back to backoff. Both patterns are anchored and bounded.
const DELAY_SECONDS = /^\d{1,9}(?:\.\d{1,6})?$/
const HTTP_DATE =
  /^(?:[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/
// "... 30 seconds", "retry in 2 minutes": the unit right after a number, read at that position.
const UNIT = /\s{0,3}(seconds?|secs?|s\b|minutes?|mins?)/iy

/** `Retry-After` as a wait in seconds, if it states a valid one; `now` in milliseconds. */
const headerWait = (header: string, now: number): number | undefined => {
  const trimmed = header.trim()
  if (DELAY_SECONDS.test(trimmed)) return Number(trimmed)
  if (!HTTP_DATE.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  // A date already past says nothing about when to come back: backoff decides.
  return Number.isNaN(date) || date <= now ? undefined : Math.ceil((date - now) / 1000)
}

/** The first wait stated in a text, scanned once from left to right. */
const statedWait = (text: string): number | undefined => {
  const isDigit = (i: number) => {
    const c = text.charCodeAt(i)
    return c >= 48 && c <= 57
  }
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(i)) continue
    let end = i
    while (end < text.length && isDigit(end)) end++
    if (text[end] === "." && isDigit(end + 1)) {
      end++
      while (end < text.length && isDigit(end)) end++
    }
    UNIT.lastIndex = end
    const unit = UNIT.exec(text)
    if (unit !== null) {
      const value = Number(text.slice(i, end))
      return /^m/i.test(unit[1]!) ? value * 60 : value
    }
    i = end
  }
  return undefined
}

/** `Retry-After` in seconds or as an HTTP date; else a wait stated in the detail ("... 30 seconds"). */
const retryAfterOf = (header: string | undefined, detail: string, now: number): number | undefined => {
  const fromHeader = header === undefined ? undefined : headerWait(header, now)
  if (fromHeader !== undefined) return fromHeader
  const stated = statedWait(detail)
  return stated !== undefined && Number.isFinite(stated) ? stated : undefined
}

/**
 * Turns an answer into the response (2xx) or the typed error it stands for.
 *
 * @internal
 */
export const classifyResponse = (answer: Answer): Effect.Effect<Response, TableauError> => {
  const { body, response, secrets } = answer
  // Read once: some transports build the headers anew on every access.
  const headers = response.headers
  const status = response.status
  const contentType = headers["content-type"] ?? ""
  if (status >= 200 && status < 300) {
    return Effect.succeed({ status, contentType, url: answer.fullUrl, body, headers, secrets })
  }
  // 0 is a browser's opaque answer to `redirect: "manual"`.
  if ((status >= 300 && status < 400) || status === 0) return Effect.fail(redirect(answer))
  const tree = Xml.parse(body)
  const decoded = Either.isRight(tree) ? decodeErrorBody(tree.right) : undefined
  if (decoded !== undefined && Either.isRight(decoded)) {
    const error = decoded.right.tsResponse.error
    const code = scrubClipped(error.code, secrets, CODE_LENGTH)
    const summary = scrubClipped(error.summary, secrets, SUMMARY_LENGTH)
    const detail = scrubClipped(error.detail, secrets, DETAIL_LENGTH)
    const hint = hintFor(answer, code)
    return Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const retryAfterSeconds = status === 429 ? retryAfterOf(headers["retry-after"], detail, now) : undefined
      return Effect.fail(
        new TableauApiError({
          status,
          code,
          summary,
          detail,
          method: answer.request.method,
          url: answer.fullUrl,
          ...(hint !== undefined ? { hint } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {})
        })
      )
    })
  }
  return Effect.fail(
    new TableauDecodeError({
      status,
      contentType: scrubClipped(contentType, secrets, 200),
      excerpt: excerpt(body, secrets),
      reason: `HTTP ${status} without a Tableau error body` +
        (Either.isLeft(tree) ? ` (${scrubClipped(tree.left, secrets, 300)})` : ""),
      url: answer.fullUrl
    })
  )
}
