/**
 * Sites: the session's site, a site by contentUrl, and the list of sites (Tableau Server only:
 * Tableau Cloud has no sites listing, so `page` and `stream` fail there with
 * `TableauUnsupportedError` before sending anything).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { NumberFromString } from "./internal/fields.js"
import * as X from "./internal/xsd.js"
import * as Resource from "./Resource.js"
import { TableauRequestError } from "./TableauError.js"
import { TableauUnsupportedError } from "./TableauError.js"
import type { TableauError } from "./TableauError.js"
import type { TableauSession } from "./TableauSession.js"

const wire = Generated.SiteType.fields

/**
 * A site (the XSD's `siteType`): its LUID, display name and contentUrl (`""` is the Default site).
 *
 * @since 0.1.0
 * @category Models
 */
export class Site extends Schema.Class<Site>("@tableau-effect/client/Site")({
  id: wire.id.from,
  name: wire.name.from,
  contentUrl: wire.contentUrl.from,
  adminMode: wire.adminMode,
  state: wire.state,
  revisionHistoryEnabled: wire.revisionHistoryEnabled,
  revisionLimit: wire.revisionLimit,
  /** An xs:string in the XSD; Tableau writes a number. */
  userQuota: X.optional(NumberFromString),
  /** An xs:string in the XSD; Tableau writes a number (megabytes). */
  storageQuota: X.optional(NumberFromString),
  disableSubscriptions: wire.disableSubscriptions
}) {}

/**
 * The sites of the server as a resource (`/sites`; listing them is Tableau Server only).
 *
 * @example
 * ```ts
 * import { Sites } from "@tableau-effect/client"
 *
 * console.log(Sites.resource.list.path) // /sites
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "sites",
  path: "/sites",
  element: "sites",
  item: "site",
  schema: Site,
  filterable: ["name", "contentUrl"],
  minimum: "2.0",
  check: (session) =>
    session.server.deployment === "cloud"
      ? Effect.fail(
        new TableauUnsupportedError({
          operation: "Listing sites (Sites.page, Sites.stream)",
          reason: "Tableau Cloud has no sites listing (403069); use Sites.current for the session's site"
        })
      )
      : Effect.void
})

/**
 * The list (Tableau Server only; on Tableau Cloud a `TableauUnsupportedError` before sending),
 * documented on `Resource.Resource`:
 * - `collection`: `GET /sites`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the sites the user can see;
 * - `stream`: every site the user can see, as a lazy stream.
 *
 * @example
 * ```ts
 * import { Chunk, Effect, Stream } from "effect"
 * import { Sites } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Sites.page({ pageSize: 20 })
 *   yield* Effect.log(items.map((site) => site.name).join(", "))
 *   const contentUrls = yield* Sites.stream().pipe(Stream.map((site) => site.contentUrl), Stream.runCollect)
 *   yield* Effect.log(Chunk.join(contentUrls, ", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, page, stream } = resource

/**
 * The site the session is signed in to (`GET /sites/{siteId}`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Sites } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const site = yield* Sites.current
 *   yield* Effect.log(`on ${site.name} (${site.contentUrl || "Default"})`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const current: Effect.Effect<Site, TableauError, TableauSession> = Resource.operation({
  span: "tableau.sites.current",
  method: "GET",
  path: "/sites/{siteId}",
  minimum: "2.0",
  answer: Resource.answer("site", Site)
})()

const readByContentUrl = Resource.operation({
  span: "tableau.sites.get",
  method: "GET",
  path: "/sites/{contentUrl}",
  minimum: "2.0",
  query: () => ({ key: "contentUrl" }),
  answer: Resource.answer("site", Site)
})

/**
 * A site by its contentUrl (`GET /sites/{contentUrl}?key=contentUrl`). Tableau answers only for
 * the site of the session; the Default site has no contentUrl to look up (use `current`).
 *
 * @example
 * ```ts
 * import { Sites } from "@tableau-effect/client"
 *
 * const marketing = Sites.get("MarketingTeam")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const get = (contentUrl: string): Effect.Effect<Site, TableauError, TableauSession> => {
  if (contentUrl === "" || contentUrl === "." || contentUrl === "..") {
    return Effect.fail(
      new TableauRequestError({
        parameter: "contentUrl",
        reason: contentUrl === ""
          ? "the Default site has no contentUrl to look it up by; use Sites.current"
          : "is not a site contentUrl",
        value: contentUrl
      })
    )
  }
  return readByContentUrl(contentUrl)
}
