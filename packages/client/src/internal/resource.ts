/**
 * What every resource module shares: span attributes, id checks, and reading one item.
 *
 * @internal
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { TableauRequestError } from "../TableauError.js"
import type { TableauError } from "../TableauError.js"
import { TableauSession } from "../TableauSession.js"
import type { Service, SessionState } from "../TableauSession.js"
import * as Xml from "../Xml.js"
import { withFastDecode } from "./fastDecode.js"

/** The span attributes of a resource call: path template, API version, site id (never a token). @internal */
export const annotate = (session: Service, state: SessionState, path: string): Effect.Effect<void> =>
  Effect.annotateCurrentSpan({
    "tableau.path": path,
    "tableau.api_version": session.apiVersion,
    "tableau.site_id": state.siteId
  })

const LUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * Checks that an id is a LUID before it goes into a path, so a typo (or `..`) fails here with a
 * clear error instead of reaching another endpoint.
 *
 * @internal
 */
export const requireLuid = (parameter: string, id: string): Effect.Effect<string, TableauRequestError> =>
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
 * The schema of a `<tsResponse>` holding one `<element>`, decoded as `{ item }`; the item takes
 * the compiled decoder, as the items of a page do (see `Xml.collection`). @internal
 */
export const single = <A, I>(element: string, item: Schema.Schema<A, I>) =>
  Schema.Struct({
    tsResponse: Schema.Struct({ item: Schema.propertySignature(withFastDecode(item)).pipe(Schema.fromKey(element)) })
  })

/** Reads one item: `GET path` with the session, decoded from `<tsResponse><element .../></tsResponse>`. @internal */
export const getOne = <A, I>(options: {
  readonly path: string
  readonly url: (state: SessionState) => string
  readonly params?: Readonly<Record<string, string>>
  readonly element: string
  readonly schema: Schema.Schema<A, I>
}): Effect.Effect<A, TableauError, TableauSession> => {
  // Like list pages, one item is checked by its schema; see Xml.ParseOptions.
  const decode = Xml.decode(single(options.element, options.schema), { validate: false })
  const params = options.params ?? {}
  const request = (state: SessionState) =>
    HttpClientRequest.get(options.url(state)).pipe(HttpClientRequest.setUrlParams(params))
  return Effect.flatMap(TableauSession, (session) =>
    session.state.pipe(
      Effect.flatMap((state) => annotate(session, state, options.path)),
      Effect.zipRight(session.execute(request)),
      Effect.flatMap(decode),
      Effect.map((decoded) => decoded.tsResponse.item)
    ))
}
