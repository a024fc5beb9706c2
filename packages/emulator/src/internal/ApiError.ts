/**
 * The Tableau errors the emulator answers with: status, code, summary and detail, plus any
 * extra headers (Retry-After). Route code fails with them; the handler renders them.
 *
 * @internal
 */
import * as Data from "effect/Data"

/** @internal */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly code: string
  readonly summary: string
  readonly detail: string
  readonly headers?: Readonly<Record<string, string>>
}> {}

/** @internal */
export const make = (
  status: number,
  code: string,
  summary: string,
  detail: string,
  headers?: Readonly<Record<string, string>>
): ApiError =>
  new ApiError(headers === undefined ? { status, code, summary, detail } : { status, code, summary, detail, headers })

/** 400000: the body could not be read. @internal */
export const badRequest = (detail = "Payload is either malformed or incomplete"): ApiError =>
  make(400, "400000", "Bad Request", detail)

/** 400006: pageNumber is not an integer of at least 1. @internal */
export const invalidPageNumber = (value: string): ApiError =>
  make(400, "400006", "Invalid page number", `The page number '${value}' is not an integer, or is less than one.`)

/** 400007: pageSize is not an integer in 1..1000. @internal */
export const invalidPageSize = (value: string): ApiError =>
  make(400, "400007", "Invalid page size", `The page size '${value}' is not an integer between 1 and 1000.`)

/** 400065: a filter or sort expression that cannot be used. @internal */
export const invalidExpression = (kind: "filter" | "sort", expression: string): ApiError =>
  make(400, "400065", "Bad Request", `Invalid ${kind} expression '${expression}'.`)

/** 401000: no X-Tableau-Auth header. @internal */
export const missingCredentials = (): ApiError =>
  make(401, "401000", "Unauthorized Access", "No authentication credentials were provided")

/** 401001: a sign-in that failed, whatever the reason. @internal */
export const signInError = (): ApiError => make(401, "401001", "Signin Error", "Error signing in to Tableau Server")

/** 401002: a token that is unknown, expired or signed out. @internal */
export const invalidCredentials = (): ApiError =>
  make(401, "401002", "Unauthorized Access", "Invalid authentication credentials were provided.")

/** 403000: the site in the URL is not the site of the session. @internal */
export const wrongSite = (siteId: string): ApiError =>
  make(
    403,
    "403000",
    "Forbidden",
    `The site '${siteId}' is not the site of this session; sign in to that site or switch to it.`
  )

/** 403004: only a server administrator may do this. @internal */
export const notServerAdmin = (what: string): ApiError =>
  make(403, "403004", "Forbidden", `Only a server administrator can ${what}.`)

/** 403069: unsupported on Tableau Cloud. @internal */
export const unsupportedOnCloud = (operation: string): ApiError =>
  make(403, "403069", "Forbidden", `${operation} is unsupported for Tableau Cloud.`)

/** 403070: switchSite to the site of the session. @internal */
export const alreadyOnSite = (contentUrl: string): ApiError =>
  make(403, "403070", "Forbidden", `The session is already signed in to the site '${contentUrl}'.`)

/** 404000: unknown path or site. @internal */
export const notFound = (detail: string): ApiError => make(404, "404000", "Resource Not Found", detail)

/** 404001: the version in the URL is not one this server knows. @internal */
export const unknownVersion = (version: string): ApiError =>
  make(404, "404001", "Resource Not Found", `Version '${version}' is not a valid version of the API.`)

/** 404002: unknown user. @internal */
export const userNotFound = (id: string): ApiError =>
  make(404, "404002", "Resource Not Found", `User '${id}' could not be found.`)

/** 404003: an endpoint that the version in the URL does not have. @internal */
export const unknownResource = (path: string): ApiError =>
  make(404, "404003", "Resource Not Found", `Unknown resource '${path}' specified in URI.`)

/** 404006: unknown workbook. @internal */
export const workbookNotFound = (id: string): ApiError =>
  make(404, "404006", "Resource Not Found", `Workbook '${id}' could not be found.`)

/** 405000: a method the resource does not take (the GET that a followed redirect makes). @internal */
export const methodNotAllowed = (method: string): ApiError =>
  make(405, "405000", "Method Not Allowed", `The HTTP method '${method}' is not supported for the given resource`)

/** 413000: a body over the limit. @internal */
export const payloadTooLarge = (limit: number): ApiError =>
  make(413, "413000", "Payload Too Large", `The request body is larger than the limit of ${limit} bytes.`)
