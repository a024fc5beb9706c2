/**
 * Users.add, update, remove and groups against the emulator, in memory and over a loopback
 * socket: what was sent (method, path, a body that validates against Tableau's XSD) and what the
 * caller got; the refusals a real server makes, and a password that never shows in a log, a span
 * or an error.
 */
import { assert, describe, it } from "@effect/vitest"
import type { TableauError } from "@tableau-effect/client"
import { Credentials, Groups, Projects, TableauServer, TableauSession, Users, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Layer, Logger, LogLevel, Redacted, Schema } from "effect"
import { BASE_URL, defaults, ids, recordedPaths, recordingTracer } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const LUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

// What a user sees of a failure: the status and code of a Tableau error, else the tag.
const codeOf = (error: TableauError.TableauError) =>
  error._tag === "TableauApiError" ? [error.status, error.code] : error._tag

const as = (who: { readonly patName: string; readonly patSecret: string }) =>
  TableauSession.layer(Credentials.personalAccessToken({ tokenName: who.patName, tokenSecret: who.patSecret })).pipe(
    Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" })),
    Layer.provide(TableauEmulator.layer())
  )

for (const [transport, make] of Object.entries(transports)) {
  describe(`Users writes ${transport}`, () => {
    it.effect("add, update, groups and remove: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const carol = yield* Users.add({ name: "carol", siteRole: "Explorer", authSetting: "ServerDefault" })
        assert.match(carol.id, LUID)
        assert.deepStrictEqual([carol.name, carol.siteRole, carol.authSetting], ["carol", "Explorer", "ServerDefault"])
        const changed = yield* Users.update(carol.id, {
          fullName: "Carol Chart & Co",
          email: "carol@example.com",
          siteRole: "Viewer"
        })
        // Tableau's answer has no id: the one asked about is put back.
        assert.deepStrictEqual(
          [changed.id, changed.fullName, changed.email, changed.siteRole],
          [carol.id, "Carol Chart & Co", "carol@example.com", "Viewer"]
        )
        const groups = yield* Users.groups(carol.id)
        assert.deepStrictEqual(groups.items.map((group) => group.name), ["All Users"])
        yield* Users.remove(carol.id)
        const error = yield* Effect.flip(Users.get(carol.id))
        assert.deepStrictEqual(codeOf(error), [404, "404002"])

        const wire = writes(sent)
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `POST /api/3.24/sites/${SITE}/users`,
          `PUT /api/3.24/sites/${SITE}/users/${carol.id}`,
          `DELETE /api/3.24/sites/${SITE}/users/${carol.id}`
        ])
        assert.strictEqual(
          wire[0]!.body,
          `<tsRequest><user authSetting="ServerDefault" name="carol" siteRole="Explorer"/></tsRequest>`
        )
        assert.strictEqual(
          wire[1]!.body,
          `<tsRequest><user email="carol@example.com" fullName="Carol Chart &amp; Co" siteRole="Viewer"/></tsRequest>`
        )
        assert.strictEqual(wire[2]!.body, "")
        assert.include(
          sent.map((request) => `${request.method} ${request.path}`),
          `GET /api/3.24/sites/${SITE}/users/${carol.id}/groups`
        )
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Users writes: what Tableau does and refuses", () => {
  it.effect("a user already on the site is a 409017 conflict", () =>
    Effect.gen(function*() {
      const twice = yield* Effect.flip(Users.add({ name: "Bob", siteRole: "Viewer" }))
      assert.deepStrictEqual(codeOf(twice), [409, "409017"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a user of another site joins this one, with its id", () =>
    Effect.gen(function*() {
      const marketing = yield* Users.add({ name: "bob", siteRole: "Explorer" })
      assert.strictEqual(marketing.id, ids.users.bob)
      const listed = yield* Users.page({ pageSize: 100 })
      assert.include(listed.items.map((user) => user.name), "bob")
    }).pipe(Effect.provide(recorded({ site: defaults.sites.marketing }).layer)))

  it.effect("an Explorer cannot add, change or remove users: 403078", () =>
    Effect.gen(function*() {
      const added = yield* Effect.flip(Users.add({ name: "mallory", siteRole: "Creator" }))
      assert.deepStrictEqual(codeOf(added), [403, "403078"])
      const changed = yield* Effect.flip(Users.update(ids.users.bob, { siteRole: "SiteAdministratorCreator" }))
      assert.deepStrictEqual(codeOf(changed), [403, "403078"])
      const removed = yield* Effect.flip(Users.remove(ids.users.alice))
      assert.deepStrictEqual(codeOf(removed), [403, "403078"])
    }).pipe(Effect.provide(as(defaults.bob))))

  it.effect("a site administrator cannot make a server administrator", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Users.update(ids.users.bob, { siteRole: "ServerAdministrator" }))
      assert.deepStrictEqual(codeOf(error), [403, "403078"])
    }).pipe(Effect.provide(as(defaults.alice))))

  it.effect("a user who owns content stays unless mapAssetsTo names who takes it over", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const refused = yield* Effect.flip(Users.remove(ids.users.bob))
      assert.deepStrictEqual(codeOf(refused), [409, "409000"])
      yield* Users.remove(ids.users.bob, { mapAssetsTo: ids.users.alice })
      const workbook = yield* Workbooks.get(Fixtures.defaultWorkbook(2).id)
      assert.strictEqual(workbook.owner?.id, ids.users.alice)
      // bob leaves the site and its groups; alice stays in them.
      const analysts = yield* Groups.users(ids.groups.analysts)
      assert.deepStrictEqual(analysts.items.map((user) => user.name), ["alice"])
      const everyone = yield* Groups.users(ids.groups.allUsers, { pageSize: 100 })
      assert.notInclude(everyone.items.map((user) => user.name), "bob")
      assert.strictEqual(writes(sent).at(-1)!.method, "DELETE")
      assert.include(
        yield* recordedPaths(`/users/${ids.users.bob}`),
        `/api/3.24/sites/${SITE}/users/${ids.users.bob}?mapAssetsTo=${ids.users.alice}`
      )
      const projects = yield* Projects.page({ pageSize: 100 })
      assert.isTrue(projects.items.every((project) => project.owner?.id !== ids.users.bob))
    }).pipe(Effect.provide(layer))
  })

  it.effect("ids and names are checked before anything is sent", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const id = yield* Effect.flip(Users.update("../sites", { fullName: "x" }))
      assert.strictEqual(id._tag === "TableauRequestError" && id.parameter, "id")
      const heir = yield* Effect.flip(Users.remove(ids.users.bob, { mapAssetsTo: "alice&x=1" }))
      assert.strictEqual(heir._tag === "TableauRequestError" && heir.parameter, "mapAssetsTo")
      const control = yield* Effect.flip(Users.add({ name: "eve\u0000", siteRole: "Viewer" }))
      assert.strictEqual(control._tag, "TableauRequestError")
      assert.include(control.message, "user.name")
      const groups = yield* Effect.flip(Users.groups("nope"))
      assert.strictEqual(groups._tag, "TableauRequestError")
      assert.deepStrictEqual(sent.filter((request) => !/\/auth\//.test(request.path)), [])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a user's groups need API 3.7: an older version fails before sending", () => {
    const { layer, sent } = recorded({ server: { apiVersion: "3.6" } })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Users.groups(ids.users.alice))
      assert.strictEqual(error._tag, "TableauVersionError")
      assert.isFalse(sent.some((request) => request.path.includes("/groups")))
    }).pipe(Effect.provide(layer))
  })

  it.effect("a site role or auth setting a newer server adds still decodes", () =>
    Effect.sync(() => {
      const user = Schema.decodeUnknownSync(Users.User)({
        id: ids.users.bob,
        name: "bob",
        siteRole: "CreatorPlusAgent",
        authSetting: "TableauIDWithMFA"
      })
      assert.deepStrictEqual([user.siteRole, user.authSetting], ["CreatorPlusAgent", "TableauIDWithMFA"])
      const group = Schema.decodeUnknownSync(Groups.Group)({
        id: ids.groups.analysts,
        name: "x",
        minimumSiteRole: "Agent"
      })
      assert.strictEqual(group.minimumSiteRole, "Agent")
    }))
})

