/**
 * The workbooks of the session's site: one page, every page as a stream, or one by id.
 *
 * Filter fields Tableau documents for workbooks include `name`, `contentUrl`, `tags`,
 * `projectName`, `ownerName`, `ownerEmail`, `createdAt`, `updatedAt`, `size`, `sheetCount`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { BooleanFromString, optional } from "./internal/fields.js"
import { Location, OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import type * as Pagination from "./Pagination.js"
import * as Resource from "./Resource.js"

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
