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
import * as Content from "./internal/content.js"
import { BooleanFromString } from "./internal/fields.js"
import { OwnerRef, ProjectRef, Tags } from "./internal/refs.js"
import * as X from "./internal/xsd.js"
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
  encryptExtracts: X.optional(BooleanFromString),
  hasExtracts: wire.hasExtracts,
  useRemoteQueryAgent: wire.useRemoteQueryAgent,
  /** In megabytes, as Tableau reports it. */
  size: wire.size,
  webpageUrl: wire.webpageUrl,
  /** Absent for a data source in a personal space. */
  project: X.optional(ProjectRef),
  owner: X.optional(OwnerRef),
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
    "updatedAt",
    "ownerEmail",
    "ownerDomain",
    "description",
    "size",
    "isPublished",
    "favoritesTotal",
    "hasAlert"
  ],
  minimum: "2.0"
})

/**
 * The reads, each documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/datasources`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's data sources, filtered and sorted by the fields above;
 * - `stream`: every data source of the site as a lazy stream;
 * - `get`: one data source by id (`GET /sites/{siteId}/datasources/{datasourceId}`); an unknown
 *   id is a `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Datasources, Filter } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Datasources.page({ filter: Filter.eq("isCertified", true) })
 *   yield* Effect.log(items.map((datasource) => datasource.name).join(", "))
 *   const datasource = yield* Datasources.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${datasource.name}: ${datasource.hasExtracts ? "extract" : "live"}`)
 *   const all = yield* Datasources.stream({ pageSize: 1000 }).pipe(Stream.runCollect)
 *   yield* Effect.log(`${all.length} data sources`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, get, page, stream } = resource

/**
 * What to change in a data source (its name, project and owner, see `ContentChanges`, and its
 * certification); what is left out stays as it is.
 *
 * @since 0.1.0
 * @category Models
 */
export interface DatasourceChanges extends Content.ContentChanges {
  readonly isCertified?: boolean | undefined
  readonly certificationNote?: string | undefined
}

/**
 * The writes and actions of a data source, as every kind of published content has them:
 * - `update(id, changes)`: `PUT /sites/{siteId}/datasources/{datasourceId}`, its name, project,
 *   owner or certification; answers the data source as it now is. Tableau lets its owner, the
 *   project's owner or an administrator change it (403 otherwise).
 * - `remove(id)`: `DELETE /sites/{siteId}/datasources/{datasourceId}`, answered with 204.
 * - `addTags(id, labels)`: `PUT .../datasources/{datasourceId}/tags`; answers its tag labels. A
 *   label holding a control character is refused before sending.
 * - `removeTag(id, label)`: `DELETE .../datasources/{datasourceId}/tags/{tagName}`.
 * - `connections(id)`: `GET .../datasources/{datasourceId}/connections` (API 2.3), in one
 *   answer: Tableau does not paginate them.
 * - `updateConnection(id, connectionId, changes)`: `PUT .../connections/{connectionId}` (API
 *   2.3); answers the connection as it now is, without the password (a `Redacted`, never logged).
 * - `refresh(id)`: `POST .../datasources/{datasourceId}/refresh` (API 2.8) refreshes the extract
 *   now and answers the queued `Jobs.Job` (Tableau's 202). A data source without an extract is
 *   refused with a `TableauApiError`. Never retried: a POST that failed half-way may have queued it.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Datasources } from "@tableau-effect/client"
 *
 * const id = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"
 * const program = Effect.gen(function*() {
 *   yield* Datasources.update(id, { isCertified: true, certificationNote: "Reconciled with the ledger" })
 *   yield* Datasources.addTags(id, ["finance", "gold"])
 *   yield* Datasources.removeTag(id, "gold")
 *   const [connection] = yield* Datasources.connections(id)
 *   if (connection !== undefined) {
 *     yield* Datasources.updateConnection(id, connection.id, {
 *       serverAddress: "db.example.com",
 *       userName: "reporting",
 *       password: Redacted.make("s3cret"),
 *       embedPassword: true
 *     })
 *   }
 *   const job = yield* Datasources.refresh(id)
 *   yield* Effect.log(`refresh queued as job ${job.id}`)
 *   yield* Datasources.remove(id)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { addTags, connections, refresh, remove, removeTag, update, updateConnection } = Content.operations(
  resource,
  {
    schema: Generated.DataSourceType,
    fields: (changes: DatasourceChanges) => ({
      isCertified: changes.isCertified,
      certificationNote: changes.certificationNote,
      // A repeated element the schema defaults to none: written as nothing.
      parentDataSourceUrls: []
    }),
    minimum: { update: "2.0", remove: "2.0", tags: "2.0", connections: "2.3", updateConnection: "2.3", refresh: "2.8" }
  }
)

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
