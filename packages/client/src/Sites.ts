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
import { NumberFromString, optional } from "./internal/fields.js"
import { getOne } from "./internal/resource.js"
import * as Pagination from "./Pagination.js"
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
  userQuota: optional(NumberFromString),
  /** An xs:string in the XSD; Tableau writes a number (megabytes). */
  storageQuota: optional(NumberFromString),
  disableSubscriptions: wire.disableSubscriptions
}) {}

/**
 * The sites collection (`GET /sites`, Tableau Server only), for `Pagination.page` and
 * `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<Site> = Pagination.collection({
  name: "sites",
  path: "/sites",
  url: () => "/sites",
  element: "sites",
  item: "site",
  schema: Site,
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
export const current: Effect.Effect<Site, TableauError, TableauSession> = getOne({
  span: "tableau.sites.current",
  path: "/sites/{siteId}",
  element: "site",
  schema: Site
})((state) => `/sites/${state.siteId}`)

const readByContentUrl = getOne({
  span: "tableau.sites.get",
  path: "/sites/{contentUrl}?key=contentUrl",
  element: "site",
  schema: Site
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
  return readByContentUrl(() => `/sites/${encodeURIComponent(contentUrl)}`, { key: "contentUrl" })
}

/**
 * One page of the sites the user can see (Tableau Server only).
 *
 * @example
 * ```ts
 * import { Sites } from "@tableau-effect/client"
 *
 * const firstSites = Sites.page({ pageSize: 20 })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = (options: Pagination.PageOptions = {}) => Pagination.page(collection, options)

/**
 * Every site the user can see, as a lazy stream (Tableau Server only).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Sites } from "@tableau-effect/client"
 *
 * const contentUrls = Sites.stream().pipe(Stream.map((site) => site.contentUrl), Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = (options: Pagination.StreamOptions = {}) => Pagination.stream(collection, options)
