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
import * as Connections from "./internal/connections.js"
import { BooleanFromString, optional } from "./internal/fields.js"
import { Location, OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import * as TagOperations from "./internal/tags.js"
import type * as Pagination from "./Pagination.js"
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
  showTabs: optional(BooleanFromString),
  /** In megabytes, as Tableau reports it. */
  size: wire.size,
  defaultViewId: wire.defaultViewId,
  /** An xs:string in the XSD; Tableau writes `true` or `false`. */
  encryptExtracts: optional(BooleanFromString),
  createdAt: wire.createdAt.from,
  updatedAt: wire.updatedAt.from,
  /** Absent for a workbook in a personal space. */
  project: optional(ProjectRef),
  location: optional(Location),
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
  filterable: ["name", "contentUrl", "tags", "projectName", "ownerName", "createdAt", "updatedAt"],
  sortable: ["name", "contentUrl", "tags", "projectName", "ownerName", "createdAt", "updatedAt"],
  minimum: "2.3"
})

/**
 * The workbooks collection (`GET /sites/{siteId}/workbooks`), for `Pagination.page` and
 * `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<Workbook> = resource.collection()

/**
 * One page of the site's workbooks.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Filter, Sort, Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items, pagination } = yield* Workbooks.page({
 *     pageSize: 50,
 *     filter: Filter.in("tags", ["sales", "finance"]),
 *     sort: Sort.desc("updatedAt")
 *   })
 *   yield* Effect.log(`${items.length} of ${pagination.totalAvailable} workbooks`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = resource.page

/**
 * Every workbook of the site as a lazy stream, page after page (or `concurrency` pages at once).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const count = Workbooks.stream({ pageSize: 1000, concurrency: 4 }).pipe(Stream.runCount)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = resource.stream

/**
 * One workbook by id (`GET /sites/{siteId}/workbooks/{workbookId}`); an unknown id is a
 * `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const workbook = yield* Workbooks.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${workbook.name} in ${workbook.project?.name ?? "a personal space"}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const get = resource.get

/**
 * What to change in a workbook; what is left out stays as it is. Moving it (`projectId`) or
 * giving it to another user (`ownerId`) takes LUIDs, checked before sending.
 *
 * @since 0.1.0
 * @category Models
 */
export interface WorkbookChanges {
  readonly name?: string | undefined
  readonly projectId?: string | undefined
  readonly ownerId?: string | undefined
  readonly showTabs?: boolean | undefined
}

/**
 * Changes a workbook (`PUT /sites/{siteId}/workbooks/{workbookId}`): its name, project, owner or
 * whether it shows tabs; answers the workbook as it now is. Tableau lets its owner, the project's
 * owner or an administrator change it (403 otherwise).
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const renamed = Workbooks.update("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", { name: "Sales 2026", showTabs: true })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const update = Resource.update(resource, {
  minimum: "2.0",
  body: Resource.body("workbook", Generated.WorkbookType, (changes: WorkbookChanges) => ({
    name: changes.name,
    // An xs:string in the XSD, not an xs:boolean.
    showTabs: changes.showTabs === undefined ? undefined : String(changes.showTabs),
    project: changes.projectId === undefined ? undefined : { id: changes.projectId },
    owner: changes.ownerId === undefined ? undefined : { id: changes.ownerId }
  }), { luids: ["project.id", "owner.id"] })
})

/**
 * Deletes a workbook and its views (`DELETE /sites/{siteId}/workbooks/{workbookId}`), answered
 * with 204.
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const gone = Workbooks.remove("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const remove = Resource.remove(resource, { minimum: "2.0" })

const tags = TagOperations.operations(resource, "2.0")

/**
 * Adds tags to a workbook (`PUT /sites/{siteId}/workbooks/{workbookId}/tags`); answers its tag
 * labels. A label holding a control character is refused before sending.
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const labels = Workbooks.addTags("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", ["board", "2026"])
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const addTags = tags.addTags

/**
 * Removes one tag from a workbook (`DELETE /sites/{siteId}/workbooks/{workbookId}/tags/{tagName}`).
 *
 * @example
 * ```ts
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const removed = Workbooks.removeTag("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", "board")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const removeTag = tags.removeTag

const connectionOperations = Connections.operations(resource, {
  connections: "2.0",
  updateConnection: "2.3",
  refresh: "2.8"
})

/**
 * The connections of a workbook (`GET /sites/{siteId}/workbooks/{workbookId}/connections`), in
 * one answer: Tableau does not paginate them. Each names the data source it belongs to.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const connections = yield* Workbooks.connections("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(connections.map((connection) => connection.type).join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const connections = connectionOperations.connections

/**
 * Changes a connection of a workbook (`PUT .../workbooks/{workbookId}/connections/{connectionId}`);
 * answers the connection as it now is (without the password, which is `Redacted` and never logged).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const changed = Workbooks.updateConnection(
 *   "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f",
 *   "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
 *   { userName: "reporting", password: Redacted.make("s3cret"), embedPassword: true }
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const updateConnection = connectionOperations.updateConnection

/**
 * Refreshes a workbook's extracts now (`POST /sites/{siteId}/workbooks/{workbookId}/refresh`,
 * API 2.8): answers the queued `Jobs.Job` (Tableau's 202). A workbook without an extract is
 * refused with a `TableauApiError`. Never retried: a POST that failed half-way may have queued it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Workbooks } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Workbooks.refresh("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`refresh queued as job ${job.id}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const refresh = connectionOperations.refresh

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
