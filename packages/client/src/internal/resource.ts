/**
 * What every resource module shares: span attributes, id checks, and reading one item.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Tracer from "effect/Tracer"
import { TableauRequestError } from "../TableauError.js"
import type { TableauError } from "../TableauError.js"
import { TableauSession } from "../TableauSession.js"
import type { Service, SessionState } from "../TableauSession.js"
import * as Xml from "../Xml.js"

/**
 * Runs a resource call in its span, which is handed to `use` instead of being made the current
 * span (a current span costs a context per call): `use` passes it on to `execute` as the parent of
 * the request's span.
 *
 * @internal
 */
export const withResourceSpan = <A, E, R>(
  name: string,
  attributes: Readonly<Record<string, unknown>>,
  use: (span: Tracer.Span) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Effect.useSpan(name, { captureStackTrace: false, attributes }, use)

/** The span attributes of a resource call: path template, API version, site id (never a token). @internal */
export const annotate = (span: Tracer.Span, session: Service, state: SessionState, path: string): void => {
  span.attribute("tableau.path", path)
  span.attribute("tableau.api_version", session.apiVersion)
  span.attribute("tableau.site_id", state.siteId)
}

const LUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

// An id goes into a path only as a LUID, so a typo (or `..`) fails here with a clear error
// instead of reaching another endpoint.
const requireLuid = (parameter: string, id: string): Effect.Effect<string, TableauRequestError> =>
  LUID.test(id)
    ? Effect.succeed(id)
    : Effect.fail(
      new TableauRequestError({
        parameter,
        reason: "expected a Tableau LUID such as 9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f",
        value: id.slice(0, 100)
      })
    )

/**
 * The schema of a `<tsResponse>` holding one `<element>`, decoded as `{ item }`. @internal
 */
export const single = <A, I>(element: string, item: Schema.Schema<A, I>) =>
  Schema.Struct({
    tsResponse: Schema.Struct({ item: Schema.propertySignature(item).pipe(Schema.fromKey(element)) })
  })

/**
 * Reads one item: `GET path` with the session, decoded from `<tsResponse><element .../></tsResponse>`,
 * in a span of its own named `span`. Gives the read for a URL (and query) built from the session's
 * state; the decoder is built once, here, not on every read.
 *
 * @internal
 */
export const getOne = <A, I>(options: {
  readonly span: string
  readonly path: string
  readonly element: string
  readonly schema: Schema.Schema<A, I>
}) => {
  // Like list pages, one item is checked by its schema; see Xml.ParseOptions.
  const decode = Xml.decode(single(options.element, options.schema), { validate: false })
  return (
    url: (state: SessionState) => string,
    params: Readonly<Record<string, string>> = {}
  ): Effect.Effect<A, TableauError, TableauSession> => {
    const request = (state: SessionState) =>
      HttpClientRequest.get(url(state)).pipe(HttpClientRequest.setUrlParams(params))
    return Effect.flatMap(TableauSession, (session) =>
      withResourceSpan(options.span, {}, (span) =>
        session.state.pipe(
          Effect.flatMap((state) => {
            annotate(span, session, state, options.path)
            return session.execute(request, { parent: span })
          }),
          Effect.flatMap(decode),
          Effect.map((decoded) => decoded.tsResponse.item)
        )))
  }
}

/**
 * Reads one item of a site's collection by its LUID (`GET /sites/{siteId}/{collection}/{id}`), in
 * a span named `tableau.{collection}.get`; an id that is not a LUID fails before anything is sent.
 *
 * @internal
 */
export const getById = <A, I>(options: {
  readonly collection: string
  readonly element: string
  readonly schema: Schema.Schema<A, I>
}) => {
  const { collection, element, schema } = options
  const read = getOne({
    span: `tableau.${collection}.get`,
    path: `/sites/{siteId}/${collection}/{${element}Id}`,
    element,
    schema
  })
  return (id: string): Effect.Effect<A, TableauError, TableauSession> =>
    Effect.flatMap(requireLuid("id", id), (luid) => read((state) => `/sites/${state.siteId}/${collection}/${luid}`))
}
