/**
 * Users: the users of a site (members, and every server administrator) and one by id.
 *
 * @internal
 */
import { Users } from "@tableau-effect/client"
import * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Route } from "../routes.js"
// Sites and users name each other only inside functions, so the cycle is harmless.
import { sites } from "./sites.js"

/** @internal */
export const users: Catalog.Kind<Fixtures.User> = {
  name: "users",
  id: (user) => user.id,
  sites: (user, catalog) =>
    Catalog.items(catalog, sites).map((site) => site.id).filter((siteId) => Fixtures.isMember(user, siteId)),
  render: (user) => Render.user(user),
  keys: (user) => ({ name: user.name, siteRole: user.siteRole, fullName: user.fullName, email: user.email }),
  initial: (fixtures) => fixtures.users
}

/** The user with this name (any case). @internal */
export const byName = (catalog: Catalog.Catalog, name: string): Fixtures.User | undefined => {
  const wanted = name.toLowerCase()
  return Catalog.items(catalog, users).find((user) => user.name.toLowerCase() === wanted)
}

/** @internal */
export const reads: Reads.Reads<Fixtures.User> = { kind: users, notFound: ApiError.userNotFound }

/** @internal */
export const routes: ReadonlyArray<Route> = Reads.routes(Users.resource, reads)
