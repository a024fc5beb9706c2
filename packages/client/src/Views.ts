/**
 * The views (sheets, dashboards and stories) of the session's site: every view of the site page
 * by page, the views of one workbook, one view by id, and their tags.
 *
 * Filter fields Tableau documents for views include `name`, `contentUrl`, `tags`, `ownerName`,
 * `projectName`, `workbookName`, `viewUrlName`, `sheetType`, `createdAt`, `updatedAt`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import * as TagOperations from "./internal/tags.js"
import * as X from "./internal/xsd.js"
import * as Resource from "./Resource.js"
import * as Xml from "./Xml.js"

const wire = Generated.ViewType.fields
const workbook = Generated.WorkbookType.fields

/**
 * A view (the XSD's `viewType`): its names, its workbook, project and owner (Tableau answers
 * their ids; names only where it sends them), its sheet type and tag labels, and with usage
 * statistics its total view count.
 *
 * @since 0.1.0
 * @category Models
 */
export class View extends Schema.Class<View>("@tableau-effect/client/View")({
  id: wire.id.from,
  name: wire.name.from,
  contentUrl: wire.contentUrl,
  viewUrlName: wire.viewUrlName,
  /** `dashboard`, `story` or `worksheet` (a string: a newer server may add one). */
  sheetType: wire.sheetType,
  hidden: wire.hidden,
  createdAt: wire.createdAt,
  updatedAt: wire.updatedAt,
  workbook: X.optional(X.element(Schema.Struct({ id: workbook.id.from, name: workbook.name }))),
  project: X.optional(ProjectRef),
  owner: X.optional(OwnerRef),
  usage: wire.usage,
  tags: Tags
}) {}

// Tableau filters views on their tags too, but does not sort on them.
const sortable = [
  "name",
  "contentUrl",
  "ownerName",
  "projectName",
  "workbookName",
  "viewUrlName",
  "createdAt",
  "updatedAt",
  "ownerEmail",
  "ownerDomain",
  "workbookDescription",
  "hitsTotal",
  "favoritesTotal",
  "sheetType"
]

/**
 * The views of a site as a resource (`/sites/{siteId}/views`, listed from API 2.2).
 *
 * @example
 * ```ts
 * import { Views } from "@tableau-effect/client"
 *
 * console.log(Views.resource.itemPath) // /sites/{siteId}/views/{viewId}
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "views",
  path: "/sites/{siteId}/views",
  element: "views",
  item: "view",
  schema: View,
  filterable: [...sortable, "tags"],
  sortable,
  minimum: "2.2",
  get: { minimum: "3.0" }
})

/**
 * The reads, each documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/views`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's views, filtered and sorted by the fields above;
 * - `stream`: every view of the site as a lazy stream;
 * - `get`: one view by id (`GET /sites/{siteId}/views/{viewId}`, Tableau's "Get View", API 3.0);
 *   an unknown id is a `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Filter, Views } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Views.page({ filter: Filter.eq("sheetType", "dashboard") })
 *   yield* Effect.log(items.map((view) => view.name).join(", "))
 *   const view = yield* Views.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${view.name} of workbook ${view.workbook?.id}`)
 *   const count = yield* Views.stream({ pageSize: 1000 }).pipe(Stream.runCount)
 *   yield* Effect.log(`${count} views`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, get, page, stream } = resource

/**
 * The views of one workbook (`GET /sites/{siteId}/workbooks/{workbookId}/views`), in one answer:
 * Tableau does not paginate them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Views } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const views = yield* Views.ofWorkbook("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(views.map((view) => view.name).join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const ofWorkbook = Resource.operation({
  span: "tableau.views.ofWorkbook",
  method: "GET",
  path: "/sites/{siteId}/workbooks/{workbookId}/views",
  minimum: "2.0",
  answer: Resource.answer("views", Xml.collection("view", View))
})

/**
 * The tags of a view: `addTags(id, labels)` (`PUT /sites/{siteId}/views/{viewId}/tags`) answers
 * its tag labels; `removeTag(id, label)` (`DELETE .../views/{viewId}/tags/{tagName}`) removes one.
 * A label holding a control character is refused before sending.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Views } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const labels = yield* Views.addTags("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", ["kpi", "draft"])
 *   yield* Views.removeTag("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", "draft")
 *   yield* Effect.log(labels.join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { addTags, removeTag } = TagOperations.operations(resource, "2.0")
