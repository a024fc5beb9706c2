/**
 * The projects of the session's site: one page, or every page as a stream.
 *
 * Filter fields Tableau documents for projects include `name`, `ownerName`, `ownerEmail`,
 * `parentProjectId`, `topLevelProject`, `createdAt`, `updatedAt`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import { optional } from "./internal/fields.js"
import { OwnerRef } from "./internal/refs.js"
import type * as Pagination from "./Pagination.js"
import * as Resource from "./Resource.js"

const wire = Generated.ProjectType.fields

/**
 * A project of the site (the XSD's `projectType`). A top-level project has no `parentProjectId`.
 *
 * @since 0.1.0
 * @category Models
 */
export class Project extends Schema.Class<Project>("@tableau-effect/client/Project")({
  id: wire.id.from,
  name: wire.name.from,
  description: wire.description,
  parentProjectId: wire.parentProjectId,
  contentPermissions: wire.contentPermissions,
  controllingPermissionsProjectId: wire.controllingPermissionsProjectId,
  topLevelProject: wire.topLevelProject,
  writeable: wire.writeable,
  createdAt: wire.createdAt,
  updatedAt: wire.updatedAt,
  owner: optional(OwnerRef)
}) {}

/**
 * The projects of a site as a resource (`/sites/{siteId}/projects`).
 *
 * @example
 * ```ts
 * import { Projects } from "@tableau-effect/client"
 *
 * console.log(Projects.resource.itemPath) // /sites/{siteId}/projects/{projectId}
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "projects",
  path: "/sites/{siteId}/projects",
  element: "projects",
  item: "project",
  schema: Project,
  filterable: ["name", "ownerName", "parentProjectId", "createdAt", "updatedAt"],
  sortable: ["name", "ownerName", "parentProjectId", "createdAt", "updatedAt"],
  minimum: "2.0"
})

/**
 * The projects collection (`GET /sites/{siteId}/projects`), for `Pagination.page` and
 * `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<Project> = resource.collection()

/**
 * One page of the site's projects.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Filter, Projects } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Projects.page({ filter: Filter.eq("topLevelProject", true) })
 *   yield* Effect.log(items.map((project) => project.name).join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = resource.page

/**
 * Every project of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Projects } from "@tableau-effect/client"
 *
 * const all = Projects.stream({ pageSize: 1000 }).pipe(Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = resource.stream
