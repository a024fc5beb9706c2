/**
 * What workbooks, data sources and views share, written once: who may change an item (its
 * owner, the owner of its project, an administrator), the checks of an update (its name, its
 * project, its owner), its tags (`PUT .../tags`, `DELETE .../tags/{tagName}`), its connections
 * (a kind of their own, listed and changed per item), and the refresh of its extract (a job, or
 * Tableau's refusal when there is no extract).
 *
 * @internal
 */
import type { Resource } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Call, Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import { element, Generated } from "../wire.js"
import * as Writes from "../writes.js"
import * as Jobs from "./jobs.js"
import { users } from "./users.js"

/** Tableau's code for a refused change of content. @internal */
export const FORBIDDEN = "403004"

/** An item of content: each has its tags. @internal */
export interface Tagged {
  readonly tags: ReadonlyArray<string>
}

/** How the shared routes see one kind of content. @internal */
export interface Content<A extends Tagged> {
  readonly reads: Reads.Reads<A>
  /** `workbook`, `datasource`, `view`: the path parameter is `{what}Id`, and errors name it. */
  readonly what: "workbook" | "datasource" | "view"
  readonly ownerOf: (item: A, catalog: Catalog.Catalog) => string
  /** The owner of the item's project, if it is in one. */
  readonly projectOwnerOf: (item: A, catalog: Catalog.Catalog) => string | undefined
}

/** The item of the path on the call's site, or the kind's 404. @internal */
export const itemOf = <A extends Tagged>(call: Call, catalog: Catalog.Catalog, content: Content<A>) =>
  Reads.entryOnSite(call, catalog, content.reads, call.params[`${content.what}Id`] ?? "")

/**
 * Whether the user may change content owned by `ownerId` in a project owned by `projectOwnerId`:
 * an administrator, its owner, or the owner of its project. (Tableau's capabilities per group
 * are not emulated.)
 *
 * @internal
 */
export const mayEdit = (user: Fixtures.User, ownerId: string, projectOwnerId: string | undefined): boolean =>
  Writes.isAdministrator(user) || user.id.toLowerCase() === ownerId.toLowerCase() ||
  projectOwnerId?.toLowerCase() === user.id.toLowerCase()

/** The item of the path, the signed-in user, and the catalog, once the user may change the item. @internal */
export const editable = <A extends Tagged>(call: Call, content: Content<A>, action: string) =>
  Effect.gen(function*() {
    const session = yield* Reads.sessionOf(call)
    const catalog = yield* Reads.catalogOf(call)
    const user = yield* Writes.userOf(catalog, session)
    const entry = yield* itemOf(call, catalog, content)
    yield* Writes.require(
      mayEdit(user, content.ownerOf(entry.item, catalog), content.projectOwnerOf(entry.item, catalog)),
      FORBIDDEN,
      `${action} this ${content.what}`
    )
    return { session, catalog, user, entry }
  })

// The project an item moves to: one of the site's, where the user is an administrator or the
// project's owner (Tableau's publish capability on the project, kept simple).
const checkMove = (
  call: Call,
  user: Fixtures.User,
  projectId: string,
  target: Catalog.Entry<Fixtures.Project> | undefined
) =>
  Effect.gen(function*() {
    const siteId = (call.params["siteId"] ?? "").toLowerCase()
    if (target === undefined || !target.sites.includes(siteId)) {
      return yield* ApiError.make(404, "404005", "Resource Not Found", `Project '${projectId}' could not be found.`)
    }
    yield* Writes.require(
      Writes.isAdministrator(user) || target.item.ownerId.toLowerCase() === user.id.toLowerCase(),
      FORBIDDEN,
      "move content to this project"
    )
  })

/**
 * The new owner of an item (content, or a project): a user of the site, given by an
 * administrator only (403004, then 404002 for a user the site does not have).
 *
 * @internal
 */
export const checkOwner = (call: Call, catalog: Catalog.Catalog, user: Fixtures.User, ownerId: string) =>
  Effect.gen(function*() {
    yield* Writes.require(Writes.isAdministrator(user), FORBIDDEN, "change the owner of content")
    const siteId = (call.params["siteId"] ?? "").toLowerCase()
    const owner = Catalog.lookup(catalog, users, ownerId)
    if (owner === undefined || !owner.sites.includes(siteId)) return yield* ApiError.userNotFound(ownerId)
  })