describe("Users.update: the password", () => {
  const secret = "n3w-Pa55word-7431"

  it.effect("is sent in the body, works for sign-in, and never shows in a log, a span or an error", () => {
    const { layer, sent } = recorded()
    const tracer = recordingTracer()
    const logs: Array<string> = []
    const logger = Logger.make(({ annotations, message }) => {
      logs.push(JSON.stringify({ message, annotations: [...annotations] }))
    })
    return Effect.gen(function*() {
      yield* Users.update(ids.users.bob, { password: Redacted.make(secret) })
      assert.strictEqual(writes(sent)[0]!.body, `<tsRequest><user password="${secret}"/></tsRequest>`)
      yield* validateBodies(writes(sent))
      // bob signs in with it.
      const me = yield* Users.get(ids.users.bob).pipe(
        Effect.provide(
          TableauSession.layer(Credentials.usernamePassword({ username: "bob", password: secret })).pipe(
            Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" }))
          )
        )
      )
      assert.strictEqual(me.name, "bob")

      const unknown = yield* Effect.flip(
        Users.update("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", { password: Redacted.make(secret) })
      )
      assert.deepStrictEqual(codeOf(unknown), [404, "404002"])
      const control = yield* Effect.flip(Users.update(ids.users.bob, { password: Redacted.make(`${secret}\u0001`) }))
      assert.strictEqual(control._tag, "TableauRequestError")
      assert.include(control.message, "user.password")
      for (const error of [unknown, control]) {
        assert.notInclude(`${error.message} ${String(error)} ${JSON.stringify(error)}`, secret)
      }
      yield* Effect.logDebug("done")
      assert.isAbove(logs.length, 0)
      assert.notInclude(logs.join("\n"), secret)
      const attributes = tracer.spans.flatMap((span) => [...span.attributes.values()].map(String))
      assert.isTrue(tracer.spans.some((span) => span.name === "tableau.users.update"))
      assert.notInclude(attributes.join("\n"), secret)
    }).pipe(
      Effect.provide(layer),
      Effect.provide(tracer.layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  })
})
