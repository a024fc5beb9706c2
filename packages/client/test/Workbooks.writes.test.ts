/**
 * Workbooks.update, remove, tags, connections and refresh against the emulator, in memory and
 * over a loopback socket: what was sent (a body that validates against Tableau's XSD) and what
 * the caller got; the ownership rules, a delete taking its views, and the refusals made before
 * anything is sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { Views, Workbooks } from "@tableau-effect/client"
import { Fault, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Redacted } from "effect"
import { asBob, assertApiError, LUID } from "./support/Content.js"
import { ids } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

// Workbook 0 is the administrator's, in the default project, with an extract; 1 is alice's, in
// Finance, live; 2 is bob's, in Sales (alice's project).
const first = Fixtures.defaultWorkbook(0)
const live = Fixtures.defaultWorkbook(1)
const bobs = Fixtures.defaultWorkbook(2)

for (const [transport, make] of Object.entries(transports)) {
  describe(`Workbooks writes ${transport}`, () => {
    it.effect("update, tags, connections, refresh and remove: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const updated = yield* Workbooks.update(first.id, {
          name: "Superstore <2026>",
          showTabs: false,
          projectId: ids.projects.sales,
          ownerId: ids.users.alice
        })
        assert.deepStrictEqual(
          [updated.name, updated.showTabs, updated.project?.id, updated.project?.name, updated.owner.id],
          ["Superstore <2026>", false, ids.projects.sales, "Sales", ids.users.alice]
        )
        assert.deepStrictEqual(yield* Workbooks.addTags(first.id, ["board", "2026"]), ["sales", "board", "2026"])
        yield* Workbooks.removeTag(first.id, "sales")
        assert.deepStrictEqual((yield* Workbooks.get(first.id)).tags, ["board", "2026"])

        const connections = yield* Workbooks.connections(first.id)
        assert.strictEqual(connections.length, 1)
        const connection = connections[0]!
        assert.match(connection.id, LUID)
        assert.strictEqual(connection.type, "hyper")
        assert.strictEqual(connection.datasource?.name, `${first.name} data`)
        const changed = yield* Workbooks.updateConnection(first.id, connection.id, {
          userName: "reporting",
          password: Redacted.make("s3cret"),
          embedPassword: true,
          queryTaggingEnabled: true
        })
        assert.deepStrictEqual(
          [changed.userName, changed.embedPassword, changed.queryTaggingEnabled],
          ["reporting", true, true]
        )

        const job = yield* Workbooks.refresh(first.id)
        assert.deepStrictEqual([job.type, job.mode], ["RefreshExtract", "Asynchronous"])
        assert.strictEqual(job.extractRefreshJob?.workbook?.id, first.id)

        const views = yield* Workbooks.views(first.id)
        assert.deepStrictEqual(views.map((view) => view.name), ["Overview", "Details"])
        yield* Workbooks.remove(first.id)
        assertApiError(yield* Effect.flip(Workbooks.get(first.id)), 404, "404006")
        // Its views went with it.
        assertApiError(yield* Effect.flip(Views.get(views[0]!.id)), 404, "404011")

        const wire = writes(sent)
        const item = `/api/3.24/sites/${SITE}/workbooks/${first.id}`
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `PUT ${item}`,
          `PUT ${item}/tags`,
          `DELETE ${item}/tags/sales`,
          `PUT ${item}/connections/${connection.id}`,
          `POST ${item}/refresh`,
          `DELETE ${item}`
        ])
        assert.deepStrictEqual(wire.map((request) => request.body), [
          `<tsRequest><workbook name="Superstore &lt;2026&gt;" showTabs="false"><project id="${ids.projects.sales}"/><owner id="${ids.users.alice}"/></workbook></tsRequest>`,
          `<tsRequest><tags><tag label="board"/><tag label="2026"/></tags></tsRequest>`,
          "",
          `<tsRequest><connection embedPassword="true" password="s3cret" queryTaggingEnabled="true" userName="reporting"/></tsRequest>`,
          "<tsRequest/>",
          ""
        ])
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Workbooks writes: what Tableau answers and refuses", () => {
  it.effect("a refresh of a workbook without an extract is a 400000", () =>
    Effect.gen(function*() {
      const [connection] = yield* Workbooks.connections(live.id)
      assert.strictEqual(connection?.type, "postgres")
      const error = yield* Effect.flip(Workbooks.refresh(live.id))
      assertApiError(error, 400, "400000")
      assert.include(error.message, "no extract")
      // Past the first 20 workbooks of a site there are no views or connections: no extract either.
      const later = Fixtures.defaultWorkbook(21)
      assert.deepStrictEqual(yield* Workbooks.connections(later.id), [])
      assert.deepStrictEqual(yield* Workbooks.views(later.id), [])
      assertApiError(yield* Effect.flip(Workbooks.refresh(later.id)), 400, "400000")
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a connection of another workbook is a 404", () =>
    Effect.gen(function*() {
      const [connection] = yield* Workbooks.connections(live.id)
      const error = yield* Effect.flip(Workbooks.updateConnection(first.id, connection!.id, { userName: "x" }))
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 404)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("an Explorer cannot change, tag, refresh or delete another user's workbook: 403004", () =>
    Effect.gen(function*() {
      for (
        const attempt of [
          Workbooks.update(first.id, { name: "Mine" }),
          Workbooks.addTags(first.id, ["mine"]),
          Workbooks.removeTag(first.id, "sales"),
          Workbooks.refresh(first.id),
          Workbooks.remove(first.id)
        ].map(Effect.asVoid)
      ) {
        assertApiError(yield* Effect.flip(attempt), 403, "403004")
      }
      assert.strictEqual((yield* Workbooks.get(first.id)).name, first.name)
    }).pipe(Effect.provide(asBob())))

  it.effect("an owner may rename their workbook, not move it to a project they do not own or give it away", () =>
    Effect.gen(function*() {
      assert.strictEqual(bobs.ownerId, ids.users.bob)
      const renamed = yield* Workbooks.update(bobs.id, { name: "Bob's board", showTabs: true })
      assert.deepStrictEqual([renamed.name, renamed.showTabs], ["Bob's board", true])
      assertApiError(yield* Effect.flip(Workbooks.update(bobs.id, { projectId: ids.projects.finance })), 403, "403004")
      assertApiError(yield* Effect.flip(Workbooks.update(bobs.id, { ownerId: ids.users.alice })), 403, "403004")
    }).pipe(Effect.provide(asBob())))

  it.effect("a move to a project of another site is a 404005; a new owner shows in the workbook's views", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Workbooks.update(live.id, { projectId: ids.projects.campaigns }))
      assertApiError(error, 404, "404005")
      yield* Workbooks.update(live.id, { ownerId: ids.users.bob })
      const views = yield* Workbooks.views(live.id)
      assert.deepStrictEqual(views.map((view) => view.owner?.id), [ids.users.bob, ids.users.bob])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("removing a tag the workbook does not have is a 404", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Workbooks.removeTag(first.id, "nope"))
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 404)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a project that is not a LUID, a label with a / or a control character is refused before sending", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const project = yield* Effect.flip(Workbooks.update(first.id, { projectId: "../../users" }))
      assert.strictEqual(project._tag === "TableauRequestError" && project.parameter, "workbook.project.id")
      const control = yield* Effect.flip(Workbooks.update(first.id, { name: "tab\u0000" }))
      assert.strictEqual(control._tag === "TableauRequestError" && control.parameter, "workbook.name")
      const slash = yield* Effect.flip(Workbooks.removeTag(first.id, "a/b"))
      assert.strictEqual(slash._tag, "TableauRequestError")
      const id = yield* Effect.flip(Workbooks.connections("not-a-luid"))
      assert.strictEqual(id._tag === "TableauRequestError" && id.parameter, "id")
      // Nothing but the session's own sign-in (and sign-out) crossed the wire.
      assert.deepStrictEqual(sent.filter((request) => !request.path.includes("/auth/")), [])
    }).pipe(Effect.provide(layer))
  })

  it.live("a PUT that met a 503 is sent again; a refresh that met one is not", () => {
    const { layer, sent } = recorded({
      server: { retry: { times: 2, baseDelay: "1 millis", maxDelay: "2 millis", maxRetryAfter: "1 second" } }
    })
    return Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/workbooks\// })
      const renamed = yield* Workbooks.update(first.id, { name: "Again" })
      assert.strictEqual(renamed.name, "Again")
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/refresh/ })
      const error = yield* Effect.flip(Workbooks.refresh(first.id))
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 503)
      assert.deepStrictEqual(writes(sent).map((request) => request.method), ["PUT", "PUT", "POST"])
    }).pipe(Effect.provide(layer))
  })
})
