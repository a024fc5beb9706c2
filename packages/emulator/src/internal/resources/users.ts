/**
 * Users: the users of a site (members, and every server administrator) and one by id; adding a
 * user to the site, changing one and removing one, as Tableau allows them (administrators only;
 * a user removed from the site leaves its groups, and what they own goes to `mapAssetsTo`).
 *
 * The emulator gives a user one site role on every site it belongs to (Fixtures.User), so
 * adding a user of another site with a new role changes the role it has there too.
 *
 * @internal
 */
import { Generated, Users } from "@tableau-effect/client"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import type { Call, Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import { element } from "../wire.js"
import * as Writes from "../writes.js"
// The kinds below name users only inside functions, so these cycles are harmless.
import { datasources } from "./datasources.js"
import { groups, leave } from "./groups.js"
import { projects } from "./projects.js"
import { sites } from "./sites.js"
import { views } from "./views.js"
import { workbooks } from "./workbooks.js"

/**
 * `<user .../>` as Query Users on Site answers it; without `id` as Update User answers it.
 *
 * @internal
 */
export const render = (user: Fixtures.User, options: { readonly id: boolean } = { id: true }): string =>
  element("user", Generated.UserType, {
    id: options.id ? user.id : undefined,
    name: user.name,
    fullName: user.fullName,
    email: user.email,
    siteRole: user.siteRole,
    authSetting: user.authSetting ?? "ServerDefault",
    externalAuthUserId: "",
    lastLogin: user.lastLogin === undefined ? undefined : DateTime.unsafeMake(user.lastLogin)
  })

/** @internal */
export const users = Catalog.kind<Fixtures.User>("users", {
  sites: (user, catalog) =>
    Catalog.items(catalog, sites).map((site) => site.id).filter((siteId) => Fixtures.isMember(user, siteId)),
  render: (user) => render(user),
  keys: (user) => ({
    name: user.name,
    siteRole: user.siteRole,
    fullName: user.fullName,
    email: user.email,
    luid: user.id,
    lastLogin: user.lastLogin ?? "",
    // Every user of the emulator is a local one (no Active Directory, no identity pool).
    isLocal: "true",
    domainName: "local",
    domainNickname: "local",
    friendlyName: user.fullName
  }),
  initial: (fixtures) => fixtures.users
})

/** The user with this name (any case). @internal */
export const byName = (catalog: Catalog.Catalog, name: string): Fixtures.User | undefined => {
  const wanted = name.toLowerCase()
  return Catalog.items(catalog, users).find((user) => user.name.toLowerCase() === wanted)
}

/** @internal */
export const reads: Reads.Reads<Fixtures.User> = {
  kind: users,
  notFound: ApiError.userNotFound
}

/**
 * Tableau's 403 when someone who is not an administrator manages users or groups.
 *
 * @internal
 */
export const FORBIDDEN = "403078"

/**
 * 409 for a user who still owns content on the site and no `mapAssetsTo`. The stored reference
 * did not give Tableau's own code for this refusal; this one is the emulator's choice.
 */
const OWNS_CONTENT = "409000"

const isSiteRole = Schema.is(Fixtures.SiteRole)

/** A site role the emulator knows (the XSD's, less those it does not model), or 400. @internal */
export const siteRoleOf = (role: string | undefined): Effect.Effect<Fixtures.SiteRole, ApiError.ApiError> =>
  role !== undefined && isSiteRole(role)
    ? Effect.succeed(role)
    : Effect.fail(
      ApiError.badRequest(role === undefined ? "A user needs a siteRole." : `The site role '${role}' is not valid.`)
    )

/** The signed-in user, who must be an administrator of the site. @internal */
export const administrator = (call: Call, what: string) =>
  Effect.gen(function*() {
    const session = yield* Reads.sessionOf(call)
    const catalog = yield* Reads.catalogOf(call)
    const actor = yield* Writes.userOf(catalog, session)
    yield* Writes.require(Writes.isAdministrator(actor), FORBIDDEN, what)
    return { session, catalog, actor }
  })

// Only a server administrator makes, changes or removes a server administrator.
const guardServerAdmin = (actor: Fixtures.User, touched: boolean) =>
  Writes.require(!touched || Fixtures.isServerAdmin(actor), FORBIDDEN, "manage a server administrator")

const sameId = (left: string, right: string) => left.toLowerCase() === right.toLowerCase()

// A change of users changes the "All Users" groups and the counts of the groups.
const regroup = (catalog: Catalog.Catalog): Catalog.Catalog => Catalog.rerender(catalog, groups, () => true)

// What a user owns filters on its owner's email (`ownerEmail`): it is keyed again when that changes.
const rekeyOwned = (catalog: Catalog.Catalog, userId: string): Catalog.Catalog => {
  const owned = (item: { readonly ownerId: string }) => sameId(item.ownerId, userId)
  const withContent = Catalog.rerender(
    Catalog.rerender(Catalog.rerender(catalog, projects, owned), workbooks, owned),
    datasources,
    owned
  )
  return Catalog.rerender(withContent, views, (view) => {
    const workbook = Catalog.lookup(withContent, workbooks, view.workbookId)?.item
    return workbook !== undefined && owned(workbook)
  })
}

const add = fromSpec(Users.add.spec, (call) =>
  Effect.gen(function*() {
    const { actor, catalog, session } = yield* administrator(call, "add users to the site")
    const input = yield* Writes.readRequest(call, "user", Generated.UserType)
    const name = input.name?.trim() ?? ""
    if (name === "") return yield* ApiError.badRequest("A user needs a name.")
    const siteRole = yield* siteRoleOf(input.siteRole)
    yield* guardServerAdmin(actor, siteRole === "ServerAdministrator")
    const existing = byName(catalog, name)
    if (existing !== undefined && Fixtures.isMember(existing, session.siteId)) {
      return yield* Writes.conflict("409017", `The user '${name}' is already a member of this site.`)
    }
    const authSetting = input.authSetting === undefined ? {} : { authSetting: input.authSetting }
    // On Tableau Server a name the server does not know makes a new user; a known one joins the site.
    const user: Fixtures.User = existing === undefined
      ? {
        id: yield* Writes.newId,
        name,
        fullName: "",
        email: "",
        siteRole,
        siteIds: [session.siteId],
        personalAccessTokens: [],
        ...authSetting
      }
      : { ...existing, siteRole, siteIds: [...existing.siteIds, session.siteId], ...authSetting }
    yield* Writes.commit(call, (current) => regroup(Catalog.put(current, users, [user])))
    return { status: 201, xml: render(user) }
  }))

const update = fromSpec(Users.update.spec, (call) =>
  Effect.gen(function*() {
    const { actor, catalog } = yield* administrator(call, "update users")
    const { item } = yield* Reads.entryOnSite(call, catalog, reads, call.params["userId"] ?? "")
    const input = yield* Writes.readRequest(call, "user", Generated.UserType)
    const siteRole = input.siteRole === undefined ? item.siteRole : yield* siteRoleOf(input.siteRole)
    yield* guardServerAdmin(actor, Fixtures.isServerAdmin(item) || siteRole === "ServerAdministrator")
    const changed: Fixtures.User = {
      ...item,
      fullName: input.fullName ?? item.fullName,
      email: input.email ?? item.email,
      siteRole,
      ...(input.password === undefined ? {} : { password: input.password }),
      ...(input.authSetting === undefined ? {} : { authSetting: input.authSetting })
    }
    yield* Writes.commit(call, (current) => {
      const put = regroup(Catalog.put(current, users, [changed]))
      return changed.email === item.email ? put : rekeyOwned(put, item.id)
    })
    // Tableau's answer to Update User has no id.
    return { status: 200, xml: render(changed, { id: false }) }
  }))

const remove = fromSpec(Users.remove.spec, (call) =>
  Effect.gen(function*() {
    const { catalog, session } = yield* administrator(call, "remove users from the site")
    const { item } = yield* Reads.entryOnSite(call, catalog, reads, call.params["userId"] ?? "")
    // A server administrator belongs to every site by its role: it cannot leave one.
    if (Fixtures.isServerAdmin(item)) {
      return yield* Effect.fail(Writes.forbidden(FORBIDDEN, "remove a server administrator from a site"))
    }
    const site = session.siteId
    const owned = <A extends { readonly siteId: string; readonly ownerId: string }>(all: ReadonlyArray<A>) =>
      all.filter((content) => sameId(content.siteId, site) && sameId(content.ownerId, item.id))
    const ownedProjects = owned(Catalog.items(catalog, projects))
    const ownedWorkbooks = owned(Catalog.items(catalog, workbooks))
    const mapTo = call.query.get("mapAssetsTo")
    const heir = mapTo === null ? undefined : (yield* Reads.entryOnSite(call, catalog, reads, mapTo)).item
    if (heir !== undefined && sameId(heir.id, item.id)) {
      return yield* ApiError.badRequest("mapAssetsTo names the user being removed.")
    }
    if (heir === undefined && ownedProjects.length + ownedWorkbooks.length > 0) {
      return yield* Writes.conflict(
        OWNS_CONTENT,
        `The user '${item.name}' owns content on this site; change its owner, or give mapAssetsTo.`
      )
    }
    const left: Fixtures.User = { ...item, siteIds: item.siteIds.filter((id) => !sameId(id, site)) }
    yield* Writes.commit(call, (current) => {
      const moved = heir === undefined ? current : Catalog.put(
        Catalog.put(current, projects, ownedProjects.map((project) => ({ ...project, ownerId: heir.id }))),
        workbooks,
        ownedWorkbooks.map((workbook) => ({ ...workbook, ownerId: heir.id }))
      )
      // On Tableau Server a user removed from its last site stays on the server, on no site.
      return regroup(leave(Catalog.put(moved, users, [left]), site, item.id))
    })
    return Writes.noContent
  }))

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [...Reads.routes(Users.resource, reads), add, update, remove]
