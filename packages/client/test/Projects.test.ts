/**
 * Projects.create, update and remove against the emulator, in memory and over a loopback socket:
 * what was sent (method, path, a body that validates against Tableau's XSD) and what the caller
 * got; the role checks, name conflicts and refusals a real server makes.
 */
import { assert, describe, it } from "@effect/vitest"
import { Credentials, Projects, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { Fault, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Layer } from "effect"
import { BASE_URL, defaults, ids } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const LUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

for (const [transport, make] of Object.entries(transports)) {
  describe(`Projects writes ${transport}`, () => {
    it.effect("create, nested create, update and remove: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const top = yield* Projects.create({ name: "Board & Finance", description: "Quarterly <packs>" })
        assert.match(top.id, LUID)
        assert.strictEqual(top.name, "Board & Finance")
        assert.strictEqual(top.description, "Quarterly <packs>")
        assert.isUndefined(top.parentProjectId)
        const child = yield* Projects.create({ name: "2026", parentProjectId: top.id })
        assert.strictEqual(child.parentProjectId, top.id)
        const renamed = yield* Projects.update(top.id, { name: "Board" })
        assert.strictEqual(renamed.name, "Board")
        assert.strictEqual(renamed.description, "Quarterly <packs>")
        const listed = yield* Projects.page({ pageSize: 100 })
        assert.includeMembers(listed.items.map((project) => project.name), ["Board", "2026"])
        yield* Projects.remove(top.id)
        const after = yield* Projects.page({ pageSize: 100 })
        // Deleting a project deletes the projects inside it.
        assert.notInclude(after.items.map((project) => project.id), top.id)
        assert.notInclude(after.items.map((project) => project.id), child.id)

        const wire = writes(sent)
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `POST /api/3.24/sites/${SITE}/projects`,
          `POST /api/3.24/sites/${SITE}/projects`,
          `PUT /api/3.24/sites/${SITE}/projects/${top.id}`,
          `DELETE /api/3.24/sites/${SITE}/projects/${top.id}`
        ])
        assert.strictEqual(
          wire[0]!.body,
          `<tsRequest><project description="Quarterly &lt;packs&gt;" name="Board &amp; Finance"/></tsRequest>`
        )
        assert.strictEqual(wire[1]!.body, `<tsRequest><project name="2026" parentProjectId="${top.id}"/></tsRequest>`)
        assert.strictEqual(wire[2]!.body, `<tsRequest><project name="Board"/></tsRequest>`)
        assert.strictEqual(wire[3]!.body, "")
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Projects writes: what Tableau refuses", () => {
  it.effect("a sibling with the same name is a 409006 conflict", () =>
    Effect.gen(function*() {
      yield* Projects.create({ name: "Twice" })
      const error = yield* Effect.flip(Projects.create({ name: "twice" }))
      assert.strictEqual(error._tag, "TableauApiError")
      if (error._tag === "TableauApiError") assert.deepStrictEqual([error.status, error.code], [409, "409006"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("renaming a project renames it in its workbooks", () =>
    Effect.gen(function*() {
      const workbook = Fixtures.defaultWorkbook(1)
      assert.strictEqual(workbook.projectId, ids.projects.finance)
      yield* Projects.update(ids.projects.finance, { name: "Finance (archived)" })
      const again = yield* Workbooks.get(workbook.id)
      assert.strictEqual(again.project?.name, "Finance (archived)")
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("deleting a project deletes its workbooks", () =>
    Effect.gen(function*() {
      const workbook = Fixtures.defaultWorkbook(1)
      yield* Projects.remove(ids.projects.finance)
      const error = yield* Effect.flip(Workbooks.get(workbook.id))
      assert.strictEqual(error._tag === "TableauApiError" && error.code, "404006")
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("an Explorer cannot create a top-level project: 403004", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Projects.create({ name: "Mine" }))
      assert.strictEqual(error._tag === "TableauApiError" && error.code, "403004")
    }).pipe(
      Effect.provide(
        TableauSession.layer(
          Credentials.personalAccessToken({ tokenName: defaults.bob.patName, tokenSecret: defaults.bob.patSecret })
        ).pipe(
          Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "3.24" })),
          Layer.provide(TableauEmulator.layer())
        )
      )
    ))

  it.effect("a control character or a parent that is not a LUID is refused before sending", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const control = yield* Effect.flip(Projects.create({ name: "bell\u0007" }))
      assert.strictEqual(control._tag, "TableauRequestError")
      assert.include(control.message, "project.name")
      assert.include(control.message, "control character")
      const parent = yield* Effect.flip(Projects.create({ name: "x", parentProjectId: "../../users" }))
      assert.strictEqual(parent._tag, "TableauRequestError")
      assert.include(parent.message, "nothing was sent")
      const id = yield* Effect.flip(Projects.update("not-a-luid", { name: "x" }))
      assert.strictEqual(id._tag === "TableauRequestError" && id.parameter, "id")
      assert.deepStrictEqual(writes(sent), [])
    }).pipe(Effect.provide(layer))
  })

  it.live("a PUT that met a 503 is sent again; a POST that met one is not", () => {
    const { layer, sent } = recorded({
      server: { retry: { times: 2, baseDelay: "1 millis", maxDelay: "2 millis", maxRetryAfter: "1 second" } }
    })
    return Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/projects/ })
      const renamed = yield* Projects.update(ids.projects.sales, { name: "Sales EMEA" })
      assert.strictEqual(renamed.name, "Sales EMEA")
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/projects/ })
      const error = yield* Effect.flip(Projects.create({ name: "Once" }))
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 503)
      assert.deepStrictEqual(writes(sent).map((request) => request.method), ["PUT", "PUT", "POST"])
    }).pipe(Effect.provide(layer))
  })
})
