/**
 * Groups against the emulator, in memory and over a loopback socket: the list, create, update
 * and remove, and members one at a time or many at once (API 3.21); what was sent (method, path,
 * a body that validates against Tableau's XSD) and what the caller got; the "All Users" group,
 * unique names, role checks and the refusals made before sending.
 */
import { assert, describe, it } from "@effect/vitest"
import type { TableauError } from "@tableau-effect/client"
import { Credentials, Filter, Groups, TableauServer, TableauSession, Users } from "@tableau-effect/client"
import { TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Layer } from "effect"
import { BASE_URL, defaults, ids } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const LUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const { alice, bob } = ids.users

const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

// What a user sees of a failure: the status and code of a Tableau error, else the tag.
const codeOf = (error: TableauError.TableauError) =>
  error._tag === "TableauApiError" ? [error.status, error.code] : error._tag

const names = <A extends { readonly name: string }>(page: { readonly items: ReadonlyArray<A> }) =>
  page.items.map((item) => item.name)

for (const [transport, make] of Object.entries(transports)) {
  describe(`Groups ${transport}`, () => {
    it.effect("the default groups, create, members, update and remove: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const listed = yield* Groups.page()
        assert.deepStrictEqual(names(listed), ["All Users", "Analysts"])
        const everyone = listed.items[0]!
        assert.deepStrictEqual([everyone.id, everyone.domain?.name, everyone.userCount], [
          ids.groups.allUsers,
          "local",
          3
        ])

        const readers = yield* Groups.create({ name: "Readers & Friends", minimumSiteRole: "Viewer" })
        assert.match(readers.id, LUID)
        assert.deepStrictEqual([readers.name, readers.minimumSiteRole, readers.userCount], [
          "Readers & Friends",
          "Viewer",
          0
        ])
        const added = yield* Groups.addUser(readers.id, bob)
        assert.strictEqual(added.name, "bob")
        const many = yield* Groups.addUsers(readers.id, [alice, ids.users.admin])
        assert.deepStrictEqual(many.map((user) => user.name), ["alice", "admin"])
        const members = yield* Groups.users(readers.id)
        assert.deepStrictEqual(names(members), ["admin", "alice", "bob"])
        const ofBob = yield* Users.groups(bob)
        assert.deepStrictEqual(names(ofBob), ["All Users", "Analysts", "Readers & Friends"])

        yield* Groups.removeUser(readers.id, bob)
        yield* Groups.removeUsers(readers.id, [alice])
        const renamed = yield* Groups.update(readers.id, { name: "Readers" })
        assert.deepStrictEqual([renamed.name, renamed.minimumSiteRole, renamed.userCount], ["Readers", "Viewer", 1])
        const local = yield* Groups.page({ filter: Filter.eq("name", "Readers") })
        assert.deepStrictEqual(names(local), ["Readers"])
        yield* Groups.remove(readers.id)
        assert.deepStrictEqual(names(yield* Groups.page()), ["All Users", "Analysts"])

        const wire = writes(sent)
        const group = `/api/3.24/sites/${SITE}/groups/${readers.id}`
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `POST /api/3.24/sites/${SITE}/groups`,
          `POST ${group}/users`,
          `POST ${group}/users`,
          `DELETE ${group}/users/${bob}`,
          `PUT ${group}/users/remove`,
          `PUT ${group}`,
          `DELETE ${group}`
        ])
        assert.deepStrictEqual(wire.map((request) => request.body), [
          `<tsRequest><group minimumSiteRole="Viewer" name="Readers &amp; Friends"/></tsRequest>`,
          `<tsRequest><user id="${bob}"/></tsRequest>`,
          `<tsRequest><users><user id="${alice}"/><user id="${ids.users.admin}"/></users></tsRequest>`,
          "",
          `<tsRequest><users><user id="${alice}"/></users></tsRequest>`,
          `<tsRequest><group name="Readers"/></tsRequest>`,
          ""
        ])
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

const as = (who: { readonly patName: string; readonly patSecret: string }) =>
  TableauSession.layer(Credentials.personalAccessToken({ tokenName: who.patName, tokenSecret: who.patSecret })).pipe(
    Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" })),
    Layer.provide(TableauEmulator.layer())
  )

describe("Groups: what Tableau keeps and refuses", () => {
  it.effect("names are unique per site, in any case: 409009", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Groups.create({ name: "analysts" }))
      assert.deepStrictEqual(codeOf(error), [409, "409009"])
      const renamed = yield* Effect.flip(Groups.update(ids.groups.analysts, { name: "ALL USERS" }))
      assert.deepStrictEqual(codeOf(renamed), [409, "409009"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("another site's groups are not this one's", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(names(yield* Groups.page()), ["All Users", "Campaign Team"])
      const error = yield* Effect.flip(Groups.users(ids.groups.analysts))
      assert.deepStrictEqual(codeOf(error), [404, "404012"])
      // The same name on another site is no conflict.
      const analysts = yield* Groups.create({ name: "Analysts" })
      assert.strictEqual(analysts.name, "Analysts")
    }).pipe(Effect.provide(recorded({ site: defaults.sites.marketing }).layer)))

  it.effect("All Users holds every user of the site and cannot be deleted, renamed or edited by hand", () =>
    Effect.gen(function*() {
      const carol = yield* Users.add({ name: "carol", siteRole: "Viewer" })
      const everyone = yield* Groups.users(ids.groups.allUsers)
      assert.deepStrictEqual(names(everyone), ["admin", "alice", "bob", "carol"])
      for (
        const refused of [
          Groups.remove(ids.groups.allUsers),
          Groups.update(ids.groups.allUsers, { name: "Everyone" }),
          Groups.removeUser(ids.groups.allUsers, carol.id),
          Groups.addUser(ids.groups.allUsers, carol.id)
        ]
      ) {
        const error = yield* Effect.flip(refused)
        assert.strictEqual(error._tag === "TableauApiError" && error.status, 403)
      }
      // Its minimum site role can change.
      const changed = yield* Groups.update(ids.groups.allUsers, { minimumSiteRole: "Viewer" })
      assert.deepStrictEqual([changed.name, changed.minimumSiteRole], ["All Users", "Viewer"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a member added twice is a 409011 conflict; one not in the group cannot be removed", () =>
    Effect.gen(function*() {
      const twice = yield* Effect.flip(Groups.addUser(ids.groups.analysts, bob))
      assert.deepStrictEqual(codeOf(twice), [409, "409011"])
      const outsider = yield* Effect.flip(Groups.removeUser(ids.groups.analysts, ids.users.admin))
      assert.deepStrictEqual(codeOf(outsider), [404, "404002"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("an Explorer cannot create, change or fill groups: 403078", () =>
    Effect.gen(function*() {
      for (
        const refused of [
          Groups.create({ name: "Mine" }),
          Groups.update(ids.groups.analysts, { name: "Mine" }),
          Groups.remove(ids.groups.analysts),
          Groups.addUser(ids.groups.analysts, ids.users.admin),
          Groups.removeUser(ids.groups.analysts, alice)
        ]
      ) {
        const error = yield* Effect.flip(refused)
        assert.deepStrictEqual(codeOf(error), [403, "403078"])
      }
      // Reading is allowed.
      assert.deepStrictEqual(names(yield* Groups.users(ids.groups.analysts)), ["alice", "bob"])
    }).pipe(Effect.provide(as(defaults.bob))))

  it.effect("addUsers and removeUsers need API 3.21: an older version fails before sending", () => {
    const { layer, sent } = recorded({ server: { apiVersion: "3.20" } })
    return Effect.gen(function*() {
      const add = yield* Effect.flip(Groups.addUsers(ids.groups.analysts, [ids.users.admin]))
      assert.strictEqual(add._tag, "TableauVersionError")
      assert.include(add.message, "3.21")
      const remove = yield* Effect.flip(Groups.removeUsers(ids.groups.analysts, [bob]))
      assert.strictEqual(remove._tag, "TableauVersionError")
      // One at a time works on 3.20.
      yield* Groups.addUser(ids.groups.analysts, ids.users.admin)
      assert.deepStrictEqual(writes(sent).map((request) => request.method), ["POST"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("ids that are not LUIDs, an empty list and control characters are refused before sending", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const group = yield* Effect.flip(Groups.addUser("../users", bob))
      assert.strictEqual(group._tag === "TableauRequestError" && group.parameter, "id")
      const user = yield* Effect.flip(Groups.addUser(ids.groups.analysts, "bob"))
      assert.strictEqual(user._tag === "TableauRequestError" && user.parameter, "user.id")
      const second = yield* Effect.flip(Groups.addUsers(ids.groups.analysts, [alice, "remove"]))
      assert.strictEqual(second._tag === "TableauRequestError" && second.parameter, "userIds[1]")
      const none = yield* Effect.flip(Groups.removeUsers(ids.groups.analysts, []))
      assert.strictEqual(none._tag === "TableauRequestError" && none.parameter, "userIds")
      const path = yield* Effect.flip(Groups.removeUser(ids.groups.analysts, "remove"))
      assert.strictEqual(path._tag === "TableauRequestError" && path.parameter, "userId")
      const control = yield* Effect.flip(Groups.create({ name: "tab\u0008" }))
      assert.strictEqual(control._tag, "TableauRequestError")
      assert.include(control.message, "group.name")
      assert.deepStrictEqual(writes(sent), [])
    }).pipe(Effect.provide(layer))
  })
})
