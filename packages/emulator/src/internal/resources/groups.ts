/**
 * Groups: the groups of a site and their members, as Tableau keeps them. Every site has an
 * "All Users" group holding every user of the site, which cannot be deleted, renamed, or have a
 * member added or taken away by hand; group names are unique per site; only administrators
 * create, change or delete groups or their members; a user removed from the site leaves its
 * groups (see `leave`).
 *
 * @internal
 */
import { Generated, Groups, Users } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import { luid } from "../luid.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Call, Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import { element } from "../wire.js"
import * as Writes from "../writes.js"
import * as Xml from "../xml.js"
import { administrator, reads as userReads, siteRoleOf, users } from "./users.js"

/** A group of a site. @internal */
export interface Group {
  readonly id: string
  readonly siteId: string
  readonly name: string
  readonly minimumSiteRole?: Fixtures.SiteRole
  /** The "All Users" group: every user of the site is a member, whatever `memberIds` holds. */
  readonly allUsers: boolean
  readonly memberIds: ReadonlyArray<string>
}

/** The name of the group every site has. @internal */
export const ALL_USERS = "All Users"

/** 404 for a group the site does not have. @internal */
export const GROUP_NOT_FOUND = "404012"

/** 409 for a name another group of the site has. */
const NAME_TAKEN = "409009"

/** 409 for a user who is in the group already. */
const ALREADY_MEMBER = "409011"

/**
 * 403 for a change to the "All Users" group (delete, rename, members by hand). The stored
 * reference did not give Tableau's own code for this refusal; this one is the emulator's choice.
 */
const ALL_USERS_FIXED = "403010"

const same = (left: string, right: string) => left.toLowerCase() === right.toLowerCase()

/** The entries of the users of a group, in the users' order. @internal */
export const membersOf = (catalog: Catalog.Catalog, group: Group): Array<Catalog.Entry<Fixtures.User>> => {
  const ids = new Set(group.memberIds.map((id) => id.toLowerCase()))
  return Reads.entriesOnSite(catalog, userReads, group.siteId).filter((entry) =>
    group.allUsers || ids.has(entry.item.id.toLowerCase())
  )
}

const render = (group: Group, catalog: Catalog.Catalog): string =>
  element("group", Generated.GroupType, {
    id: group.id,
    name: group.name,
    minimumSiteRole: group.minimumSiteRole,
    userCount: membersOf(catalog, group).length
  }, element("domain", Generated.DomainDirectiveType, { name: "local" }))

// The default groups: "All Users" on every site, and with the default fixtures "Analysts"
// (alice and bob) on the Default site and "Campaign Team" (alice) on MarketingTeam.
const initial = (fixtures: Fixtures.Fixtures): ReadonlyArray<Group> => {
  const out: Array<Group> = fixtures.sites.map((site) => ({
    id: luid(`group/${site.contentUrl}/${ALL_USERS}`),
    siteId: site.id,
    name: ALL_USERS,
    allUsers: true,
    memberIds: []
  }))
  const local = (
    siteId: string,
    id: string,
    name: string,
    memberIds: ReadonlyArray<string>,
    role?: Fixtures.SiteRole
  ) => {
    if (!fixtures.sites.some((site) => site.id === siteId)) return
    const members = memberIds.filter((userId) =>
      fixtures.users.some((user) => user.id === userId && Fixtures.isMember(user, siteId))
    )
    out.push({
      id,
      siteId,
      name,
      allUsers: false,
      memberIds: members,
      ...(role === undefined ? {} : { minimumSiteRole: role })
    })
  }
  const { groups: groupIds, sites, users: userIds } = Fixtures.ids
  local(sites.default, groupIds.analysts, "Analysts", [userIds.alice, userIds.bob])
  local(sites.marketing, groupIds.campaignTeam, "Campaign Team", [userIds.alice], "Explorer")
  return out
}

/** @internal */
export const groups = Catalog.kind<Group>("groups", {
  sites: Catalog.onItsSite,
  render,
  keys: (group, catalog) => ({
    name: group.name,
    domainName: "local",
    domainNickname: "local",
    minimumSiteRole: group.minimumSiteRole ?? "",
    isLocal: "true",
    userCount: String(membersOf(catalog, group).length),
    isExternalUserEnabled: "false",
    luid: group.id
  }),
  initial
})

