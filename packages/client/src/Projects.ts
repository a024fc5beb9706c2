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
import { OwnerRef } from "./internal/refs.js"
import * as X from "./internal/xsd.js"
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
  owner: X.optional(OwnerRef)
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
  filterable: [
    "name",
    "ownerName",
    "parentProjectId",
    "createdAt",
    "updatedAt",
    "topLevelProject",
    "ownerEmail",
    "ownerDomain"
  ],
  minimum: "2.0"
})

/**
 * The list, documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/projects`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's projects, filtered and sorted by the fields above;
 * - `stream`: every project of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Filter, Projects } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Projects.page({ filter: Filter.eq("topLevelProject", true) })
 *   yield* Effect.log(items.map((project) => project.name).join(", "))
 *   const all = yield* Projects.stream({ pageSize: 1000 }).pipe(Stream.runCollect)
 *   yield* Effect.log(`${all.length} projects`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, page, stream } = resource

/**
 * How a project's content permissions are managed (the XSD's open enumeration: a value a newer
 * server adds still decodes).
 *
 * @since 0.1.0
 * @category Models
 */
export type ContentPermissions = NonNullable<Generated.ProjectType["Type"]["contentPermissions"]>

/**
 * A project to create: its name, and optionally a description, the parent project it goes in
 * and how its permissions are managed.
 *
 * @since 0.1.0
 * @category Models
 */
export interface NewProject {
  readonly name: string
  readonly description?: string | undefined
  /** The project it goes in; absent for a top-level project. */
  readonly parentProjectId?: string | undefined
  readonly contentPermissions?: ContentPermissions | undefined
}

/**
 * What to change in a project; what is left out stays as it is.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ProjectChanges extends Partial<NewProject> {}

// The caller's names are the wire's; the generated schema encodes and checks them (a
// parentProjectId that is not a LUID is refused before sending).
const projectBody = <In extends ProjectChanges>() =>
  Resource.body("project", Generated.ProjectType, (input: In) => ({
    name: input.name,
    description: input.description,
    parentProjectId: input.parentProjectId,
    contentPermissions: input.contentPermissions
  }), { luids: ["parentProjectId"] })

/**
 * Creates a project (`POST /sites/{siteId}/projects`): top-level, or inside `parentProjectId`.
 * Tableau refuses a name its siblings already have (409006) and lets only administrators, or
 * the owner of the parent project, create one (403). Never retried: a POST that failed half-way
 * may have created it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Projects } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const project = yield* Projects.create({ name: "Quarterly reports", description: "Board packs" })
 *   yield* Effect.log(`created ${project.name} (${project.id})`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const create = Resource.create(resource, { minimum: "2.0", body: projectBody<NewProject>() })

/**
 * Changes a project (`PUT /sites/{siteId}/projects/{projectId}`): name, description, parent or
 * content permissions; answers the project as it now is.
 *
 * @example
 * ```ts
 * import { Projects } from "@tableau-effect/client"
 *
 * const renamed = Projects.update("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", { name: "Archive" })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const update = Resource.update(resource, { minimum: "2.0", body: projectBody<ProjectChanges>() })

/**
 * Deletes a project (`DELETE /sites/{siteId}/projects/{projectId}`) with what it holds: its
 * workbooks, data sources and nested projects (TSC's `projects.delete`).
 *
 * @example
 * ```ts
 * import { Projects } from "@tableau-effect/client"
 *
 * const gone = Projects.remove("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const remove = Resource.remove(resource, { minimum: "2.0" })
