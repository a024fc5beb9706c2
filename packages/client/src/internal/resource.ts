/**
 * What every resource module shares: id checks, and reading one item in its span.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { TableauRequestError } from "../TableauError.js"
import type { TableauError } from "../TableauError.js"
import { TableauSession } from "../TableauSession.js"
import type { SessionState } from "../TableauSession.js"
import * as Xml from "../Xml.js"

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
    return Effect.flatMap(TableauSession, (session) => session.execute(request)).pipe(
      Effect.flatMap(decode),
      Effect.map((decoded) => decoded.tsResponse.item),
      Effect.withSpan(options.span, { captureStackTrace: false, attributes: { "tableau.path": options.path } })
    )
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
