import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { TableauError } from "../TableauError.js"
import { TableauApiError, TableauDecodeError, TableauRedirectError } from "../TableauError.js"
import type { Response } from "../TableauServer.js"
import * as Xml from "../Xml.js"
import { excerpt } from "./redact.js"

interface Answer {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly baseUrl: string
  readonly fullUrl: string
  readonly response: HttpClientResponse.HttpClientResponse
  readonly body: string
}

const ErrorBody = Schema.Struct({
  tsResponse: Schema.Struct({
    error: Schema.Struct({
      code: Schema.String,
      summary: Schema.optionalWith(Schema.String, { default: () => "" }),
      detail: Schema.optionalWith(Schema.String, { default: () => "" })
    })
  })
})
const decodeErrorBody = Schema.decodeUnknownEither(ErrorBody, { onExcessProperty: "ignore" })

// A proxy page may echo the request, token included: keep it out of the excerpt.
const tokenOf = (answer: Answer): ReadonlyArray<string> => {
  const token = answer.request.headers["x-tableau-auth"]
  return token === undefined ? [] : [token]
}

const pathOf = (answer: Answer): string => answer.fullUrl.slice(answer.baseUrl.length)

const httpsOf = (url: string): string | undefined => url.startsWith("http://") ? `https://${url.slice(7)}` : undefined

/**
 * The root URL to use instead, when a redirect only moved the server (http -> https, or a Cloud
 * pod): the new location ends with the very path we asked for.
 */
const suggestFrom = (answer: Answer, location: string | undefined): string | undefined => {
  if (location === undefined) return undefined
  const path = pathOf(answer).split("?")[0]!
  const target = location.split("?")[0]!
  if (path !== "" && target.toLowerCase().endsWith(path.toLowerCase())) {
    return target.slice(0, target.length - path.length)
  }
  const from = new URL(answer.fullUrl)
  try {
    const to = new URL(location)
    if (from.protocol === "http:" && to.protocol === "https:" && to.hostname === from.hostname) {
      return to.origin + new URL(answer.baseUrl).pathname.replace(/\/$/, "")
    }
  } catch {
    // an unparseable Location: no suggestion
  }
  return undefined
}

const redirect = (answer: Answer): TableauRedirectError => {
  const raw = answer.response.headers["location"]
  let location: string | undefined
  if (raw !== undefined) {
    try {
      location = new URL(raw, answer.fullUrl).toString()
    } catch {
      location = raw.slice(0, 300)
    }
  }
  const suggestedUrl = suggestFrom(answer, location)
  return new TableauRedirectError({
    status: answer.response.status,
    method: answer.request.method,
    from: answer.fullUrl,
    ...(location !== undefined ? { location } : {}),
    ...(suggestedUrl !== undefined ? { suggestedUrl } : {})
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

/** `Retry-After` in seconds or as an HTTP date; else a wait stated in the detail ("... 30 seconds"). */
const retryAfterOf = (header: string | undefined, detail: string): number | undefined => {
  if (header !== undefined) {
    const trimmed = header.trim()
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
    const date = Date.parse(trimmed)
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000))
  }
  const stated = /(\d+(?:\.\d+)?)\s*(seconds?|secs?|s\b|minutes?|mins?)/i.exec(detail)
  if (stated === null) return undefined
  const value = Number(stated[1])
  return /^m/i.test(stated[2]!) ? value * 60 : value
}

/**
 * Turns an answer into the response (2xx) or the typed error it stands for.
 *
 * @internal
 */
export const classifyResponse = (answer: Answer): Effect.Effect<Response, TableauError> => {
  const { body, response } = answer
  // Read once: some transports build the headers anew on every access.
  const headers = response.headers
  const status = response.status
  const contentType = headers["content-type"] ?? ""
  if (status >= 200 && status < 300) {
    return Effect.succeed({ status, contentType, url: answer.fullUrl, body, headers })
  }
  // 0 is a browser's opaque answer to `redirect: "manual"`.
  if ((status >= 300 && status < 400) || status === 0) return Effect.fail(redirect(answer))
  const tree = Xml.parse(body)
  const decoded = Either.isRight(tree) ? decodeErrorBody(tree.right) : undefined
  if (decoded !== undefined && Either.isRight(decoded)) {
    const { code, summary, detail } = decoded.right.tsResponse.error
    const hint = hintFor(answer, code)
    const retryAfterSeconds = status === 429 ? retryAfterOf(headers["retry-after"], detail) : undefined
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
  }
  return Effect.fail(
    new TableauDecodeError({
      status,
      contentType,
      excerpt: excerpt(body, tokenOf(answer)),
      reason: `HTTP ${status} without a Tableau error body` +
        (Either.isLeft(tree) ? ` (${tree.left})` : ""),
      url: answer.fullUrl
    })
  )
}
