/**
 * The reads every resource answers alike, from the client's declaration and the emulator's kind:
 * a page of the list (filters and sorts on the declared fields), and one item by id. A resource
 * whose path holds `{siteId}` is scoped to the session's site; a nested one (`/workbooks/{id}/views`)
 * lists what `entries` gives for its parent.
 *
 * @internal
 */
import type { Resource } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as EmulatorState from "../EmulatorState.js"
import type * as ApiError from "./ApiError.js"
import * as Catalog from "./catalog.js"
import * as Listing from "./listing.js"
import type { Call, Route } from "./routes.js"
import { fromSpec } from "./routes.js"
import type { Answer } from "./session.js"
import { requireSession } from "./session.js"

/** The catalog as it is now. @internal */
export const catalogOf = (call: Call): Effect.Effect<Catalog.Catalog> =>
  Effect.map(Ref.get(call.store.ref), (state) => state.catalog)

/** The session, checked against the `{siteId}` of the path when it has one. @internal */
export const sessionOf = (call: Call): Effect.Effect<EmulatorState.Session, ApiError.ApiError> =>
  requireSession(call, call.params["siteId"])

/**
 * A route that answers from the catalog for a signed-in session (checked against the path's
 * `{siteId}`): what most read routes do first, done here once.
 *
 * @internal
 */
export const route = (
  spec: Resource.Spec,
  answer: (
    call: Call,
    session: EmulatorState.Session,
    catalog: Catalog.Catalog
  ) => Effect.Effect<Answer, ApiError.ApiError>
): Route =>
  fromSpec(spec, (call) =>
    Effect.flatMap(
      Effect.zip(sessionOf(call), catalogOf(call)),
      ([session, catalog]) => answer(call, session, catalog)
    ))

/** How one resource reads. @internal */
export interface Reads<A> {
  readonly kind: Catalog.Kind<A>
  /** The error for an id the site does not hold. */
  readonly notFound: (id: string) => ApiError.ApiError
  /**
   * Whether an item is still there, when some that the catalog holds are not (a data source
   * whose project was deleted): one that is not is neither listed nor found.
   */
  readonly live?: ((item: A, catalog: Catalog.Catalog) => boolean) | undefined
  /**
   * The entries of a list: by default the live ones of the path's site; a nested list gives its
   * parent's (failing when the parent is not there).
   */
  readonly entries?: (
    call: Call,
    catalog: Catalog.Catalog,
    session: EmulatorState.Session
  ) => Effect.Effect<ReadonlyArray<Catalog.Entry<A>>, ApiError.ApiError>
  /**
   * How the call asks for the items when not as the catalog rendered them (views with
   * `includeUsageStatistics=true`); undefined for the catalog's rendering.
   */
  readonly renderFor?: (call: Call) => ((item: A, catalog: Catalog.Catalog) => string) | undefined
}

/** The XML of an entry as the call asks for it (see `Reads.renderFor`). @internal */
export const xmlFor = <A>(
  call: Call,
  catalog: Catalog.Catalog,
  reads: Pick<Reads<A>, "renderFor">
): (entry: Catalog.Entry<A>) => string => {
  const render = reads.renderFor?.(call)
  return render === undefined ? (entry) => entry.xml : (entry) => render(entry.item, catalog)
}

const isLive = <A>(reads: Pick<Reads<A>, "live">, entry: Catalog.Entry<A>, catalog: Catalog.Catalog): boolean =>
  reads.live === undefined || reads.live(entry.item, catalog)

/** The live entries of a resource on a site, in order. @internal */
export const entriesOnSite = <A>(
  catalog: Catalog.Catalog,
  reads: Pick<Reads<A>, "kind" | "live">,
  siteId: string
): Array<Catalog.Entry<A>> => {
  const site = siteId.toLowerCase()
  return Catalog.entries(catalog, reads.kind).filter((entry) =>
    entry.sites.includes(site) && isLive(reads, entry, catalog)
  )
}

/** The live entry of `id` on the call's site, or the resource's not-found error. @internal */
export const entryOnSite = <A>(
  call: Call,
  catalog: Catalog.Catalog,
  reads: Reads<A>,
  id: string
): Effect.Effect<Catalog.Entry<A>, ApiError.ApiError> => {
  const entry = Catalog.lookup(catalog, reads.kind, id)
  const siteId = call.params["siteId"]
  return entry === undefined || (siteId !== undefined && !entry.sites.includes(siteId.toLowerCase())) ||
      !isLive(reads, entry, catalog)
    ? Effect.fail(reads.notFound(id))
    : Effect.succeed(entry)
}

/**
 * The fields a list of the resource filters and sorts on: the client's declaration (each has a
 * value in the kind's `keys`).
 *
 * @internal
 */
export const fieldsOf = (resource: {
  readonly definition: { readonly filterable: ReadonlyArray<string>; readonly sortable: ReadonlyArray<string> }
}): Listing.Fields => ({ filter: resource.definition.filterable, sort: resource.definition.sortable })

/** The list route of a resource. @internal */
export const list = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Route =>
  route(resource.list, (call, session, catalog) =>
    Effect.gen(function*() {
      const entries = reads.entries === undefined
        ? entriesOnSite(catalog, reads, call.params["siteId"] ?? session.siteId)
        : yield* reads.entries(call, catalog, session)
      const xml = yield* Listing.page(
        entries,
        call.query,
        resource.definition.element,
        fieldsOf(resource),
        xmlFor(call, catalog, reads)
      )
      return { status: 200, xml }
    }))

/**
 * The get route of a resource: the item of the last path parameter, from the version its
 * definition gives `get` (Views.get needs 3.0, the list 2.2).
 *
 * @internal
 */
export const get = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Route =>
  route(resource.get.spec, (call, _session, catalog) =>
    Effect.map(
      entryOnSite(call, catalog, reads, call.params[`${resource.definition.item}Id`] ?? ""),
      (entry) => ({ status: 200, xml: xmlFor(call, catalog, reads)(entry) })
    ))

/** Both reads. @internal */
export const routes = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Array<Route> => [
  list(resource, reads),
  get(resource, reads)
]