/** What every update of content may ask: a new name, project or owner. @internal */
export interface Changes {
  readonly name?: string | undefined
  readonly project?: { readonly id?: string | undefined } | undefined
  readonly owner?: { readonly id?: string | undefined } | undefined
}

/** How an update reads its request. @internal */
export interface UpdateOptions<I> {
  /**
   * The `<what>` of the request, as `Writes.readRequest` reads it, run once the user may change
   * the item. Made before the call, not inside it: there, tsc infers the wire schema against
   * `Changes` and gives up (TS2589, type instantiation excessively deep).
   */
  readonly request: Effect.Effect<I, ApiError.ApiError>
  /** The caller gives the kind: projects.ts imports the content kinds, so this module does not import it. */
  readonly projects: Catalog.Kind<Fixtures.Project>
  /** The kind's own checks of the request, made before those of the move and of the owner. */
  readonly check?: ((input: I) => Effect.Effect<void, ApiError.ApiError>) | undefined
}

/**
 * The item of the path and the `<what>` of the request, once the update may be made: the user
 * may change the item, a new name is not empty, the kind's own checks pass, and the user may move
 * the item to the project named and give it the owner named.
 *
 * @internal
 */
export const readUpdate = <
  A extends Tagged & { readonly projectId?: string | undefined; readonly ownerId: string },
  I extends Changes
>(
  call: Call,
  content: Content<A>,
  options: UpdateOptions<I>
) =>
  Effect.gen(function*() {
    const { catalog, entry: { item }, user } = yield* editable(call, content, "update")
    const input = yield* options.request
    if (input.name !== undefined && input.name.trim() === "") {
      return yield* ApiError.badRequest("A name cannot be empty.")
    }
    if (options.check !== undefined) yield* options.check(input)
    const projectId = input.project?.id
    if (projectId !== undefined && projectId.toLowerCase() !== item.projectId?.toLowerCase()) {
      yield* checkMove(call, user, projectId, Catalog.lookup(catalog, options.projects, projectId))
    }
    const ownerId = input.owner?.id
    if (ownerId !== undefined && ownerId.toLowerCase() !== item.ownerId.toLowerCase()) {
      yield* checkOwner(call, catalog, user, ownerId)
    }
    return { catalog, item, user, input }
  })

// Tags compare without case, as Tableau's do; the first spelling stays.
const merge = (current: ReadonlyArray<string>, added: ReadonlyArray<string>): Array<string> => {
  const seen = new Set(current.map((tag) => tag.toLowerCase()))
  const merged = [...current]
  for (const tag of added) {
    if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase())
      merged.push(tag)
    }
  }
  return merged
}

/**
 * The filter and sort keys every kind of content has: its names, tags and times, its project's
 * name and its owner's name, email and domain (the emulator's users are all local).
 *
 * @internal
 */
export const keys = (
  catalog: Catalog.Catalog,
  item: {
    readonly name: string
    readonly contentUrl: string
    readonly tags: ReadonlyArray<string>
    readonly createdAt: string
    readonly updatedAt: string
  },
  where: { readonly projectName: string | undefined; readonly ownerId: string | undefined }
) => {
  const owner = where.ownerId === undefined ? undefined : Catalog.lookup(catalog, users, where.ownerId)?.item
  return {
    name: item.name,
    contentUrl: item.contentUrl,
    tags: item.tags,
    projectName: where.projectName ?? "",
    ownerName: owner?.name ?? "",
    ownerEmail: owner?.email ?? "",
    ownerDomain: "local",
    createdAt: item.createdAt,
    updatedAt: item.updatedAt
  }
}

/** `<tags>` of labels. @internal */
export const renderTags = (labels: ReadonlyArray<string>): string =>
  Render.collection("tags", labels.map((label) => element("tag", Generated.TagType, { label })).join(""))

/**
 * The tag routes of a kind: `addTags` answers every tag the item now has; `removeTag` of a tag
 * it does not have is a 404. Both need the right to change the item.
 *
 * @internal
 */
