/**
 * Test layers for the resource modules: a session signed in with the admin PAT of the emulator's
 * default fixtures, a small hand-written Tableau for answers the emulator never gives, and a
 * tracer that records spans.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

export const BASE_URL = "http://tableau.emulator"

export const { defaults, ids } = Fixtures

export const adminCredentials = (site: string = defaults.sites.default) =>
  Credentials.personalAccessToken({ tokenName: defaults.admin.patName, tokenSecret: defaults.admin.patSecret, site })

/** A signed-in session on an emulated server; the emulator service stays in context to count requests. */
export const emulated = (
  options: {
    readonly emulator?: TableauEmulator.Options
    readonly server?: Partial<TableauServer.Options>
    readonly site?: string
    /** Wraps the emulator's HttpClient (to slow some answers down, count requests in flight, ...). */
    readonly wrap?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  } = {}
) => {
  const emulator = TableauEmulator.layer(options.emulator ?? {})
  const wrap = options.wrap
  const http = wrap === undefined
    ? emulator
    : Layer.merge(
      emulator,
      Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, wrap)).pipe(Layer.provide(emulator))
    )
  return TableauSession.layer(adminCredentials(options.site)).pipe(
    Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24", ...options.server })),
    Layer.provideMerge(http)
  )
}

/** How many times the emulator answered a route, e.g. `GET /api/{v}/sites/{siteId}/workbooks`. */
export const routeCount = (route: string) =>
  Effect.map(
    Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) => emulator.stats),
    (stats) => stats.byRoute[route] ?? 0
  )

export const WORKBOOKS_ROUTE = "GET /api/{v}/sites/{siteId}/workbooks"

/** The `/api` requests the emulator recorded whose path contains `fragment`, raw query included. */
export const recordedPaths = (fragment: string) =>
  Effect.map(
    Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) => emulator.requests),
    (requests) => requests.map((request) => request.path).filter((path) => path.includes(fragment))
  )

// ---------------------------------------------------------------------------------------------
// A hand-written Tableau
// ---------------------------------------------------------------------------------------------

export const SITE_ID = "a946d998-2ead-4894-bb50-1054a91dcab3"
export const USER_ID = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"

export const apiError = (status: number, code: string, summary: string) => ({
  status,
  body: xml(`<error code="${code}"><summary>${summary}</summary><detail>${summary}</detail></error>`)
})

export const xml = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><tsResponse xmlns="http://tableau.com/api">${inner}</tsResponse>`

export const workbookXml = (n: number) =>
  `<workbook id="00000000-0000-4000-8000-${
    String(n).padStart(12, "0")
  }" name="Workbook ${n}" contentUrl="Workbook${n}" ` +
  `createdAt="2024-01-01T00:00:00Z" updatedAt="2024-01-02T00:00:00Z">` +
  `<project id="p" name="default"/><owner id="o"/><tags/></workbook>`

/**
 * A Tableau that signs in, signs out, and answers the workbook list with `listing(pageNumber,
 * pageSize)` (a body for a 200, or a status and body); every list request is recorded with its query. After 50 list requests it answers
 * 400, so a client that never stops fails instead of hanging.
 */
export const handWritten = (
  listing: (pageNumber: number, pageSize: number) => string | { readonly status: number; readonly body: string }
) => {
  const listed: Array<URLSearchParams> = []
  const client = HttpClient.make((request, url) =>
    Effect.sync(() => {
      const answer = (status: number, body: string) =>
        HttpClientResponse.fromWeb(
          request,
          new Response(status === 204 ? null : body, { status, headers: { "content-type": "application/xml" } })
        )
      if (url.pathname.endsWith("/auth/signin")) {
        return answer(
          200,
          xml(`<credentials token="TOKEN"><site id="${SITE_ID}" contentUrl=""/><user id="${USER_ID}"/></credentials>`)
        )
      }
      if (url.pathname.endsWith("/auth/signout")) return answer(204, "")
      if (url.pathname.endsWith("/workbooks")) {
        listed.push(url.searchParams)
        // A client that never stops fails here instead of looping forever.
        if (listed.length > 50) {
          return answer(
            400,
            xml(`<error code="400006"><summary>Bad Request</summary><detail>too many pages</detail></error>`)
          )
        }
        const page = listing(Number(url.searchParams.get("pageNumber")), Number(url.searchParams.get("pageSize")))
        return typeof page === "string" ? answer(200, page) : answer(page.status, page.body)
      }
      return answer(404, xml(`<error code="404000"><summary>Not Found</summary><detail>no</detail></error>`))
    })
  )
  const layer = TableauSession.layer(adminCredentials()).pipe(
    Layer.provide(TableauServer.layer({ url: "https://tableau.test", apiVersion: "3.24" })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
  )
  return { layer, listed }
}

// ---------------------------------------------------------------------------------------------
// A recording tracer
// ---------------------------------------------------------------------------------------------

export interface RecordedSpan {
  readonly name: string
  readonly id: string
  /** The id of the parent span, when there is one. */
  readonly parentId: string | undefined
  readonly attributes: Map<string, unknown>
}

/** A tracer that keeps every span's name and attributes, and a layer that installs it. */
export const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let next = 0
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const attributes = new Map<string, unknown>()
      const spanId = `span-${++next}`
      spans.push({ name, id: spanId, parentId: Option.getOrUndefined(Option.map(parent, (p) => p.spanId)), attributes })
      const spanLinks = [...links]
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId: Option.match(parent, { onNone: () => `trace-${next}`, onSome: (p) => p.traceId }),
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes,
        links: spanLinks,
        sampled: true,
        kind,
        end: () => undefined,
        attribute: (key, value) => {
          attributes.set(key, value)
        },
        event: () => undefined,
        addLinks: (more) => {
          spanLinks.push(...more)
        }
      }
      return span
    },
    context: (f) => f()
  })
  return { spans, layer: Layer.setTracer(tracer) }
}
