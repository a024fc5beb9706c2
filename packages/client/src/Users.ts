/**
 * The users of the session's site: one page, every page as a stream, one by id, or one by name
 * (the impersonation example needs a user id).
 *
 * Filter fields Tableau documents for users include `name`, `siteRole`, `friendlyName`,
 * `domainName`, `email`, `lastLogin`, `isLocal`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Filter from "./Filter.js"
import * as Generated from "./Generated.js"
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
  filterable: ["name", "siteRole", "fullName", "email"],
  sortable: ["name", "siteRole", "fullName", "email"],
  minimum: "2.0"
})

/**
 * The users collection (`GET /sites/{siteId}/users`), for `Pagination.page` and `Pagination.stream`.
 *
 * @since 0.1.0
 * @category Models
 */
export const collection: Pagination.Collection<User> = resource.collection()

/**
 * One page of the site's users.
 *
 * @example
 * ```ts
 * import { Filter, Users } from "@tableau-effect/client"
 *
 * const viewers = Users.page({ filter: Filter.eq("siteRole", "Viewer") })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const page = resource.page

/**
 * Every user of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Users } from "@tableau-effect/client"
 *
 * const names = Users.stream().pipe(Stream.map((user) => user.name), Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const stream = resource.stream

/**
 * One user by id (`GET /sites/{siteId}/users/{userId}`); an unknown id is a `TableauApiError`
 * with status 404.
 *
 * @example
 * ```ts
 * import { Users } from "@tableau-effect/client"
 *
 * const user = Users.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const get = resource.get

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