export const tagRoutes = <A extends Tagged>(
  content: Content<A>,
  operations: {
    readonly addTags: { readonly spec: Resource.Spec }
    readonly removeTag: { readonly spec: Resource.Spec }
  },
  /** What else must render again when the item changed (views show nothing of a workbook's tags). */
  after: (catalog: Catalog.Catalog) => Catalog.Catalog = (catalog) => catalog
): ReadonlyArray<Route> => [
  fromSpec(operations.addTags.spec, (call) =>
    Effect.gen(function*() {
      const { entry } = yield* editable(call, content, "tag")
      const input = yield* Writes.readRequest(call, "tags", Generated.TagListType)
      const labels = input.tag.map((tag) => tag.label.trim()).filter((label) => label.length > 0)
      if (labels.length === 0) return yield* ApiError.badRequest("The request names no tag.")
      const tags = merge(entry.item.tags, labels)
      yield* Writes.commit(
        call,
        (current) => after(Catalog.put(current, content.reads.kind, [{ ...entry.item, tags }]))
      )
      return { status: 200, xml: renderTags(tags) }
    })),
  fromSpec(operations.removeTag.spec, (call) =>
    Effect.gen(function*() {
      const { entry } = yield* editable(call, content, "tag")
      const label = (call.params["tagName"] ?? "").toLowerCase()
      const current = entry.item.tags
      if (!current.some((tag) => tag.toLowerCase() === label)) {
        return yield* ApiError.notFound(`The ${content.what} has no tag '${call.params["tagName"] ?? ""}'.`)
      }
      const tags = current.filter((tag) => tag.toLowerCase() !== label)
      yield* Writes.commit(call, (now) => after(Catalog.put(now, content.reads.kind, [{ ...entry.item, tags }])))
      return Writes.noContent
    }))
]

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

/** A connection of a workbook or data source. The password is kept and never rendered. @internal */
export interface Connection {
  readonly id: string
  readonly siteId: string
  readonly parent: { readonly what: "workbook" | "datasource"; readonly id: string }
  readonly type: string
  readonly serverAddress?: string | undefined
  readonly serverPort?: number | undefined
  readonly userName?: string | undefined
  readonly password?: string | undefined
  readonly embedPassword: boolean
  readonly queryTaggingEnabled: boolean
  /** Whether it is an extract: a workbook with one can be refreshed. */
  readonly extract: boolean
  /** The data source a workbook's connection belongs to. */
  readonly datasource?: { readonly id: string; readonly name: string } | undefined
}

/** `<connection>` as Tableau answers it: never with the password. @internal */
export const renderConnection = (connection: Connection): string =>
  element("connection", Generated.ConnectionType, {
    id: connection.id,
    type: connection.type,
    serverAddress: connection.serverAddress,
    serverPort: connection.serverPort,
    userName: connection.userName,
    embedPassword: connection.embedPassword,
    queryTaggingEnabled: connection.queryTaggingEnabled
  }, connection.datasource === undefined ? "" : element("datasource", Generated.DataSourceType, connection.datasource))

/** The connections of every workbook and data source; their first ones come with the content's kinds. @internal */
export const connections = Catalog.kind<Connection>("connections", {
  sites: Catalog.onItsSite,
  render: renderConnection
})

/** The connections of an item, in order. @internal */
export const connectionsOf = (catalog: Catalog.Catalog, parentId: string): Array<Catalog.Entry<Connection>> => {
  const wanted = parentId.toLowerCase()
  return Catalog.entries(catalog, connections).filter((entry) => entry.item.parent.id.toLowerCase() === wanted)
}

/** The catalog without the connections of these items (deleted with them). @internal */
export const withoutConnectionsOf = (catalog: Catalog.Catalog, parentIds: ReadonlyArray<string>): Catalog.Catalog => {
  const doomed = new Set(parentIds.map((id) => id.toLowerCase()))
  const ids = Catalog.items(catalog, connections).filter((connection) => doomed.has(connection.parent.id.toLowerCase()))
  return ids.length === 0 ? catalog : Catalog.remove(catalog, connections, ids.map((connection) => connection.id))
}

/**
 * The connection routes of a kind: the list (anyone who can read the item), and the change of
 * one (who may change the item). A connection of another item is a 404.
 *
 * @internal
 */
