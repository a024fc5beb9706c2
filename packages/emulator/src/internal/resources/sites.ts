/**
 * Sites: `GET /sites` (the sites the user belongs to; all of them for a server administrator;
 * none on Tableau Cloud) and `GET /sites/{id}` or `/sites/{contentUrl}?key=contentUrl` (and
 * `key=name`), for the site of the session only.
 *
 * @internal
 */
import { Sites } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Route } from "../routes.js"
import { users } from "./users.js"

/** @internal */
export const sites = Catalog.kind<Fixtures.Site>("sites", {
  sites: (site) => [site.id],
  render: (site) => Render.site(site),
  keys: (site) => ({ name: site.name, contentUrl: site.contentUrl }),
  initial: (fixtures) => fixtures.sites
})

/** The site with this contentUrl (any case). @internal */
export const byContentUrl = (catalog: Catalog.Catalog, contentUrl: string): Fixtures.Site | undefined => {
  const wanted = contentUrl.toLowerCase()
  return Catalog.items(catalog, sites).find((site) => site.contentUrl.toLowerCase() === wanted)
}

const list = (): Route =>
  Reads.list(Sites.resource, {
    kind: sites,
    notFound: (id) => ApiError.notFound(`Site '${id}' could not be found.`),
    entries: (call, catalog, session) =>
      Effect.gen(function*() {
        if (call.store.settings.cloud) return yield* ApiError.unsupportedOnCloud("Sites query")
        const user = Catalog.lookup(catalog, users, session.userId)?.item
        return Catalog.entries(catalog, sites).filter((entry) =>
          user !== undefined && Fixtures.isMember(user, entry.item.id)
        )
      })
  })

const get = Reads.route(
  { span: "tableau.sites.get", method: "GET", path: "/sites/{site}", minimum: "2.0" },
  (call, session, catalog) =>
    Effect.gen(function*() {
      const key = call.query.get("key")?.toLowerCase()
      const wanted = (call.params["site"] ?? "").toLowerCase()
      const field = key === "contenturl" ? "contentUrl" : key === "name" ? "name" : "id"
      const site = Catalog.items(catalog, sites).find((candidate) => candidate[field].toLowerCase() === wanted)
      if (site === undefined) return yield* ApiError.notFound(`Site '${call.params["site"]}' could not be found.`)
      if (site.id !== session.siteId) return yield* ApiError.wrongSite(site.id)
      return { status: 200, xml: Catalog.lookup(catalog, sites, site.id)!.xml }
    })
)

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [list(), get]
