/**
 * Workbooks: the workbooks of a site and one by id; update and delete (its views and connections
 * with it), tags, connections and extract refresh, with the ownership rules of content (see
 * content.ts).
 *
 * @internal
 */
import { Generated, Workbooks } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Listing from "../listing.js"
import { luid } from "../luid.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import * as Writes from "../writes.js"
import * as Content from "./content.js"
import type * as Jobs from "./jobs.js"
import { projects } from "./projects.js"
import { sites } from "./sites.js"
import { reads as userReads, users } from "./users.js"
import * as Views from "./views.js"

const webpageUrl = (baseUrl: string, site: Fixtures.Site | undefined, number: number): string =>
  `${baseUrl}/#/${site === undefined || site.contentUrl === "" ? "" : `site/${site.contentUrl}/`}workbooks/${number}`

const projectOf = (catalog: Catalog.Catalog, workbook: Fixtures.Workbook) =>
  workbook.projectId === undefined ? undefined : Catalog.lookup(catalog, projects, workbook.projectId)?.item

/** @internal */
export const workbooks = Catalog.kind<Fixtures.Workbook>("workbooks", {
  sites: Catalog.onItsSite,
  render: (workbook, catalog, ordinal) =>
    Render.workbook(
      workbook,
      projectOf(catalog, workbook),
      webpageUrl(catalog.baseUrl, Catalog.lookup(catalog, sites, workbook.siteId)?.item, ordinal)
    ),
  keys: (workbook, catalog) => ({
    ...Content.keys(catalog, workbook, { projectName: projectOf(catalog, workbook)?.name, ownerId: workbook.ownerId }),
    displayTabs: String(workbook.showTabs),
    hasExtracts: String(hasExtracts(catalog, workbook.id)),
    // Its sheets are its views (a catalog starts with views for the first workbooks of a site).
    sheetCount: String(Views.ofWorkbook(catalog, workbook.id).length),
    size: String(workbook.size),
    // The emulator keeps no favorites, alerts or subscriptions.
    favoritesTotal: "0",
    hasAlerts: "false",
    subscriptionsTotal: "0"
  }),
  initial: (fixtures) => fixtures.workbooks
})

// A workbook has an extract when one of its connections is one.
const hasExtracts = (catalog: Catalog.Catalog, workbookId: string): boolean =>
  Content.connectionsOf(catalog, workbookId).some((connection) => connection.item.extract)

/** @internal */
export const reads: Reads.Reads<Fixtures.Workbook> = {
  kind: workbooks,
  notFound: ApiError.workbookNotFound
}

/**
 * The catalog once every kind is in: the workbooks that start with views or connections are
 * keyed again, since their keys count those, and those kinds come after the workbooks (views
 * render against them).
 *
 * @internal
 */
export const settle = (catalog: Catalog.Catalog): Catalog.Catalog => {
  const described = new Set([
    ...Catalog.items(catalog, Views.views).map((view) => view.workbookId.toLowerCase()),
    ...Catalog.items(catalog, Content.connections).map((connection) => connection.parent.id.toLowerCase())
  ])
  return Catalog.rerender(catalog, workbooks, (workbook) => described.has(workbook.id.toLowerCase()))
}

/**
 * Workbooks added to a catalog (a test's `addWorkbooks`); answers the reason when one names an
 * unknown site, project or owner, or reuses an id.
 *
 * @internal
 */
export const add = (
  catalog: Catalog.Catalog,
  added: ReadonlyArray<Fixtures.Workbook>
): Catalog.Catalog | string => {
  for (const workbook of added) {
    if (Catalog.lookup(catalog, sites, workbook.siteId) === undefined) return `unknown site ${workbook.siteId}`
    if (workbook.projectId !== undefined && Catalog.lookup(catalog, projects, workbook.projectId) === undefined) {
      return `unknown project ${workbook.projectId}`
    }
    if (Catalog.lookup(catalog, users, workbook.ownerId) === undefined) return `unknown owner ${workbook.ownerId}`
    if (Catalog.lookup(catalog, workbooks, workbook.id) !== undefined) return `duplicate workbook id ${workbook.id}`
  }
  return Catalog.put(catalog, workbooks, added)
}

/**
 * The connections the first workbooks of each site start with (those that have views): one
 * each, every other one an extract, so a refresh of one succeeds and of the next is refused.
 *
 * @internal
 */
export const initialConnections = (fixtures: Fixtures.Fixtures): Array<Content.Connection> =>
  Views.described(fixtures).map((workbook, index) => {
    const extract = index % 2 === 0
    return {
      id: luid(`connection/workbook/${workbook.id.toLowerCase()}`),
      siteId: workbook.siteId,
      parent: { what: "workbook", id: workbook.id },
      type: extract ? "hyper" : "postgres",
      ...(extract ? {} : { serverAddress: "warehouse.example.com", serverPort: 5432, userName: "analyst" }),
      embedPassword: !extract,
      queryTaggingEnabled: false,
      extract,
      datasource: { id: luid(`workbook-datasource/${workbook.id.toLowerCase()}`), name: `${workbook.name} data` }
    }
  })

