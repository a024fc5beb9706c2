/**
 * A hand-written HttpClient double for unit tests: answers with a handler and records every
 * request exactly as it would have crossed the wire.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface Answer {
  readonly status?: number
  readonly body?: string
  readonly headers?: Record<string, string>
}

export type Handler = (request: Recorded) => Answer | Effect.Effect<Answer>

export const BASE = "https://tableau.test"

const decoder = new TextDecoder()

export const fake = (handler: Handler) => {
  const recorded: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const body = request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : ""
      const entry: Recorded = {
        method: request.method,
        url: url.toString(),
        path: url.pathname,
        headers: request.headers,
        body
      }
      recorded.push(entry)
      const result = handler(entry)
      const answer = Effect.isEffect(result) ? yield* result : result
      const status = answer.status ?? 200
      const noBody = status === 204 || status === 304
      return HttpClientResponse.fromWeb(
        request,
        new Response(noBody ? null : answer.body ?? "", {
          status,
          headers: { "content-type": "application/xml;charset=UTF-8", ...answer.headers }
        })
      )
    })
  )
  return {
    layer: Layer.succeed(HttpClient.HttpClient, client),
    recorded,
    paths: () => recorded.map((r) => `${r.method} ${r.path}`)
  }
}

export const xml = (inner: string) =>
  `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api" ` +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
  `xsi:schemaLocation="http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/ts-api_3_24.xsd">` +
  `${inner}</tsResponse>`

export const SITE_ID = "a946d998-2ead-4894-bb50-1054a91dcab3"
export const OTHER_SITE_ID = "b1f2e3d4-0000-4000-8000-000000000002"
export const USER_ID = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"

export const signedIn = (token: string, siteId = SITE_ID, site = "") =>
  xml(
    `<credentials token="${token}" estimatedTimeToExpiration="177:05:38">` +
      `<site id="${siteId}" contentUrl="${site}"/><user id="${USER_ID}"/></credentials>`
  )

export const apiError = (status: number, code: string, summary: string, detail: string): Answer => ({
  status,
  body: xml(`<error code="${code}"><summary>${summary}</summary><detail>${detail}</detail></error>`)
})

export const serverInfo = (restApiVersion: string) =>
  xml(
    `<serverInfo><productVersion build="20241.24.0312.0830">2024.1.0</productVersion>` +
      `<restApiVersion>${restApiVersion}</restApiVersion></serverInfo>`
  )

/** A server that signs in with TOKEN-n, signs out with 204, and answers serverinfo. */
export const happyServer = (overrides: (request: Recorded) => Answer | undefined = () => undefined): Handler => {
  let n = 0
  return (request) => {
    const custom = overrides(request)
    if (custom !== undefined) return custom
    if (request.path.endsWith("/auth/signin")) {
      // Like Tableau, answer with the site that was asked for.
      const site = /<site contentUrl="([^"]*)"/.exec(request.body)?.[1] ?? ""
      return { body: signedIn(`TOKEN-${++n}`, SITE_ID, site) }
    }
    if (request.path.endsWith("/auth/signout")) return { status: 204 }
    if (request.path.toLowerCase().endsWith("/serverinfo")) return { body: serverInfo("3.24") }
    return apiError(404, "404000", "Resource Not Found", "Unknown resource")
  }
}
