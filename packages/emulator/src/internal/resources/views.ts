/**
 * Views: two sheets for each of the first workbooks of each site (a catalog of 10,000 workbooks
 * renders views for 20 of them, not for every one), listed for the site, for a workbook, and
 * one by id, with their tags. A view shows its workbook's owner and project; a view whose
 * workbook is gone is gone too.
 *
 * @internal
 */
import { Views } from "@tableau-effect/client"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import { luid } from "../luid.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Call, Route } from "../routes.js"
import { element, Generated } from "../wire.js"
import * as Content from "./content.js"
import { projects } from "./projects.js"
import * as Workbooks from "./workbooks.js"

/** A view of a workbook. @internal */
export interface View {
  readonly id: string
  readonly siteId: string
  readonly workbookId: string
  readonly name: string
  readonly viewUrlName: string
  readonly contentUrl: string
  readonly sheetType: string
  readonly createdAt: string
  readonly updatedAt: string
  readonly tags: ReadonlyArray<string>
  /** How many times it was seen: `<usage totalViewCount>` with `includeUsageStatistics=true`. */
  readonly totalViewCount: number
}

/** How many workbooks of each site start with views and connections. @internal */
export const DESCRIBED_PER_SITE = 20

/** The workbooks of the fixtures that start with views and connections: the first of each site. @internal */
export const described = (fixtures: Fixtures.Fixtures): Array<Fixtures.Workbook> => {
  const counts = new Map<string, number>()
  const chosen: Array<Fixtures.Workbook> = []
  for (const workbook of fixtures.workbooks) {
    const count = counts.get(workbook.siteId) ?? 0
    if (count < DESCRIBED_PER_SITE) chosen.push(workbook)
    counts.set(workbook.siteId, count + 1)
  }
  return chosen
}

const SHEETS = [
  { name: "Overview", sheetType: "dashboard" },
  { name: "Details", sheetType: "worksheet" }
] as const

/**
 * The views a workbook starts with. Their counts of views are made up from the workbook's size:
 * the overview is seen more than the details, and the details of a workbook of size 1 never.
 *
 * @internal
 */
export const viewsOf = (workbook: Fixtures.Workbook): Array<View> =>
  SHEETS.map((sheet, index) => ({
    id: luid(`view/${workbook.id.toLowerCase()}/${sheet.name}`),
    siteId: workbook.siteId,
    workbookId: workbook.id,
    name: sheet.name,
    viewUrlName: sheet.name,
    contentUrl: `${workbook.contentUrl}/sheets/${sheet.name}`,
    sheetType: sheet.sheetType,
    createdAt: workbook.createdAt,
    updatedAt: workbook.updatedAt,
    tags: [],
    totalViewCount: index === 0 ? 10 * workbook.size : workbook.size - 1
  }))

const workbookOf = (catalog: Catalog.Catalog, view: View) =>
  Catalog.lookup(catalog, Workbooks.workbooks, view.workbookId)?.item

// The XSD's anonymous type of `<usage>`, inside the generated viewType.
const Usage = Generated.ViewType.fields.usage.from.to

/**
 * `<view>` as Query Views answers it: `<workbook>`, `<owner>`, `<project>`, `<tags>` and, with
 * `includeUsageStatistics=true`, `<usage totalViewCount>`, in the XSD's order.
 *
 * @internal
 */
export const render = (
  view: View,
  catalog: Catalog.Catalog,
  options: { readonly usage: boolean } = { usage: false }
): string => {
  const workbook = workbookOf(catalog, view)
  return element(
    "view",
    Generated.ViewType,
    {
      id: view.id,
      name: view.name,
      contentUrl: view.contentUrl,
      viewUrlName: view.viewUrlName,
      sheetType: view.sheetType,
      createdAt: DateTime.unsafeMake(view.createdAt),
      updatedAt: DateTime.unsafeMake(view.updatedAt)
    },
    [
      element("workbook", Generated.WorkbookType, { id: view.workbookId }),
      workbook === undefined ? "" : element("owner", Generated.UserType, { id: workbook.ownerId }),
      workbook?.projectId === undefined ? "" : element("project", Generated.ProjectType, { id: workbook.projectId }),
      Content.renderTags(view.tags),
      options.usage ? element("usage", Usage, { totalViewCount: view.totalViewCount }) : ""
    ].join("")
  )
}

/** @internal */
export const views = Catalog.kind<View>("views", {
  sites: Catalog.onItsSite,
  render: (view, catalog) => render(view, catalog),
  keys: (view, catalog) => {
    const workbook = workbookOf(catalog, view)
    const project = workbook?.projectId === undefined
      ? undefined
      : Catalog.lookup(catalog, projects, workbook.projectId)
    return {
      // A view's owner and project are its workbook's.
      ...Content.keys(catalog, view, { projectName: project?.item.name, ownerId: workbook?.ownerId }),
      workbookName: workbook?.name ?? "",
      workbookDescription: workbook?.description ?? "",
      hitsTotal: String(view.totalViewCount),
      favoritesTotal: "0",
      viewUrlName: view.viewUrlName,
      sheetType: view.sheetType
    }
  },
  initial: (fixtures) => described(fixtures).flatMap(viewsOf)
})

// A view goes with its workbook (a project's delete takes workbooks, not their views).
const live = (view: View, catalog: Catalog.Catalog) => workbookOf(catalog, view) !== undefined

const notFound = (id: string) => ApiError.make(404, "404011", "Resource Not Found", `View '${id}' could not be found.`)

// Query Views for Site, Get View and Query Views for Workbook take `includeUsageStatistics=true`.
const renderFor = (call: Call) =>
  call.query.get("includeUsageStatistics")?.toLowerCase() === "true"
    ? (view: View, catalog: Catalog.Catalog) => render(view, catalog, { usage: true })
    : undefined

/** @internal */
export const reads: Reads.Reads<View> = {
  kind: views,
  notFound,
  live,
  renderFor
}

const content: Content.Content<View> = {
  reads,
  what: "view",
  ownerOf: (view, catalog) => workbookOf(catalog, view)?.ownerId ?? "",
  projectOwnerOf: (view, catalog) => {
    const projectId = workbookOf(catalog, view)?.projectId
    return projectId === undefined ? undefined : Catalog.lookup(catalog, projects, projectId)?.item.ownerId
  }
}

/** The views of a workbook, in order. @internal */
export const ofWorkbook = (catalog: Catalog.Catalog, workbookId: string): Array<Catalog.Entry<View>> => {
  const wanted = workbookId.toLowerCase()
  return Catalog.entries(catalog, views).filter((entry) => entry.item.workbookId.toLowerCase() === wanted)
}

const forWorkbook = Reads.route(Views.ofWorkbook.spec, (call, _session, catalog) =>
  Effect.gen(function*() {
    const { item } = yield* Reads.entryOnSite(call, catalog, Workbooks.reads, call.params["workbookId"] ?? "")
    const xmlOf = Reads.xmlFor(call, catalog, reads)
    return { status: 200, xml: Render.collection("views", ofWorkbook(catalog, item.id).map(xmlOf).join("")) }
  }))

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [
  ...Reads.routes(Views.resource, reads),
  forWorkbook,
  ...Content.tagRoutes(content, Views)
]
