/**
 * Views against the emulator, in memory and over a loopback socket: the site's views page by
 * page, a workbook's views, one view, and their tags; the version gate of Get View, the
 * ownership rules of tags, and views going with their workbook or its project.
 */
import { assert, describe, it } from "@effect/vitest"
import { Credentials, Filter, Projects, TableauServer, TableauSession, Views, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Layer, Stream } from "effect"
import { asBob, assertApiError, LUID } from "./support/Content.js"
import { BASE_URL, defaults, emulated, ids } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const
const first = Fixtures.defaultWorkbook(0)

for (const [transport, make] of Object.entries(transports)) {
  describe(`Views ${transport}`, () => {
    it.effect("the site's views, a workbook's views, one view and its tags: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const page = yield* Views.page({ pageSize: 5 })
        // Two views for each of the first 20 workbooks of the Default site.
        assert.strictEqual(page.pagination.totalAvailable, 40)
        assert.strictEqual(page.items.length, 5)
        const all = yield* Stream.runCollect(Views.stream({ pageSize: 15 }))
        assert.strictEqual(all.length, 40)

        const views = yield* Views.ofWorkbook(first.id)
        assert.deepStrictEqual(views.map((view) => [view.name, view.sheetType]), [
          ["Overview", "dashboard"],
          ["Details", "worksheet"]
        ])
        const overview = views[0]!
        assert.match(overview.id, LUID)
        assert.deepStrictEqual(
          [overview.workbook?.id, overview.owner?.id, overview.project?.id, overview.contentUrl],
          [first.id, first.ownerId, first.projectId, `${first.contentUrl}/sheets/Overview`]
        )
        const one = yield* Views.get(overview.id)
        assert.strictEqual(one.viewUrlName, "Overview")

        assert.deepStrictEqual(yield* Views.addTags(overview.id, ["kpi", "weekly"]), ["kpi", "weekly"])
        yield* Views.removeTag(overview.id, "weekly")
        assert.deepStrictEqual((yield* Views.get(overview.id)).tags, ["kpi"])

        const paths = sent.filter((request) => !request.path.includes("/auth/")).map((request) =>
          `${request.method} ${request.path}`
        )
        assert.includeMembers(paths, [
          `GET /api/3.24/sites/${SITE}/views`,
          `GET /api/3.24/sites/${SITE}/workbooks/${first.id}/views`,
          `GET /api/3.24/sites/${SITE}/views/${overview.id}`
        ])
        const wire = writes(sent)
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `PUT /api/3.24/sites/${SITE}/views/${overview.id}/tags`,
          `DELETE /api/3.24/sites/${SITE}/views/${overview.id}/tags/weekly`
        ])
        assert.strictEqual(wire[0]!.body, `<tsRequest><tags><tag label="kpi"/><tag label="weekly"/></tags></tsRequest>`)
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Views: what Tableau answers and refuses", () => {
  it.effect("filters on the declared fields: workbookName, sheetType, tags", () =>
    Effect.gen(function*() {
      const dashboards = yield* Views.page({
        filter: Filter.and(Filter.eq("workbookName", first.name), Filter.eq("sheetType", "dashboard"))
      })
      assert.deepStrictEqual(dashboards.items.map((view) => view.name), ["Overview"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("Workbooks.views is Views.ofWorkbook; an unknown workbook is its 404006", () =>
    Effect.gen(function*() {
      assert.strictEqual(Workbooks.views, Views.ofWorkbook)
      const error = yield* Effect.flip(Views.ofWorkbook("00000000-0000-4000-8000-000000000000"))
      assertApiError(error, 404, "404006")
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("Get View needs API 3.0: on 2.8 it fails before sending, while the lists still work", () =>
    Effect.gen(function*() {
      const views = yield* Views.ofWorkbook(first.id)
      const error = yield* Effect.flip(Views.get(views[0]!.id))
      assert.strictEqual(error._tag, "TableauVersionError")
      const { items } = yield* Views.page({ pageSize: 2 })
      assert.strictEqual(items.length, 2)
    }).pipe(
      Effect.provide(
        // Personal access tokens need 3.6: this session signs in with a password.
        TableauSession.layer(
          Credentials.usernamePassword({ username: defaults.admin.username, password: defaults.admin.password })
        ).pipe(
          Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion: "2.8" })),
          Layer.provide(TableauEmulator.layer())
        )
      )
    ))

  it.effect("MarketingTeam lists the views of its own workbooks only", () =>
    Effect.gen(function*() {
      const { items } = yield* Views.page({ pageSize: 100 })
      assert.strictEqual(items.length, 6)
    }).pipe(Effect.provide(emulated({ site: "MarketingTeam" }))))

  it.effect("an Explorer cannot tag a view of another user's workbook; may tag one of their own", () =>
    Effect.gen(function*() {
      const [theirs] = yield* Views.ofWorkbook(first.id)
      assertApiError(yield* Effect.flip(Views.addTags(theirs!.id, ["mine"])), 403, "403004")
      const [own] = yield* Views.ofWorkbook(Fixtures.defaultWorkbook(2).id)
      assert.deepStrictEqual(yield* Views.addTags(own!.id, ["mine"]), ["mine"])
    }).pipe(Effect.provide(asBob())))

  it.effect("deleting a project takes the views of its workbooks with them", () =>
    Effect.gen(function*() {
      const finance = Fixtures.defaultWorkbook(1)
      const [view] = yield* Views.ofWorkbook(finance.id)
      yield* Projects.remove(ids.projects.finance)
      assertApiError(yield* Effect.flip(Views.get(view!.id)), 404, "404011")
      const { pagination } = yield* Views.page()
      // 7 of the first 20 workbooks were in Finance.
      assert.strictEqual(pagination.totalAvailable, 26)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a view id that is not a LUID, or a label with a control character, is refused before sending", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const id = yield* Effect.flip(Views.get("overview"))
      assert.strictEqual(id._tag === "TableauRequestError" && id.parameter, "id")
      const workbook = yield* Effect.flip(Views.ofWorkbook("../workbooks"))
      assert.strictEqual(workbook._tag === "TableauRequestError" && workbook.parameter, "id")
      const label = yield* Effect.flip(Views.addTags("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", ["\u001b[31m"]))
      assert.strictEqual(label._tag === "TableauRequestError" && label.parameter, "tags.tag[0].label")
      assert.deepStrictEqual(sent.filter((request) => !request.path.includes("/auth/")), [])
    }).pipe(Effect.provide(layer))
  })
})
