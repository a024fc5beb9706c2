/**
 * The groups of the session's site: one page, or every page as a stream; creating a local group,
 * renaming one, deleting one, and its members (one at a time, or many at once from API 3.21).
 *
 * Filter fields Tableau documents for groups include `name`, `domainName`, `domainNickname`,
 * `minimumSiteRole`, `isLocal`, `userCount`, `isExternalUserEnabled`, `luid`. Every site has an
 * "All Users" group that holds every user of the site; Tableau refuses to delete or rename it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Generated from "./Generated.js"
import { Group as GroupModel } from "./internal/group.js"
import * as Luid from "./internal/luid.js"
import * as Resource from "./Resource.js"
import { TableauRequestError } from "./TableauError.js"
import * as Users from "./Users.js"
import * as Xml from "./Xml.js"

/**
 * A group of the site (the XSD's `groupType`): id, name, its domain (`local` for a group made on
 * Tableau), the minimum site role it grants on sign-in, and `userCount` when Tableau sends it.
 * `minimumSiteRole` is the XSD's open enumeration, so a role a newer server adds still decodes.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Groups } from "@tableau-effect/client"
 *
 * const group = Schema.decodeUnknownSync(Groups.Group)({ id: "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", name: "Finance" })
 * console.log(group.name) // Finance
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const Group = GroupModel

/**
 * A group of the site.
 *
 * @since 0.1.0
 * @category Models
 */
export type Group = GroupModel

/**
 * The groups of a site as a resource (`/sites/{siteId}/groups`).
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * console.log(Groups.resource.list.path) // /sites/{siteId}/groups
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "groups",
  path: "/sites/{siteId}/groups",
  element: "groups",
  item: "group",
  schema: Group,
  filterable: [
    "name",
    "domainName",
    "domainNickname",
    "minimumSiteRole",
    "isLocal",
    "userCount",
    "isExternalUserEnabled",
    "luid"
  ],
  sortable: ["name", "domainName", "minimumSiteRole", "userCount"],
  minimum: "2.0"
})

/**
 * The list, documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/groups`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's groups, filtered and sorted by the fields above;
 * - `stream`: every group of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Chunk, Effect, Stream } from "effect"
 * import { Filter, Groups } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Groups.page({ filter: Filter.eq("isLocal", true) })
 *   yield* Effect.log(`${items.length} local groups`)
 *   const names = yield* Groups.stream().pipe(Stream.map((group) => group.name), Stream.runCollect)
 *   yield* Effect.log(Chunk.join(names, ", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, page, stream } = resource

/**
 * A site role, as a group grants it on sign-in (the XSD's open enumeration).
 *
 * @since 0.1.0
 * @category Models
 */
export type SiteRole = Users.SiteRole

/**
 * A local group to create: its name and, optionally, the site role it grants on sign-in.
 *
 * @since 0.1.0
 * @category Models
 */
export interface NewGroup {
  readonly name: string
  readonly minimumSiteRole?: SiteRole | undefined
}

/**
 * What to change in a group; what is left out stays as it is.
 *
 * @since 0.1.0
 * @category Models
 */
export interface GroupChanges extends Partial<NewGroup> {}

const groupBody = <In extends GroupChanges>() =>
  Resource.body("group", Generated.GroupType, (input: In) => ({
    name: input.name,
    minimumSiteRole: input.minimumSiteRole
  }))

