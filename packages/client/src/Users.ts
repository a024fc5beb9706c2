/**
 * The users of the session's site: one page, every page as a stream, one by id, or one by name
 * (the impersonation example needs a user id); adding a user to the site, changing one, removing
 * one, and the groups a user is in.
 *
 * Filter fields Tableau documents for users include `name`, `siteRole`, `friendlyName`,
 * `domainName`, `email`, `lastLogin`, `isLocal`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Filter from "./Filter.js"
import * as Generated from "./Generated.js"
import { Group } from "./internal/group.js"
import * as Luid from "./internal/luid.js"
import * as Pagination from "./Pagination.js"
import * as Resource from "./Resource.js"

const wire = Generated.UserType.fields

/**
 * A user of the site (the XSD's `userType`). `siteRole` is Tableau's text (`Creator`, `Explorer`,
 * `SiteAdministratorCreator`, ...): the roles the schema lists are in its type, and a role it no
 * longer lists (`Interactor`, from older servers) still decodes.
 *
 * @since 0.1.0
 * @category Models
 */
export class User extends Schema.Class<User>("@tableau-effect/client/User")({
  id: wire.id.from,
  name: wire.name.from,
  siteRole: wire.siteRole.from,
  fullName: wire.fullName,
  email: wire.email,
  authSetting: wire.authSetting,
  externalAuthUserId: wire.externalAuthUserId,
  lastLogin: wire.lastLogin,
  locale: wire.locale,
  language: wire.language
}) {}

/**
 * The users of a site as a resource (`/sites/{siteId}/users`).
 *
 * @example
 * ```ts
 * import { Users } from "@tableau-effect/client"
 *
 * console.log(Users.resource.itemPath) // /sites/{siteId}/users/{userId}
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "users",
  path: "/sites/{siteId}/users",
  element: "users",
  item: "user",
  schema: User,
  filterable: [
    "name",
    "siteRole",
    "fullName",
    "email",
    "luid",
    "lastLogin",
    "isLocal",
    "domainName",
    "domainNickname",
    "friendlyName"
  ],
  minimum: "2.0"
})

/**
 * The reads, each documented on `Resource.Resource`:
 * - `collection`: `GET /sites/{siteId}/users`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's users, filtered and sorted by the fields above;
 * - `stream`: every user of the site as a lazy stream;
 * - `get`: one user by id (`GET /sites/{siteId}/users/{userId}`); an unknown id is a
 *   `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Chunk, Effect, Stream } from "effect"
 * import { Filter, Users } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Users.page({ filter: Filter.eq("siteRole", "Viewer") })
 *   yield* Effect.log(`${items.length} viewers`)
 *   const user = yield* Users.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 *   yield* Effect.log(`${user.name} is ${user.siteRole}`)
 *   const names = yield* Users.stream().pipe(Stream.map((user) => user.name), Stream.runCollect)
 *   yield* Effect.log(Chunk.join(names, ", "))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, get, page, stream } = resource

/**
 * The user with this name, or `Option.none()`: not finding someone is an answer, not a failure.
 * It asks Tableau for `filter=name:eq:{name}`, so a name holding `,` `&` `:` `[` `]` or `|` fails
 * with `TableauRequestError` (use `Users.stream` and compare names then). An exact match wins
 * over one that differs only in case.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const aliceId = Users.findByName("alice").pipe(
 *   Effect.map(Option.map((user) => user.id))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const findByName = Effect.fn("tableau.users.findByName", { captureStackTrace: false })(function*(name: string) {
  const { items } = yield* Pagination.page(collection, { filter: Filter.eq("name", name), pageSize: 100 })
  const lower = name.toLowerCase()
  return Option.fromNullable(
    items.find((user) => user.name === name) ?? items.find((user) => user.name.toLowerCase() === lower)
  )
})

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

/**
 * A site role (the XSD's open enumeration: `Creator`, `Explorer`, `Viewer`, ...; a role a newer
 * server adds still decodes, and can be sent).
 *
 * @since 0.1.0
 * @category Models
 */
export type SiteRole = NonNullable<Generated.UserType["Type"]["siteRole"]>

/**
 * How a user signs in (`ServerDefault`, `SAML`, `OpenID`, or what a newer server adds).
 *
 * @since 0.1.0
 * @category Models
 */
export type AuthSetting = NonNullable<Generated.UserType["Type"]["authSetting"]>

/**
 * A user to add to the site: the user name (on Tableau Cloud, an email address), a site role,
 * and optionally how they sign in.
 *
 * @since 0.1.0
 * @category Models
 */
export interface NewUser {
  readonly name: string
  readonly siteRole: SiteRole
  readonly authSetting?: AuthSetting | undefined
}

/**
 * What to change in a user; what is left out stays as it is. The password is `Redacted`: it is
 * read only to write the request body, and never appears in a log, a span or an error.
 *
 * @since 0.1.0
 * @category Models
 */
