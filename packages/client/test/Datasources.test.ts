/**
 * Datasources against the emulator, in memory and over a loopback socket: the reads, update,
 * tags, connections, refresh and delete, what was sent (method, path, a body that validates
 * against Tableau's XSD) and what the caller got; the ownership rules and refusals a real server
 * makes, and the refusals made before anything is sent.
 */
import { assert, describe, it } from "@effect/vitest"
import { Datasources, Filter, Projects } from "@tableau-effect/client"
import { Fault, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Logger, LogLevel, Redacted } from "effect"
import { asBob, assertApiError, LUID } from "./support/Content.js"
import { emulated, ids } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default
const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

const byName = (name: string) =>
  Effect.flatMap(Datasources.page({ pageSize: 100 }), ({ items }) => {
    const found = items.find((datasource) => datasource.name === name)
    return found === undefined ? Effect.dieMessage(`no data source ${name}`) : Effect.succeed(found)
  })

for (const [transport, make] of Object.entries(transports)) {
  describe(`Datasources ${transport}`, () => {
    it.effect("list, get, update, tags, connections, refresh and remove: the wire and the answers", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const { items, pagination } = yield* Datasources.page({ pageSize: 100 })
        assert.strictEqual(pagination.totalAvailable, 3)
        assert.deepStrictEqual(items.map((datasource) => datasource.name), [
          "Superstore Orders",
          "Finance Ledger",
          "Survey Results"
        ])
        const orders = items[0]!
        assert.match(orders.id, LUID)
        assert.deepStrictEqual(
          [orders.isCertified, orders.hasExtracts, orders.type, orders.project?.name, orders.owner?.id],
          [true, true, "postgres", "default", ids.users.admin]
        )
        assert.deepStrictEqual(orders.tags, ["sales", "certified"])
        const again = yield* Datasources.get(orders.id)
        assert.strictEqual(again.certificationNote, "Reconciled with the order system every night")

        const updated = yield* Datasources.update(orders.id, {
          name: "Orders & Returns",
          projectId: ids.projects.finance,
          certificationNote: "Checked <daily>"
        })
        assert.deepStrictEqual(
          [updated.name, updated.project?.id, updated.project?.name, updated.certificationNote],
          ["Orders & Returns", ids.projects.finance, "Finance", "Checked <daily>"]
        )
        const labels = yield* Datasources.addTags(orders.id, ["gold", "Sales"])
        // Tags compare without case: "Sales" is the "sales" already there.
        assert.deepStrictEqual(labels, ["sales", "certified", "gold"])
        yield* Datasources.removeTag(orders.id, "certified")
        assert.deepStrictEqual((yield* Datasources.get(orders.id)).tags, ["sales", "gold"])

        const connections = yield* Datasources.connections(orders.id)
        assert.strictEqual(connections.length, 1)
        const connection = connections[0]!
        assert.deepStrictEqual(
          [connection.type, connection.serverAddress, connection.serverPort, connection.userName],
          ["postgres", "postgres.example.com", 5432, "tableau"]
        )
        const moved = yield* Datasources.updateConnection(orders.id, connection.id, {
          serverAddress: "replica.example.com",
          serverPort: 6432,
          password: Redacted.make("pa&ss"),
          embedPassword: true
        })
        assert.deepStrictEqual(
          [moved.id, moved.serverAddress, moved.serverPort, moved.userName, moved.embedPassword],
          [connection.id, "replica.example.com", 6432, "tableau", true]
        )
        assert.notProperty(moved, "password")

        const job = yield* Datasources.refresh(orders.id)
        assert.match(job.id, LUID)
        assert.deepStrictEqual([job.type, job.mode, job.progress], ["RefreshExtract", "Asynchronous", 0])
        assert.strictEqual(job.extractRefreshJob?.datasource?.id, orders.id)

        yield* Datasources.remove(orders.id)
        const gone = yield* Effect.flip(Datasources.get(orders.id))
        assertApiError(gone, 404, "404011")

        const wire = writes(sent)
        const item = `/api/3.24/sites/${SITE}/datasources/${orders.id}`
        assert.deepStrictEqual(wire.map((request) => `${request.method} ${request.path}`), [
          `PUT ${item}`,
          `PUT ${item}/tags`,
          `DELETE ${item}/tags/certified`,
          `PUT ${item}/connections/${connection.id}`,
          `POST ${item}/refresh`,
          `DELETE ${item}`
        ])
        assert.deepStrictEqual(wire.map((request) => request.body), [
          `<tsRequest><datasource certificationNote="Checked &lt;daily&gt;" name="Orders &amp; Returns"><project id="${ids.projects.finance}"/></datasource></tsRequest>`,
          `<tsRequest><tags><tag label="gold"/><tag label="Sales"/></tags></tsRequest>`,
          "",
          `<tsRequest><connection embedPassword="true" password="pa&amp;ss" serverAddress="replica.example.com" serverPort="6432"/></tsRequest>`,
          "<tsRequest/>",
          ""
        ])
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Datasources: what Tableau answers and refuses", () => {
  it.effect("MarketingTeam has its own data source; filters read the declared fields", () =>
    Effect.gen(function*() {
      const { items } = yield* Datasources.page()
      assert.deepStrictEqual(items.map((datasource) => [datasource.name, datasource.project?.name]), [
        ["Campaign Metrics", "Campaigns"]
      ])
    }).pipe(Effect.provide(emulated({ site: "MarketingTeam" }))))

  it.effect("filters on hasExtracts and isCertified", () =>
    Effect.gen(function*() {
      const extracts = yield* Datasources.page({ filter: Filter.eq("hasExtracts", true) })
      assert.deepStrictEqual(extracts.items.map((datasource) => datasource.name), [
        "Superstore Orders",
        "Survey Results"
      ])
      const certified = yield* Datasources.page({ filter: Filter.eq("isCertified", true) })
      assert.deepStrictEqual(certified.items.map((datasource) => datasource.name), ["Superstore Orders"])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a refresh of a data source without an extract is a 400000; nothing is queued", () =>
    Effect.gen(function*() {
      const ledger = yield* byName("Finance Ledger")
      assert.isFalse(ledger.hasExtracts)
      const error = yield* Effect.flip(Datasources.refresh(ledger.id))
      assertApiError(error, 400, "400000")
      assert.include(error.message, "no extract")
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("an Explorer cannot change, tag, refresh or delete what another user owns: 403004", () =>
    Effect.gen(function*() {
      const orders = yield* byName("Superstore Orders")
      for (
        const attempt of [
          Datasources.update(orders.id, { name: "Mine" }),
          Datasources.addTags(orders.id, ["mine"]),
          Datasources.removeTag(orders.id, "sales"),
          Datasources.refresh(orders.id),
          Datasources.remove(orders.id)
        ].map(Effect.asVoid)
      ) {
        assertApiError(yield* Effect.flip(attempt), 403, "403004")
      }
      assert.strictEqual((yield* Datasources.get(orders.id)).name, "Superstore Orders")
    }).pipe(Effect.provide(asBob())))

  it.effect("an owner may rename their data source, but not certify it, move it or give it away", () =>
    Effect.gen(function*() {
      const survey = yield* byName("Survey Results")
      assert.strictEqual(survey.owner?.id, ids.users.bob)
      const renamed = yield* Datasources.update(survey.id, { name: "Survey 2026" })
      assert.strictEqual(renamed.name, "Survey 2026")
      assertApiError(yield* Effect.flip(Datasources.update(survey.id, { isCertified: true })), 403, "403004")
      assertApiError(
        yield* Effect.flip(Datasources.update(survey.id, { projectId: ids.projects.finance })),
        403,
        "403004"
      )
      assertApiError(yield* Effect.flip(Datasources.update(survey.id, { ownerId: ids.users.alice })), 403, "403004")
      const job = yield* Datasources.refresh(survey.id)
      assert.strictEqual(job.type, "RefreshExtract")
    }).pipe(Effect.provide(asBob())))

  it.effect("an administrator may give a data source to a user of the site, not to a stranger", () =>
    Effect.gen(function*() {
      const ledger = yield* byName("Finance Ledger")
      const given = yield* Datasources.update(ledger.id, { ownerId: ids.users.bob })
      assert.strictEqual(given.owner?.id, ids.users.bob)
      const error = yield* Effect.flip(
        Datasources.update(ledger.id, { ownerId: "00000000-0000-4000-8000-000000000000" })
      )
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 404)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("deleting a project takes its data sources with it", () =>
    Effect.gen(function*() {
      const ledger = yield* byName("Finance Ledger")
      yield* Projects.remove(ids.projects.finance)
      assertApiError(yield* Effect.flip(Datasources.get(ledger.id)), 404, "404011")
      const { pagination } = yield* Datasources.page()
      assert.strictEqual(pagination.totalAvailable, 2)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a control character, or an id that is not a LUID, is refused before sending", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const orders = yield* byName("Superstore Orders")
      const control = yield* Effect.flip(Datasources.addTags(orders.id, ["ok", "bell\u0007"]))
      assert.strictEqual(control._tag, "TableauRequestError")
      assert.include(control.message, "tags.tag[1].label")
      const project = yield* Effect.flip(Datasources.update(orders.id, { projectId: "../../users" }))
      assert.strictEqual(project._tag === "TableauRequestError" && project.parameter, "datasource.project.id")
      const owner = yield* Effect.flip(Datasources.update(orders.id, { ownerId: "bob" }))
      assert.strictEqual(owner._tag === "TableauRequestError" && owner.parameter, "datasource.owner.id")
      const connection = yield* Effect.flip(Datasources.updateConnection(orders.id, "not-a-luid", { userName: "x" }))
      assert.strictEqual(connection._tag === "TableauRequestError" && connection.parameter, "connectionId")
      const id = yield* Effect.flip(Datasources.refresh("not-a-luid"))
      assert.strictEqual(id._tag === "TableauRequestError" && id.parameter, "id")
      const dots = yield* Effect.flip(Datasources.removeTag(orders.id, ".."))
      assert.strictEqual(dots._tag === "TableauRequestError" && dots.parameter, "tagName")
      assert.deepStrictEqual(writes(sent), [])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a connection's password is sent in the body and nowhere else: not in a log line, not in the answer", () => {
    const lines: Array<string> = []
    const logger = Logger.make(({ message }) => lines.push(JSON.stringify(message)))
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const orders = yield* byName("Superstore Orders")
      const [connection] = yield* Datasources.connections(orders.id)
      const changed = yield* Datasources.updateConnection(orders.id, connection!.id, {
        userName: "reader",
        password: Redacted.make("hunter2-secret")
      })
      assert.strictEqual(changed.userName, "reader")
      assert.notInclude(JSON.stringify(changed), "hunter2-secret")
      assert.isAbove(lines.length, 0)
      assert.notInclude(lines.join("\n"), "hunter2-secret")
      assert.include(writes(sent)[0]!.body, `password="hunter2-secret"`)
    }).pipe(
      Effect.provide(layer),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
  })

  it.live("a PUT that met a 503 is sent again; the refresh POST that met one is not", () => {
    const { layer, sent } = recorded({
      server: { retry: { times: 2, baseDelay: "1 millis", maxDelay: "2 millis", maxRetryAfter: "1 second" } }
    })
    return Effect.gen(function*() {
      const emulator = yield* TableauEmulator.TableauEmulator
      const orders = yield* byName("Superstore Orders")
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/datasources\// })
      const renamed = yield* Datasources.update(orders.id, { name: "Orders" })
      assert.strictEqual(renamed.name, "Orders")
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/datasources\// })
      const labels = yield* Datasources.addTags(orders.id, ["again"])
      assert.include(labels, "again")
      yield* emulator.failNext(1, Fault.Status({ status: 503 }), { path: /\/refresh/ })
      const error = yield* Effect.flip(Datasources.refresh(orders.id))
      assert.strictEqual(error._tag === "TableauApiError" && error.status, 503)
      assert.deepStrictEqual(writes(sent).map((request) => request.method), ["PUT", "PUT", "PUT", "PUT", "POST"])
    }).pipe(Effect.provide(layer))
  })
})
