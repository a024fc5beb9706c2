/**
 * The workbooks of the session's site: one page, every page as a stream, or one by id.
 *
 * Filter fields Tableau documents for workbooks include `name`, `contentUrl`, `tags`,
 * `projectName`, `ownerName`, `ownerEmail`, `createdAt`, `updatedAt`, `size`, `sheetCount`.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { BooleanFromString, optional } from "./internal/fields.js"
import { Location, OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import { getById } from "./internal/resource.js"
import * as Pagination from "./Pagination.js"
import type { TableauError } from "./TableauError.js"
import type { TableauSession } from "./TableauSession.js"

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
 * The workbooks collection (`GET /sites/{siteId}/workbooks`), for `Pagination.page` and
 * `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<Workbook> = Pagination.collection({
  name: "workbooks",
  path: "/sites/{siteId}/workbooks",
  url: (state) => `/sites/${state.siteId}/workbooks`,
  element: "workbooks",
  item: "workbook",
  schema: Workbook
})

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
export const page = (options: Pagination.PageOptions = {}) => Pagination.page(collection, options)

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
export const stream = (options: Pagination.StreamOptions = {}) => Pagination.stream(collection, options)

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
export const get: (id: string) => Effect.Effect<Workbook, TableauError, TableauSession> = getById({
  collection: "workbooks",
  element: "workbook",
  schema: Workbook
})
