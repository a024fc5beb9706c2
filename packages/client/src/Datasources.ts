/**
 * The published data sources of the session's site: list, get, update and delete; their tags,
 * their connections, and a refresh of their extract.
 *
 * Filter fields Tableau documents for data sources include `name`, `contentUrl`, `type`, `tags`,
 * `projectName`, `ownerName`, `isCertified`, `hasExtracts`, `createdAt`, `updatedAt`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import * as Connections from "./internal/connections.js"
import { BooleanFromString, optional } from "./internal/fields.js"
import { OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import * as TagOperations from "./internal/tags.js"
import type * as Pagination from "./Pagination.js"
import * as Resource from "./Resource.js"

const wire = Generated.DataSourceType.fields

/**
 * A published data source (the XSD's `dataSourceType`): its names, type (`postgres`, `excel-direct`,
 * `hyper`, ... as Tableau names connection types), whether it holds an extract and is certified,
 * where it lives, its owner and tag labels.
 *
 * @since 0.1.0
 * @category Models
 */
export class Datasource extends Schema.Class<Datasource>("@tableau-effect/client/Datasource")({
  id: wire.id.from,
  name: wire.name.from,
  contentUrl: wire.contentUrl,
  type: wire.type,
  description: wire.description,
  createdAt: wire.createdAt,
  updatedAt: wire.updatedAt,
  isCertified: wire.isCertified,
  certificationNote: wire.certificationNote,
  /** An xs:string in the XSD; Tableau writes `true` or `false`. */
  encryptExtracts: optional(BooleanFromString),
  hasExtracts: wire.hasExtracts,
  useRemoteQueryAgent: wire.useRemoteQueryAgent,
  /** In megabytes, as Tableau reports it. */
  size: wire.size,
  webpageUrl: wire.webpageUrl,
  /** Absent for a data source in a personal space. */
  project: optional(ProjectRef),
  owner: optional(OwnerRef),
  tags: Tags
}) {}