/** @internal */
export const reads: Reads.Reads<Group> = {
  kind: groups,
  notFound: (id) => ApiError.make(404, GROUP_NOT_FOUND, "Resource Not Found", `Group '${id}' could not be found.`)
}

/** The catalog with the user out of every group of the site. @internal */
export const leave = (catalog: Catalog.Catalog, siteId: string, userId: string): Catalog.Catalog => {
  const changed = Catalog.items(catalog, groups)
    .filter((group) => same(group.siteId, siteId) && group.memberIds.some((id) => same(id, userId)))
    .map((group) => ({ ...group, memberIds: group.memberIds.filter((id) => !same(id, userId)) }))
  return changed.length === 0 ? catalog : Catalog.put(catalog, groups, changed)
}

const nameTaken = (catalog: Catalog.Catalog, siteId: string, name: string, except?: string): boolean =>
  Catalog.items(catalog, groups).some((other) =>
    same(other.siteId, siteId) && other.id !== except && same(other.name, name)
  )

const taken = (name: string) => Writes.conflict(NAME_TAKEN, `A group named '${name}' already exists on this site.`)

const fixed = (what: string) =>
  ApiError.make(403, ALL_USERS_FIXED, "Forbidden", `The '${ALL_USERS}' group cannot ${what}.`)

const groupOf = (call: Call, catalog: Catalog.Catalog) =>
  Effect.map(Reads.entryOnSite(call, catalog, reads, call.params["groupId"] ?? ""), (entry) => entry.item)

const create = fromSpec(Groups.create.spec, (call) =>
  Effect.gen(function*() {
    const { catalog, session } = yield* administrator(call, "create groups")
    const input = yield* Writes.readRequest(call, "group", Generated.GroupType)
    const name = input.name?.trim() ?? ""
    if (name === "") return yield* ApiError.badRequest("A group needs a name.")
    if (nameTaken(catalog, session.siteId, name)) return yield* taken(name)
    const role = input.minimumSiteRole === undefined ? undefined : yield* siteRoleOf(input.minimumSiteRole)
    const group: Group = {
      id: yield* Writes.newId,
      siteId: session.siteId,
      name,
      allUsers: false,
      memberIds: [],
      ...(role === undefined ? {} : { minimumSiteRole: role })
    }
    yield* Writes.commit(call, (current) => Catalog.put(current, groups, [group]))
    return yield* Writes.answer(call, groups, group.id, 201)
  }))

const update = fromSpec(Groups.update.spec, (call) =>
  Effect.gen(function*() {
    const { catalog, session } = yield* administrator(call, "update groups")
    const group = yield* groupOf(call, catalog)
    const input = yield* Writes.readRequest(call, "group", Generated.GroupType)
    const name = input.name?.trim() ?? group.name
    if (name === "") return yield* ApiError.badRequest("A group needs a name.")
    if (group.allUsers && name !== group.name) return yield* fixed("be renamed")
    if (nameTaken(catalog, session.siteId, name, group.id)) return yield* taken(name)
    const role = input.minimumSiteRole === undefined ? group.minimumSiteRole : yield* siteRoleOf(input.minimumSiteRole)
    const { minimumSiteRole: _, ...rest } = group
    const changed: Group = { ...rest, name, ...(role === undefined ? {} : { minimumSiteRole: role }) }
    yield* Writes.commit(call, (current) => Catalog.put(current, groups, [changed]))
    return yield* Writes.answer(call, groups, group.id)
  }))

const remove = fromSpec(Groups.remove.spec, (call) =>
  Effect.gen(function*() {
    const { catalog } = yield* administrator(call, "delete groups")
    const group = yield* groupOf(call, catalog)
    if (group.allUsers) return yield* fixed("be deleted")
    yield* Writes.commit(call, (current) => Catalog.remove(current, groups, [group.id]))
    return Writes.noContent
  }))

// The users named, each a user of the site (404002 otherwise), in the order given.
const usersOnSite = (call: Call, catalog: Catalog.Catalog, ids: ReadonlyArray<string | undefined>) =>
  Effect.forEach(ids, (id) =>
    id === undefined
      ? Effect.fail(ApiError.badRequest("Each <user> needs an id."))
      : Reads.entryOnSite(call, catalog, userReads, id))

const isMember = (catalog: Catalog.Catalog, group: Group, userId: string) =>
  membersOf(catalog, group).some((entry) => same(entry.item.id, userId))