const content: Content.Content<Fixtures.Workbook> = {
  reads,
  what: "workbook",
  ownerOf: (workbook) => workbook.ownerId,
  projectOwnerOf: (workbook, catalog) => projectOf(catalog, workbook)?.ownerId
}

// Views show their workbook's owner and project.
const rerenderViews = (catalog: Catalog.Catalog, workbookId: string) =>
  Catalog.rerender(catalog, Views.views, (view) => view.workbookId.toLowerCase() === workbookId.toLowerCase())

/** What an update changes of a workbook, as the generated `workbookType` decodes it. */
interface WorkbookChanges {
  readonly name?: string
  readonly showTabs?: string
  readonly description?: string
  readonly project?: { readonly id?: string }
  readonly owner?: { readonly id?: string }
}

// The request is decoded by the whole generated type (so a request the XSD refuses is a 400), and
// typed by what the update reads of it: the whole type (its views hold workbooks again) is more
// than the compiler infers through `readRequest` in one statement (TS2589, depending on the order
// it checks the files in).
const workbookRequest = Generated.WorkbookType as unknown as Schema.Schema<WorkbookChanges, unknown>

const update = fromSpec(Workbooks.update.spec, (call) =>
  Effect.gen(function*() {
    const request = Writes.readRequest(call, "workbook", workbookRequest)
    const { input, item } = yield* Content.readUpdate(call, content, {
      request,
      projects,
      check: ({ showTabs }) =>
        showTabs === undefined || showTabs === "true" || showTabs === "false"
          ? Effect.void
          : ApiError.badRequest(`showTabs must be true or false, not '${showTabs}'.`)
    })
    const target = input.project?.id ?? item.projectId
    const changed: Fixtures.Workbook = {
      ...item,
      ...(target === undefined ? {} : { projectId: target }),
      name: input.name ?? item.name,
      description: input.description ?? item.description,
      ownerId: input.owner?.id ?? item.ownerId,
      showTabs: input.showTabs === undefined ? item.showTabs : input.showTabs === "true",
      updatedAt: yield* Writes.timestamp(call)
    }
    yield* Writes.commit(call, (current) => rerenderViews(Catalog.put(current, workbooks, [changed]), changed.id))
    return yield* Writes.answer(call, workbooks, changed.id)
  }))

const remove = fromSpec(Workbooks.remove.spec, (call) =>
  Effect.gen(function*() {
    const { entry } = yield* Content.editable(call, content, "delete")
    const id = entry.item.id
    yield* Writes.commit(call, (current) => {
      const without = Catalog.remove(current, workbooks, [id])
      const views = Views.ofWorkbook(without, id).map((view) => view.item.id)
      return Content.withoutConnectionsOf(Catalog.remove(without, Views.views, views), [id])
    })
    return Writes.noContent
  }))

const describe = (workbook: Fixtures.Workbook, catalog: Catalog.Catalog) => ({
  name: workbook.name,
  hasExtracts: hasExtracts(catalog, workbook.id)
})

/**
 * Query Workbooks for User (`GET /sites/{siteId}/users/{userId}/workbooks`, tableauserverclient's
 * `users.populate_workbooks`), which the client does not declare: with `ownedBy=true` the
 * workbooks the user owns; otherwise those it can read, which in the emulator (no permissions)
 * are the site's workbooks but those in another user's personal space. Paged, filtered and
 * sorted as Query Workbooks for Site.
 */
const ofUser = Reads.route(
  { span: "tableau.users.workbooks", method: "GET", path: "/sites/{siteId}/users/{userId}/workbooks", minimum: "2.0" },
  (call, session, catalog) =>
    Effect.gen(function*() {
      const { item: user } = yield* Reads.entryOnSite(call, catalog, userReads, call.params["userId"] ?? "")
      const userId = user.id.toLowerCase()
      const ownedOnly = call.query.get("ownedBy")?.toLowerCase() === "true"
      const entries = Reads.entriesOnSite(catalog, reads, session.siteId).filter(({ item }) => {
        const owned = item.ownerId.toLowerCase() === userId
        return owned || (!ownedOnly && item.projectId !== undefined)
      })
      const xml = yield* Listing.page(entries, call.query, "workbooks", Reads.fieldsOf(Workbooks.resource))
      return { status: 200, xml }
    })
)

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [
  ...Content.publishedRoutes(content, Workbooks, { update, remove, describe }),
  ofUser
]

/** The target a test's job works on when it names none: the site's first workbook. @internal */
export const defaultTarget = (catalog: Catalog.Catalog, siteId: string): Jobs.Job["target"] => {
  const site = siteId.toLowerCase()
  const workbook = Catalog.items(catalog, workbooks).find((one) => one.siteId.toLowerCase() === site)
  return workbook === undefined
    ? { kind: "workbook", id: "00000000-0000-4000-8000-000000000000", name: "Emulated job" }
    : { kind: "workbook", id: workbook.id, name: workbook.name }
}
