/**
 * The workbooks of the session's site: one page, every page as a stream, or one by id; update
 * and delete, their tags, connections and views, and a refresh of their extracts.
 *
 * Filter fields Tableau documents for workbooks include `name`, `contentUrl`, `tags`,
 * `projectName`, `ownerName`, `ownerEmail`, `createdAt`, `updatedAt`, `size`, `sheetCount`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import * as Content from "./internal/content.js"
import { BooleanFromString } from "./internal/fields.js"
import { Location, OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import * as X from "./internal/xsd.js"
import * as Resource from "./Resource.js"
import * as Views from "./Views.js"

const wire = Generated.WorkbookType.fields

/**
 * A workbook as Tableau describes it (the XSD's `workbookType`): ids and names as strings, dates
 * as `DateTime.Utc`, where it lives, its owner and tag labels. A workbook in a personal space
 * has no `project`; `location` says where it is (`type` is `"PersonalSpace"` or `"Project"`).
 *
 * @since 0.1.0
 * @category Models
 */
export class Workbook extends Schema.Class<Workbook>("@tableau-effect/client/Workbook")({
  id: wire.id.from,
  name: wire.name.from,
  contentUrl: wire.contentUrl.from,
  description: wire.description,
  webpageUrl: wire.webpageUrl,
  /** An xs:string in the XSD; Tableau writes `true` or `false`. */
  showTabs: X.optional(BooleanFromString),
  /** In megabytes, as Tableau reports it. */
  size: wire.size,
  defaultViewId: wire.defaultViewId,
  /** An xs:string in the XSD; Tableau writes `true` or `false`. */
  encryptExtracts: X.optional(BooleanFromString),
  createdAt: wire.createdAt.from,
  updatedAt: wire.updatedAt.from,
  /** Absent for a workbook in a personal space. */
  project: X.optional(ProjectRef),
  location: X.optional(Location),
  owner: OwnerRef,
  tags: Tags
}) {}

/**
 * The workbooks of a site as a resource (`/sites/{siteId}/workbooks`): what the operations below,
 * and the emulator's routes, are made from.
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * console.log(Workbooks.resource.itemPath) // /sites/{siteId}/workbooks/{workbookId}
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "workbooks",
  path: "/sites/{siteId}/workbooks",
  element: "workbooks",
  item: "workbook",
  schema: Workbook,
  filterable: [
    "name",
    "contentUrl",
    "tags",
    "projectName",
    "ownerName",
    "createdAt",
    "updatedAt",
    "ownerEmail",
    "ownerDomain",
    "displayTabs",
    "hasExtracts",
    "sheetCount",
    "size",
    "favoritesTotal",
    "hasAlerts",
    "subscriptionsTotal"
  ],
  minimum: "2.3"
})

/**
 * The reads, each documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/workbooks`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's workbooks, filtered and sorted by the fields above;
 * - `stream`: every workbook of the site as a lazy stream, page after page (or `concurrency`
 *   pages at once);
 * - `get`: one workbook by id (`GET /sites/{siteId}/workbooks/{workbookId}`); an unknown id is a
 *   `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Filter, Sort, Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items, pagination } = yield* Workbooks.page({
 *     pageSize: 50,
 *     filter: Filter.in("tags", ["sales", "finance"]),
 *     sort: Sort.desc("updatedAt")
 *   })
 *   yield* Effect.log(`${items.length} of ${pagination.totalAvailable} workbooks`)
 *   const workbook = yield* Workbooks.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${workbook.name} in ${workbook.project?.name ?? "a personal space"}`)
 *   const count = yield* Workbooks.stream({ pageSize: 1000, concurrency: 4 }).pipe(Stream.runCount)
 *   yield* Effect.log(`${count} workbooks`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, get, page, stream } = resource

/**
 * What to change in a workbook (its name, project and owner, and whether it shows tabs); what
 * is left out stays as it is. Moving it or giving it to another user takes LUIDs, checked
 * before sending.
 *
 * @since 0.1.0
 * @category Models
 */
export interface WorkbookChanges extends Content.ContentChanges {
  readonly showTabs?: boolean | undefined
}

/**
 * The writes and actions of a workbook, as every kind of published content has them:
 * - `update(id, changes)`: `PUT /sites/{siteId}/workbooks/{workbookId}`, its name, project,
 *   owner or whether it shows tabs; answers the workbook as it now is. Tableau lets its owner,
 *   the project's owner or an administrator change it (403 otherwise).
 * - `remove(id)`: `DELETE /sites/{siteId}/workbooks/{workbookId}` deletes it and its views (204).
 * - `addTags(id, labels)`: `PUT .../workbooks/{workbookId}/tags`; answers its tag labels. A label
 *   holding a control character is refused before sending.
 * - `removeTag(id, label)`: `DELETE .../workbooks/{workbookId}/tags/{tagName}`.
 * - `connections(id)`: `GET .../workbooks/{workbookId}/connections`, in one answer (Tableau does
 *   not paginate them); each names the data source it belongs to.
 * - `updateConnection(id, connectionId, changes)`: `PUT .../connections/{connectionId}` (API
 *   2.3); answers the connection as it now is, without the password (a `Redacted`, never logged).
 * - `refresh(id)`: `POST .../workbooks/{workbookId}/refresh` (API 2.8) refreshes its extracts now
 *   and answers the queued `Jobs.Job` (Tableau's 202). A workbook without an extract is refused
 *   with a `TableauApiError`. Never retried: a POST that failed half-way may have queued it.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const id = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"
 * const program = Effect.gen(function*() {
 *   yield* Workbooks.update(id, { name: "Sales 2026", showTabs: true })
 *   yield* Workbooks.addTags(id, ["board", "2026"])
 *   yield* Workbooks.removeTag(id, "board")
 *   const connections = yield* Workbooks.connections(id)
 *   yield* Effect.log(connections.map((connection) => connection.type).join(", "))
 *   const [first] = connections
 *   if (first !== undefined) {
 *     yield* Workbooks.updateConnection(id, first.id, {
 *       userName: "reporting",
 *       password: Redacted.make("s3cret"),
 *       embedPassword: true
 *     })
 *   }
 *   const job = yield* Workbooks.refresh(id)
 *   yield* Effect.log(`refresh queued as job ${job.id}`)
 *   yield* Workbooks.remove(id)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { addTags, connections, refresh, remove, removeTag, update, updateConnection } = Content.operations(
  resource,
  {
    schema: Generated.WorkbookType,
    // An xs:string in the XSD, not an xs:boolean.
    fields: (changes: WorkbookChanges) => ({
      showTabs: changes.showTabs === undefined ? undefined : String(changes.showTabs)
    }),
    minimum: { update: "2.0", remove: "2.0", tags: "2.0", connections: "2.0", updateConnection: "2.3", refresh: "2.8" }
  }
)

/**
 * The views of a workbook: `Views.ofWorkbook` (`GET /sites/{siteId}/workbooks/{workbookId}/views`).
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const views = Workbooks.views("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const views = Views.ofWorkbook
