/**
 * The reads every resource answers alike, from the client's declaration and the emulator's kind:
 * a page of the list (filters and sorts on the declared fields), and one item by id. A resource
 * whose path holds `{siteId}` is scoped to the session's site; a nested one (`/workbooks/{id}/views`)
 * lists what `children` gives for its parent.
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
import { requireSession } from "./session.js"

/** The catalog as it is now. @internal */
export const catalogOf = (call: Call): Effect.Effect<Catalog.Catalog> =>
  Effect.map(Ref.get(call.store.ref), (state) => state.catalog)

/** The session, checked against the `{siteId}` of the path when it has one. @internal */
export const sessionOf = (call: Call): Effect.Effect<EmulatorState.Session, ApiError.ApiError> =>
  requireSession(call, call.params["siteId"])

/** How one resource reads. @internal */
export interface Reads<A> {
  readonly kind: Catalog.Kind<A>
  /** The error for an id the site does not hold. */
  readonly notFound: (id: string) => ApiError.ApiError
  /**
   * The entries of a list: by default those of the path's site; a nested list gives its
   * parent's (failing when the parent is not there).
   */
  readonly entries?: (
    call: Call,
    catalog: Catalog.Catalog,
    session: EmulatorState.Session
  ) => Effect.Effect<ReadonlyArray<Catalog.Entry<A>>, ApiError.ApiError>
}

const onSite = <A>(table: Catalog.Table<A>, siteId: string): Array<Catalog.Entry<A>> => {
  const site = siteId.toLowerCase()
  const entries: Array<Catalog.Entry<A>> = []
  for (const entry of table.values()) if (entry.sites.includes(site)) entries.push(entry)
  return entries
}

/** The entry of `id` on the call's site, or the resource's not-found error. @internal */
export const entryOnSite = <A>(
  call: Call,
  catalog: Catalog.Catalog,
  reads: Reads<A>,
  id: string
): Effect.Effect<Catalog.Entry<A>, ApiError.ApiError> => {
  const entry = Catalog.lookup(catalog, reads.kind, id)
  const siteId = call.params["siteId"]
  return entry === undefined || (siteId !== undefined && !entry.sites.includes(siteId.toLowerCase()))
    ? Effect.fail(reads.notFound(id))
    : Effect.succeed(entry)
}

/** The list route of a resource. @internal */
export const list = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Route =>
  fromSpec(resource.list, (call) =>
    Effect.gen(function*() {
      const session = yield* sessionOf(call)
      const catalog = yield* catalogOf(call)
      const entries = reads.entries === undefined
        ? onSite(Catalog.table(catalog, reads.kind), call.params["siteId"] ?? session.siteId)
        : yield* reads.entries(call, catalog, session)
      const { definition } = resource
      const fields = { filter: definition.filterable, sort: definition.sortable }
      return { status: 200, xml: yield* Listing.page(entries, call.query, definition.element, fields) }
    }))

/** The get route of a resource: the item of the last path parameter. @internal */
export const get = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Route =>
  fromSpec(resource.get.spec, (call) =>
    Effect.gen(function*() {
      yield* sessionOf(call)
      const catalog = yield* catalogOf(call)
      const entry = yield* entryOnSite(call, catalog, reads, call.params[`${resource.definition.item}Id`] ?? "")
      return { status: 200, xml: entry.xml }
    }))

/** Both reads. @internal */
export const routes = <A, C, I, P extends string, Item extends string>(
  resource: Resource.Resource<C, I, P, Item>,
  reads: Reads<A>
): Array<Route> => [
  list(resource, reads),
  get(resource, reads)
]