/**
 * Creates a local group (`POST /sites/{siteId}/groups`) and answers it. A name another group of
 * the site has is a 409 conflict; only administrators may create groups. Never retried.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Groups } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const group = yield* Groups.create({ name: "Finance readers", minimumSiteRole: "Viewer" })
 *   yield* Effect.log(`created ${group.name} (${group.id})`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const create = Resource.create(resource, { minimum: "2.0", body: groupBody<NewGroup>() })

/**
 * Renames a group or changes its minimum site role (`PUT /sites/{siteId}/groups/{groupId}`);
 * answers the group as it now is. The "All Users" group cannot be renamed.
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const renamed = Groups.update("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", { name: "Finance (EMEA)" })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const update = Resource.update(resource, { minimum: "2.0", body: groupBody<GroupChanges>() })

/**
 * Deletes a group (`DELETE /sites/{siteId}/groups/{groupId}`, 204); its members stay on the
 * site. The "All Users" group cannot be deleted.
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const gone = Groups.remove("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const remove = Resource.remove(resource, { minimum: "2.0" })

// ---------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------

/**
 * The users of a group as a resource (`/sites/{siteId}/groups/{groupId}/users`).
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * console.log(Groups.members.list.path) // /sites/{siteId}/groups/{groupId}/users
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const members = Resource.make({
  name: "groups.users",
  path: "/sites/{siteId}/groups/{groupId}/users",
  element: "users",
  item: "user",
  schema: Users.User,
  filterable: [],
  sortable: [],
  minimum: "2.0"
})

/**
 * One page of the users of a group (`GET /sites/{siteId}/groups/{groupId}/users`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Groups } from "@tableau-effect/client"
 *
 * const names = Groups.users("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", { pageSize: 100 }).pipe(
 *   Effect.map(({ items }) => items.map((user) => user.name))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const users = members.page

/**
 * Every user of a group as a lazy stream.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Groups } from "@tableau-effect/client"
 *
 * const all = Groups.streamUsers("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f").pipe(Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const streamUsers = members.stream

/**
 * Adds a user of the site to a group (`POST /sites/{siteId}/groups/{groupId}/users` with
 * `<user id/>`) and answers the user. A user already in the group is a 409 conflict.
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const added = Groups.addUser("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const addUser = Resource.operation({
  span: "tableau.groups.addUser",
  method: "POST",
  path: members.definition.path,
  minimum: "2.0",
  body: Resource.body("user", Generated.UserType, (userId: string) => ({ id: userId }), { luids: ["id"] }),
  answer: Resource.answer("user", Users.User)
})

// `<users><user id/>...</users>`: each id a LUID, at least one, checked before anything is sent.
const usersBody = (() => {
  const inner = Resource.body(
    "users",
    Generated.UserListType,
    (userIds: ReadonlyArray<string>) => ({ user: userIds.map((id) => ({ id })) })
  )
  return {
    element: inner.element,
    write: (userIds: ReadonlyArray<string>) => {
      if (userIds.length === 0) {
        return Effect.fail(new TableauRequestError({ parameter: "userIds", reason: "expected at least one user id" }))
      }
      const index = userIds.findIndex((id) => !Luid.isLuid(id))
      return index < 0 ? inner.write(userIds) : Effect.fail(Luid.notALuid(`userIds[${index}]`, userIds[index]))
    }
  } satisfies Resource.Body<ReadonlyArray<string>>
})()

/**
 * Adds several users of the site to a group in one request (`POST .../groups/{groupId}/users`
 * with `<users><user id/>...</users>`, API 3.21; an older version fails with
 * `TableauVersionError` before sending) and answers the users added.
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const added = Groups.addUsers("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", [
 *   "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
 *   "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
 * ])
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const addUsers = Resource.operation({
  span: "tableau.groups.addUsers",
  method: "POST",
  path: members.definition.path,
  minimum: "3.21",
  body: usersBody,
  answer: Resource.answer("users", Xml.collection("user", Users.User))
})

/**
 * Removes a user from a group (`DELETE /sites/{siteId}/groups/{groupId}/users/{userId}`, 204);
 * the user stays on the site.
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const gone = Groups.removeUser("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const removeUser = Resource.operation({
  span: "tableau.groups.removeUser",
  method: "DELETE",
  path: members.itemPath,
  minimum: "2.0"
})

/**
 * Removes several users from a group in one request (`PUT
 * /sites/{siteId}/groups/{groupId}/users/remove` with `<users><user id/>...</users>`, API 3.21;
 * an older version fails with `TableauVersionError` before sending).
 *
 * @example
 * ```ts
 * import { Groups } from "@tableau-effect/client"
 *
 * const gone = Groups.removeUsers("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"])
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const removeUsers = Resource.operation({
  span: "tableau.groups.removeUsers",
  method: "PUT",
  path: "/sites/{siteId}/groups/{groupId}/users/remove",
  minimum: "3.21",
  body: usersBody
})
