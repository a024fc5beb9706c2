/**
 * Every resource of the emulator: the kinds of its catalog, in the order they render (a kind
 * renders against those before it), and the route table.
 *
 * @internal
 */
import type * as Fixtures from "../../Fixtures.js"
import * as Catalog from "../catalog.js"
import type { Route } from "../routes.js"
import * as Content from "./content.js"
import * as Datasources from "./datasources.js"
import * as Groups from "./groups.js"
import * as Jobs from "./jobs.js"
import * as Projects from "./projects.js"
import * as Sites from "./sites.js"
import * as Users from "./users.js"
import * as Views from "./views.js"
import * as Workbooks from "./workbooks.js"

// Both lists are made on first use, not while the modules load: the resource modules name each
// other (a workbook's views, a user's groups, a project's workbooks), so some of them are still
// loading when this one is.
let madeKinds: ReadonlyArray<Catalog.Kind<unknown>> | undefined
let madeRoutes: ReadonlyArray<Route> | undefined

/** Every kind, in the order they render. @internal */
export const kinds = (): ReadonlyArray<Catalog.Kind<unknown>> =>
  madeKinds ??= [
    Catalog.erase(Sites.sites),
    Catalog.erase(Users.users),
    // Groups count their users, so they render after them.
    Catalog.erase(Groups.groups),
    Catalog.erase(Projects.projects),
    Catalog.erase(Workbooks.workbooks),
    Catalog.erase(Datasources.datasources),
    Catalog.erase(Views.views),
    // The connections of content start with the content: those of the default data sources,
    // and of the workbooks that start with views.
    Catalog.erase<Content.Connection>({
      ...Content.connections,
      initial: (fixtures) => [...Datasources.initialConnections(fixtures), ...Workbooks.initialConnections(fixtures)]
    }),
    Catalog.erase(Jobs.jobs),
    Catalog.erase(Jobs.plans)
  ]

/**
 * The catalog of these fixtures: every kind in its order, then what had to wait for the kinds
 * after it (a workbook's count of sheets and its extracts come with the views and connections).
 *
 * @internal
 */
export const catalogOf = (fixtures: Fixtures.Fixtures, baseUrl: string): Catalog.Catalog => {
  // A catalog is immutable data made from its fixtures and base URL alone (`reset` already
  // hands the same one back), so emulators started from the same fixtures share it: a suite
  // that starts hundreds of default emulators renders their items once.
  let byUrl = catalogs.get(fixtures)
  if (byUrl === undefined) {
    byUrl = new Map()
    catalogs.set(fixtures, byUrl)
  }
  let catalog = byUrl.get(baseUrl)
  if (catalog === undefined) {
    catalog = Workbooks.settle(Catalog.make(fixtures, baseUrl, kinds()))
    byUrl.set(baseUrl, catalog)
  }
  return catalog
}

const catalogs = new WeakMap<Fixtures.Fixtures, Map<string, Catalog.Catalog>>()

/** Every route of every resource. @internal */
export const routes = (): ReadonlyArray<Route> =>
  madeRoutes ??= [
    ...Sites.routes(),
    ...Users.routes(),
    ...Groups.routes(),
    ...Projects.routes(),
    ...Workbooks.routes(),
    ...Datasources.routes(),
    ...Views.routes(),
    ...Jobs.routes()
  ]

/** The content as fixtures (what `TableauEmulator`'s `fixtures` answers): as it is now, writes included. @internal */
export const fixturesOf = (catalog: Catalog.Catalog): Fixtures.Fixtures => ({
  sites: Catalog.items(catalog, Sites.sites),
  users: Catalog.items(catalog, Users.users),
  connectedApps: catalog.connectedApps,
  projects: Catalog.items(catalog, Projects.projects),
  workbooks: Catalog.items(catalog, Workbooks.workbooks)
})