export const connectionRoutes = <A extends Tagged>(
  content: Content<A>,
  operations: {
    readonly connections: { readonly spec: Resource.Spec }
    readonly updateConnection: { readonly spec: Resource.Spec }
  }
): ReadonlyArray<Route> => [
  fromSpec(operations.connections.spec, (call) =>
    Effect.gen(function*() {
      yield* Reads.sessionOf(call)
      const catalog = yield* Reads.catalogOf(call)
      const { item } = yield* itemOf(call, catalog, content)
      const id = content.reads.kind.id(item)
      return {
        status: 200,
        xml: Render.collection("connections", connectionsOf(catalog, id).map((e) => e.xml).join(""))
      }
    })),
  fromSpec(operations.updateConnection.spec, (call) =>
    Effect.gen(function*() {
      const { catalog, entry } = yield* editable(call, content, "change the connections of")
      const connectionId = call.params["connectionId"] ?? ""
      const found = Catalog.lookup(catalog, connections, connectionId)
      if (
        found === undefined ||
        found.item.parent.id.toLowerCase() !== content.reads.kind.id(entry.item).toLowerCase()
      ) {
        return yield* ApiError.notFound(`Connection '${connectionId}' could not be found.`)
      }
      const input = yield* Writes.readRequest(call, "connection", Generated.ConnectionType)
      const changed: Connection = {
        ...found.item,
        serverAddress: input.serverAddress ?? found.item.serverAddress,
        serverPort: input.serverPort ?? found.item.serverPort,
        userName: input.userName ?? found.item.userName,
        password: input.password ?? found.item.password,
        embedPassword: input.embedPassword ?? found.item.embedPassword,
        queryTaggingEnabled: input.queryTaggingEnabled ?? found.item.queryTaggingEnabled
      }
      yield* Writes.commit(call, (current) => Catalog.put(current, connections, [changed]))
      return { status: 200, xml: renderConnection(changed) }
    }))
]

/**
 * The refresh route of a kind: who may change the item starts a RefreshExtract job (202); an
 * item without an extract is refused with 400000, naming it (Tableau's code for this case is
 * not documented; a 400 is what it is documented to answer for a request it cannot run).
 *
 * @internal
 */
export const refreshRoute = <A extends Tagged>(
  content: Content<A>,
  operation: { readonly spec: Resource.Spec },
  describe: (item: A, catalog: Catalog.Catalog) => { readonly name: string; readonly hasExtracts: boolean }
): Route =>
  fromSpec(operation.spec, (call) =>
    Effect.gen(function*() {
      const { catalog, entry, session } = yield* editable(call, content, "refresh")
      const { hasExtracts, name } = describe(entry.item, catalog)
      if (!hasExtracts) {
        return yield* ApiError.badRequest(`The ${content.what} '${name}' has no extract to refresh.`)
      }
      return yield* Jobs.start(call, session.siteId, "RefreshExtract", {
        kind: content.what === "datasource" ? "datasource" : "workbook",
        id: content.reads.kind.id(entry.item),
        name
      })
    }))

/** A spec'd operation of the client. */
interface Operation {
  readonly spec: Resource.Spec
}

/**
 * Every route of published content (workbooks, data sources), in the order the handler tries
 * them: the reads, the kind's own update and delete, tags, connections and the extract refresh.
 *
 * @internal
 */
export const publishedRoutes = <A extends Tagged, C, I, P extends string, Item extends string>(
  content: Content<A>,
  client: {
    readonly resource: Resource.Resource<C, I, P, Item>
    readonly addTags: Operation
    readonly removeTag: Operation
    readonly connections: Operation
    readonly updateConnection: Operation
    readonly refresh: Operation
  },
  own: {
    readonly update: Route
    readonly remove: Route
    readonly describe: (item: A, catalog: Catalog.Catalog) => { readonly name: string; readonly hasExtracts: boolean }
  }
): ReadonlyArray<Route> => [
  ...Reads.routes(client.resource, content.reads),
  own.update,
  own.remove,
  ...tagRoutes(content, client),
  ...connectionRoutes(content, client),
  refreshRoute(content, client.refresh, own.describe)
]
