/**
 * Connections and extract refreshes, the same for workbooks and data sources: `GET
 * {item}/connections` (one answer, not paginated), `PUT {item}/connections/{connectionId}` and
 * `POST {item}/refresh`. Each resource's module makes them from its resource.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"
import * as Jobs from "../Jobs.js"
import * as Resource from "../Resource.js"
import * as Xml from "../Xml.js"
import * as X from "./xsd.js"

const wire = Generated.ConnectionType.fields
const datasource = Generated.DataSourceType.fields

/**
 * A connection of a workbook or a data source (the XSD's `connectionType`): where it connects,
 * as whom, and whether the password is embedded. Tableau never answers the password.
 *
 * @internal
 */
export class Connection extends Schema.Class<Connection>("@tableau-effect/client/Connection")({
  id: wire.id.from,
  /** The connection type: `postgres`, `sqlserver`, `hyper`, ... */
  type: wire.type,
  serverAddress: wire.serverAddress,
  serverPort: wire.serverPort,
  userName: wire.userName,
  embedPassword: wire.embedPassword,
  queryTaggingEnabled: wire.queryTaggingEnabled,
  authenticationType: wire.authenticationType,
  /** The data source a workbook's connection belongs to. */
  datasource: X.optional(X.element(Schema.Struct({ id: datasource.id.from, name: datasource.name })))
}) {}

/**
 * What to change in a connection; what is left out stays as it is. The password is `Redacted`:
 * it is written into the body and nowhere else (not in logs, spans or errors; an answer that
 * echoes it is scrubbed of it).
 *
 * @internal
 */
export interface ConnectionChanges {
  readonly serverAddress?: string | undefined
  readonly serverPort?: number | undefined
  readonly userName?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
  readonly embedPassword?: boolean | undefined
  readonly queryTaggingEnabled?: boolean | undefined
}

const body = Resource.body("connection", Generated.ConnectionType, (changes: ConnectionChanges) => ({
  serverAddress: changes.serverAddress,
  serverPort: changes.serverPort,
  userName: changes.userName,
  password: changes.password === undefined ? undefined : Redacted.value(changes.password),
  embedPassword: changes.embedPassword,
  queryTaggingEnabled: changes.queryTaggingEnabled
}))

/**
 * `connections(id)`, `updateConnection(id, connectionId, changes)` and `refresh(id)` of a
 * resource, each from the API version given.
 *
 * @internal
 */
export const operations = <A, I, const P extends string, const Item extends string>(
  resource: Resource.Resource<A, I, P, Item>,
  minimum: { readonly connections: string; readonly updateConnection: string; readonly refresh: string }
) => ({
  /** The item's connections (`GET {path}/{id}/connections`), in one answer: Tableau does not paginate them. */
  connections: Resource.action(resource, {
    name: "connections",
    method: "GET",
    suffix: "/connections",
    minimum: minimum.connections,
    answer: Resource.answer("connections", Xml.collection("connection", Connection))
  }),
  /** Changes a connection (`PUT {path}/{id}/connections/{connectionId}`); answers it without the password. */
  updateConnection: Resource.action(resource, {
    name: "updateConnection",
    method: "PUT",
    suffix: "/connections/{connectionId}",
    minimum: minimum.updateConnection,
    body,
    answer: Resource.answer("connection", Connection)
  }),
  /** Refreshes the item's extracts now (`POST {path}/{id}/refresh`); answers the queued job (202). */
  refresh: Resource.action(resource, {
    name: "refresh",
    method: "POST",
    suffix: "/refresh",
    minimum: minimum.refresh,
    body: Resource.emptyBody,
    answer: Resource.answer("job", Jobs.Job)
  })
})