/**
 * The data sources of a site as a resource (`/sites/{siteId}/datasources`).
 *
 * @example
 * ```ts
 * import { Datasources } from "@tableau-effect/client"
 *
 * console.log(Datasources.resource.itemPath) // /sites/{siteId}/datasources/{datasourceId}
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "datasources",
  path: "/sites/{siteId}/datasources",
  element: "datasources",
  item: "datasource",
  schema: Datasource,
  filterable: [
    "name",
    "contentUrl",
    "type",
    "tags",
    "projectName",
    "ownerName",
    "isCertified",
    "hasExtracts",
    "createdAt",
    "updatedAt"
  ],
  sortable: ["name", "contentUrl", "type", "tags", "projectName", "ownerName", "createdAt", "updatedAt"],
  minimum: "2.0"
})

/**
 * The data sources collection (`GET /sites/{siteId}/datasources`), for `Pagination.page` and
 * `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<Datasource> = resource.collection()

/**
 * One page of the site's data sources.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Datasources, Filter } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Datasources.page({ filter: Filter.eq("isCertified", true) })
 *   yield* Effect.log(items.map((datasource) => datasource.name).join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = resource.page

/**
 * Every data source of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const all = Datasources.stream({ pageSize: 1000 }).pipe(Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = resource.stream

/**
 * One data source by id (`GET /sites/{siteId}/datasources/{datasourceId}`); an unknown id is a
 * `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const datasource = yield* Datasources.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${datasource.name}: ${datasource.hasExtracts ? "extract" : "live"}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const get = resource.get

/**
 * What to change in a data source; what is left out stays as it is. Moving it (`projectId`) or
 * giving it to another user (`ownerId`) takes LUIDs, checked before sending.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DatasourceChanges {
  readonly name?: string | undefined
  readonly projectId?: string | undefined
  readonly ownerId?: string | undefined
  readonly isCertified?: boolean | undefined
  readonly certificationNote?: string | undefined
}

/**
 * Changes a data source (`PUT /sites/{siteId}/datasources/{datasourceId}`): its name, project,
 * owner or certification; answers the data source as it now is. Tableau lets its owner, the
 * project's owner or an administrator change it (403 otherwise).
 *
 * @example
 * ```ts
 * import { Datasources } from "@tableau-effect/client"
 *
 * const certified = Datasources.update("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", {
 *   isCertified: true,
 *   certificationNote: "Reconciled with the ledger"
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const update = Resource.update(resource, {
  minimum: "2.0",
  body: Resource.body("datasource", Generated.DataSourceType, (changes: DatasourceChanges) => ({
    name: changes.name,
    isCertified: changes.isCertified,
    certificationNote: changes.certificationNote,
    project: changes.projectId === undefined ? undefined : { id: changes.projectId },
    owner: changes.ownerId === undefined ? undefined : { id: changes.ownerId },
    // A repeated element the schema defaults to none: written as nothing.
    parentDataSourceUrls: []
  }), { luids: ["project.id", "owner.id"] })
})

/**
 * Deletes a data source (`DELETE /sites/{siteId}/datasources/{datasourceId}`), answered with 204.
 *
 * @example
 * ```ts
 * import { Datasources } from "@tableau-effect/client"
 *
 * const gone = Datasources.remove("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const remove = Resource.remove(resource, { minimum: "2.0" })

const tags = TagOperations.operations(resource, "2.0")

/**
 * Adds tags to a data source (`PUT /sites/{siteId}/datasources/{datasourceId}/tags`); answers its
 * tag labels. A label holding a control character is refused before sending.
 *
 * @example
 * ```ts
 * import { Datasources } from "@tableau-effect/client"
 *
 * const labels = Datasources.addTags("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", ["finance", "gold"])
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const addTags = tags.addTags

/**
 * Removes one tag from a data source (`DELETE /sites/{siteId}/datasources/{datasourceId}/tags/{tagName}`).
 *
 * @example
 * ```ts
 * import { Datasources } from "@tableau-effect/client"
 *
 * const removed = Datasources.removeTag("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", "gold")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const removeTag = tags.removeTag

/**
 * A connection of a data source or workbook (the XSD's `connectionType`): type, server, port,
 * user name and whether the password is embedded; Tableau never answers the password.
 *
 * @since 0.1.0
 * @category Models
 */
export const Connection = Connections.Connection

/**
 * A connection.
 *
 * @since 0.1.0
 * @category Models
 */
export type Connection = Connections.Connection

/**
 * What to change in a connection: `serverAddress`, `serverPort`, `userName`, `password` (a
 * `Redacted`, never logged), `embedPassword`, `queryTaggingEnabled`.
 *
 * @since 0.1.0
 * @category Models
 */
export type ConnectionChanges = Connections.ConnectionChanges

const connectionOperations = Connections.operations(resource, {
  connections: "2.3",
  updateConnection: "2.3",
  refresh: "2.8"
})

/**
 * The connections of a data source (`GET /sites/{siteId}/datasources/{datasourceId}/connections`),
 * in one answer: Tableau does not paginate them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const connections = yield* Datasources.connections("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(connections.map((connection) => connection.serverAddress).join(", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const connections = connectionOperations.connections

/**
 * Changes a connection of a data source (`PUT .../datasources/{datasourceId}/connections/{connectionId}`);
 * answers the connection as it now is (without the password).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const moved = Datasources.updateConnection(
 *   "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f",
 *   "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
 *   { serverAddress: "db.example.com", userName: "reporting", password: Redacted.make("s3cret"), embedPassword: true }
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const updateConnection = connectionOperations.updateConnection

/**
 * Refreshes a data source's extract now (`POST /sites/{siteId}/datasources/{datasourceId}/refresh`,
 * API 2.8): answers the queued `Jobs.Job` (Tableau's 202). A data source without an extract is
 * refused with a `TableauApiError`. Never retried: a POST that failed half-way may have queued it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Datasources.refresh("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`refresh queued as job ${job.id}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const refresh = connectionOperations.refresh