// Adds users to a group: none may be in it already.
const join = (call: Call, entries: ReadonlyArray<Catalog.Entry<Fixtures.User>>) =>
  Effect.gen(function*() {
    const { catalog } = yield* administrator(call, "add users to groups")
    const group = yield* groupOf(call, catalog)
    if (group.allUsers) return yield* fixed("have members added by hand")
    const already = entries.find((entry) => isMember(catalog, group, entry.item.id))
    if (already !== undefined) {
      return yield* Writes.conflict(ALREADY_MEMBER, `The user '${already.item.name}' is already a member of the group.`)
    }
    const memberIds = [...group.memberIds, ...entries.map((entry) => entry.item.id)]
    yield* Writes.commit(call, (current) => Catalog.put(current, groups, [{ ...group, memberIds }]))
  })

// Add User to Group (`<user id/>`) and, from 3.21, Add Users to Group (`<users>...</users>`)
// share one method and path: the body tells them apart.
const addUsers = fromSpec(Groups.addUser.spec, (call) =>
  Effect.gen(function*() {
    const catalog = yield* Reads.catalogOf(call)
    yield* administrator(call, "add users to groups")
    const root = yield* Xml.parseBody(call.body)
    if (!Xml.hasChild(Xml.child(root, "tsRequest"), "users")) {
      const input = yield* Writes.readRequest(call, "user", Generated.UserType)
      const [entry] = yield* usersOnSite(call, catalog, [input.id])
      yield* join(call, [entry!])
      return { status: 200, xml: entry!.xml }
    }
    const input = yield* Writes.readRequest(call, "users", Generated.UserListType)
    const list = input.user ?? []
    if (list.length === 0) return yield* ApiError.badRequest("The <users> element names no user.")
    const entries = yield* usersOnSite(call, catalog, list.map((user) => user.id))
    yield* join(call, entries)
    return { status: 200, xml: Render.collection("users", entries.map((entry) => entry.xml).join("")) }
  }))

// Takes users out of a group: each must be in it.
const part = (call: Call, ids: ReadonlyArray<string | undefined>) =>
  Effect.gen(function*() {
    const { catalog } = yield* administrator(call, "remove users from groups")
    const group = yield* groupOf(call, catalog)
    const entries = yield* usersOnSite(call, catalog, ids)
    if (group.allUsers) return yield* fixed("have members removed by hand")
    const outsider = entries.find((entry) => !isMember(catalog, group, entry.item.id))
    if (outsider !== undefined) {
      return yield* ApiError.make(
        404,
        "404002",
        "Resource Not Found",
        `The user '${outsider.item.name}' is not a member of the group.`
      )
    }
    const gone = new Set(entries.map((entry) => entry.item.id.toLowerCase()))
    const memberIds = group.memberIds.filter((id) => !gone.has(id.toLowerCase()))
    yield* Writes.commit(call, (current) => Catalog.put(current, groups, [{ ...group, memberIds }]))
    return Writes.noContent
  })

const removeUser = fromSpec(Groups.removeUser.spec, (call) => part(call, [call.params["userId"]]))

const removeUsers = fromSpec(Groups.removeUsers.spec, (call) =>
  Effect.gen(function*() {
    yield* administrator(call, "remove users from groups")
    const input = yield* Writes.readRequest(call, "users", Generated.UserListType)
    const list = input.user ?? []
    if (list.length === 0) return yield* ApiError.badRequest("The <users> element names no user.")
    return yield* part(call, list.map((user) => user.id))
  }))

const groupUsers = (): Route =>
  Reads.list(Groups.members, {
    kind: users,
    notFound: ApiError.userNotFound,
    entries: (call, catalog) => Effect.map(groupOf(call, catalog), (group) => membersOf(catalog, group))
  })

const userGroups = (): Route =>
  Reads.list(Users.groupsResource, {
    kind: groups,
    notFound: reads.notFound,
    entries: (call, catalog) =>
      Effect.map(Reads.entryOnSite(call, catalog, userReads, call.params["userId"] ?? ""), ({ item }) =>
        Reads.entriesOnSite(catalog, reads, call.params["siteId"] ?? "").filter((entry) =>
          isMember(catalog, entry.item, item.id)
        ))
  })

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [
  Reads.list(Groups.resource, reads),
  create,
  update,
  remove,
  groupUsers(),
  addUsers,
  removeUser,
  removeUsers,
  userGroups()
]