export interface UserChanges {
  readonly fullName?: string | undefined
  readonly email?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
  readonly siteRole?: SiteRole | undefined
  readonly authSetting?: AuthSetting | undefined
}

/**
 * Adds a user to the site (`POST /sites/{siteId}/users`) and answers the user. On Tableau Server
 * a name the server does not know yet creates the user; a user already on the site is a
 * `TableauApiError` 409017. Only administrators may add users. Never retried: a POST that failed
 * half-way may have added them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const user = yield* Users.add({ name: "carol", siteRole: "Explorer" })
 *   yield* Effect.log(`added ${user.name} as ${user.siteRole} (${user.id})`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const add = Resource.operation({
  span: "tableau.users.add",
  method: "POST",
  path: resource.definition.path,
  minimum: "2.0",
  body: Resource.body("user", Generated.UserType, (input: NewUser) => ({
    name: input.name,
    siteRole: input.siteRole,
    authSetting: input.authSetting
  })),
  answer: Resource.answer("user", User)
})

// Tableau's answer to Update User carries no id: the caller's is put back.
const Updated = Schema.Struct({ ...User.fields, id: wire.id })

const changesBody = Resource.body("user", Generated.UserType, (input: UserChanges) => ({
  fullName: input.fullName,
  email: input.email,
  password: input.password === undefined ? undefined : Redacted.value(input.password),
  siteRole: input.siteRole,
  authSetting: input.authSetting
}))

const updateOperation = Resource.update(resource, {
  minimum: "2.0",
  body: changesBody,
  answer: Resource.answer("user", Updated)
})

/**
 * Changes a user (`PUT /sites/{siteId}/users/{userId}`): full name, email, password, site role
 * or how they sign in; answers the user as it now is. Only administrators may change users.
 *
 * @example
 * ```ts
 * import { Config, Effect } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const password = yield* Config.redacted("NEW_PASSWORD")
 *   const user = yield* Users.update("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", { siteRole: "Viewer", password })
 *   yield* Effect.log(`${user.name} is now ${user.siteRole}`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const update: Resource.Operation<[userId: string, changes: UserChanges], User> = Object.assign(
  (userId: string, changes: UserChanges) =>
    Effect.map(updateOperation(userId, changes), (answer) => new User({ ...answer, id: answer.id ?? userId })),
  { spec: updateOperation.spec }
)

/**
 * How a user leaves the site: `mapAssetsTo`, a user of the site who becomes the owner of what
 * the removed user owns.
 *
 * @since 0.1.0
 * @category Models
 */
export interface RemoveOptions {
  readonly mapAssetsTo?: string | undefined
}

const removeOperation = Resource.operation({
  span: "tableau.users.remove",
  method: "DELETE",
  path: resource.itemPath,
  minimum: "2.0",
  query: (options: RemoveOptions) => options.mapAssetsTo === undefined ? {} : { mapAssetsTo: options.mapAssetsTo }
})

/**
 * Removes a user from the site (`DELETE /sites/{siteId}/users/{userId}`, 204); the user leaves
 * the site's groups. Tableau refuses while the user owns content on the site (409) unless
 * `mapAssetsTo` names the user who takes it over; on Tableau Server a user removed from their
 * last site stays on the server, unlicensed. Only administrators may remove users.
 *
 * @example
 * ```ts
 * import { Users } from "@tableau-effect/client"
 *
 * const gone = Users.remove("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", {
 *   mapAssetsTo: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const remove: Resource.Operation<[userId: string, options?: RemoveOptions], void> = Object.assign(
  (userId: string, options: RemoveOptions = {}) =>
    options.mapAssetsTo !== undefined && !Luid.isLuid(options.mapAssetsTo)
      ? Effect.fail(Luid.notALuid("mapAssetsTo", options.mapAssetsTo))
      : removeOperation(userId, options),
  { spec: removeOperation.spec }
)

/**
 * The groups a user is in, as a resource (`/sites/{siteId}/users/{userId}/groups`, API 3.7).
 *
 * @example
 * ```ts
 * import { Users } from "@tableau-effect/client"
 *
 * console.log(Users.groupsResource.list.minimum) // 3.7
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const groupsResource = Resource.make({
  name: "users.groups",
  path: "/sites/{siteId}/users/{userId}/groups",
  element: "groups",
  item: "group",
  schema: Group,
  filterable: [],
  sortable: [],
  minimum: "3.7"
})

/**
 * One page of the groups a user is in (`GET /sites/{siteId}/users/{userId}/groups`, API 3.7;
 * an older version fails with `TableauVersionError` before sending).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const names = Users.groups("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f").pipe(
 *   Effect.map(({ items }) => items.map((group) => group.name))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const groups = groupsResource.page

/**
 * Every group a user is in, as a lazy stream.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const all = Users.streamGroups("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f").pipe(Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const streamGroups = groupsResource.stream
