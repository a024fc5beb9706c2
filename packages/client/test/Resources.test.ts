import * as Headers from "@effect/platform/Headers"
import { assert, describe, it, layer } from "@effect/vitest"
import { Projects, Sites, TableauSession, Users, Workbooks } from "@tableau-effect/client"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { emulated, ids, recordedPaths, recordingTracer, routeCount } from "./support/EmulatedSession.js"
import type { RecordedSpan } from "./support/EmulatedSession.js"

const utc = (iso: string) => DateTime.unsafeMake(iso)

layer(emulated())("resources of the Default site, signed in as the server administrator", (it) => {
  it.effect("Workbooks.get decodes typed fields: dates, booleans, numbers, project, owner, tags", () =>
    Effect.gen(function*() {
      const workbook = yield* Workbooks.get(Fixtures.defaultWorkbook(0).id)
      assert.instanceOf(workbook, Workbooks.Workbook)
      assert.strictEqual(workbook.name, "Superstore")
      assert.strictEqual(workbook.description, `Superstore & friends: the "classic" view`)
      assert.isTrue(DateTime.isDateTime(workbook.createdAt))
      assert.isTrue(DateTime.Equivalence(workbook.createdAt, utc("2024-01-15T09:00:00Z")))
      assert.isTrue(DateTime.Equivalence(workbook.updatedAt, utc("2024-01-16T09:00:00Z")))
      assert.strictEqual(workbook.showTabs, true)
      assert.strictEqual(workbook.size, 1)
      assert.deepStrictEqual(workbook.tags, ["sales"])
      assert.deepStrictEqual({ ...workbook.project }, { id: ids.projects.default, name: "default" })
      assert.strictEqual(workbook.owner.id, ids.users.admin)
      assert.isString(workbook.webpageUrl)
    }))

  it.effect("Workbooks.page gives several tags, no tags and false booleans their types", () =>
    Effect.gen(function*() {
      const { items } = yield* Workbooks.page({ pageSize: 3 })
      assert.deepStrictEqual(items.map((w) => w.tags), [["sales"], ["finance", "quarterly"], []])
      assert.deepStrictEqual(items.map((w) => w.showTabs), [true, false, true])
      assert.deepStrictEqual(items.map((w) => w.size), [1, 2, 3])
      assert.deepStrictEqual(items.map((w) => w.project?.name), ["default", "Finance", "Sales"])
    }))

  it.effect("Workbooks.get of an unknown id is a 404 TableauApiError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Workbooks.get("00000000-0000-4000-8000-000000000000"))
      assert.strictEqual(error._tag, "TableauApiError")
      if (error._tag === "TableauApiError") assert.strictEqual(error.status, 404)
    }))

  it.effect("Workbooks.get of something that is not a LUID fails before sending", () =>
    Effect.gen(function*() {
      const before = yield* recordedPaths("/workbooks/")
      const error = yield* Effect.flip(Workbooks.get(".."))
      assert.strictEqual(error._tag === "TableauRequestError" && error.parameter, "id")
      assert.deepStrictEqual(yield* recordedPaths("/workbooks/"), before)
    }))

  it.effect("Users.page lists the site's users with their site roles", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Users.page()
      const byName = new Map(items.map((user) => [user.name, user]))
      assert.strictEqual(pagination.totalAvailable, 3)
      assert.strictEqual(byName.get("alice")?.siteRole, "SiteAdministratorCreator")
      assert.strictEqual(byName.get("bob")?.fullName, "Bob Viewer")
      assert.strictEqual(byName.get("admin")?.email, "admin@example.com")
    }))

  it.effect("Users.get returns the user with that id", () =>
    Effect.gen(function*() {
      const user = yield* Users.get(ids.users.alice)
      assert.instanceOf(user, Users.User)
      assert.deepStrictEqual([user.name, user.fullName], ["alice", "Alice Analyst"])
    }))

  it.effect("Users.findByName finds a user by name, and answers None for a name nobody has", () =>
    Effect.gen(function*() {
      const alice = yield* Users.findByName("alice")
      assert.isTrue(Option.isSome(alice))
      assert.strictEqual(Option.getOrThrow(alice).id, ids.users.alice)
      const nobody = yield* Users.findByName("nobody")
      assert.isTrue(Option.isNone(nobody))
      const paths = yield* recordedPaths("/users?")
      assert.include(paths[paths.length - 1]!, "filter=name%3Aeq%3Anobody")
    }))

  it.effect("Projects.page and Projects.stream list the site's projects with dates and owners", () =>
    Effect.gen(function*() {
      const { items } = yield* Projects.page()
      assert.deepStrictEqual(items.map((p) => p.name), ["default", "Finance", "Sales"])
      const finance = items[1]!
      assert.instanceOf(finance, Projects.Project)
      assert.strictEqual(finance.description, "Finance dashboards")
      assert.strictEqual(finance.owner?.id, ids.users.alice)
      assert.isTrue(DateTime.Equivalence(finance.createdAt!, utc("2024-01-13T09:00:00Z")))
      const streamed = yield* Stream.runCollect(Projects.stream({ pageSize: 1 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(streamed).map((p) => p.id), items.map((p) => p.id))
    }))

  it.effect("Sites.current is the session's site", () =>
    Effect.gen(function*() {
      const site = yield* Sites.current
      assert.instanceOf(site, Sites.Site)
      assert.deepStrictEqual([site.id, site.name, site.contentUrl], [ids.sites.default, "Default", ""])
      assert.strictEqual(site.revisionHistoryEnabled, true)
      assert.strictEqual(site.revisionLimit, 25)
    }))

  it.effect("Sites.page and Sites.stream list the sites on Tableau Server", () =>
    Effect.gen(function*() {
      const { items, pagination } = yield* Sites.page()
      assert.deepStrictEqual(items.map((s) => s.contentUrl), ["", "MarketingTeam"])
      assert.strictEqual(pagination.totalAvailable, 2)
      const streamed = yield* Stream.runCollect(Sites.stream({ pageSize: 1, concurrency: 2 }))
      assert.deepStrictEqual(Chunk.toReadonlyArray(streamed).map((s) => s.name), ["Default", "Marketing Team"])
    }))

  it.effect("Sites.get of the Default site's empty contentUrl fails before sending", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Sites.get(""))
      assert.strictEqual(error._tag === "TableauRequestError" && error.parameter, "contentUrl")
    }))
})

describe("Sites by contentUrl and on Tableau Cloud", () => {
  it.effect("Sites.get looks a site up by contentUrl with key=contentUrl", () =>
    Effect.gen(function*() {
      const site = yield* Sites.get("MarketingTeam")
      assert.deepStrictEqual([site.id, site.name], [ids.sites.marketing, "Marketing Team"])
      assert.deepStrictEqual(yield* recordedPaths("?key="), ["/api/3.24/sites/MarketingTeam?key=contentUrl"])
    }).pipe(Effect.provide(emulated({ site: "MarketingTeam" }))))

  it.effect("listing sites on Tableau Cloud fails with TableauUnsupportedError and sends nothing", () =>
    Effect.gen(function*() {
      const pageError = yield* Effect.flip(Sites.page())
      assert.strictEqual(pageError._tag, "TableauUnsupportedError")
      const streamError = yield* Effect.flip(Stream.runDrain(Sites.stream()))
      assert.strictEqual(streamError._tag, "TableauUnsupportedError")
      assert.strictEqual(yield* routeCount("GET /api/{v}/sites"), 0)
      // The session's own site is still there.
      const site = yield* Sites.current
      assert.strictEqual(site.contentUrl, "MarketingTeam")
    }).pipe(
      Effect.provide(emulated({ emulator: { cloud: true }, server: { deployment: "cloud" }, site: "MarketingTeam" }))
    ))
})

describe("tracing", () => {
  it.effect("each call runs in a span with the path template, API version and site id, never the token", () => {
    const { layer: tracing, spans } = recordingTracer()
    return Effect.gen(function*() {
      yield* Workbooks.page({ pageSize: 5 })
      yield* Workbooks.get(Fixtures.defaultWorkbook(1).id)
      yield* Users.findByName("bob")
      yield* Stream.runDrain(Projects.stream())
      const list = spans.find((span) => span.name === "tableau.workbooks.list")
      assert.isDefined(list)
      assert.strictEqual(list!.attributes.get("tableau.path"), "/sites/{siteId}/workbooks")
      assert.strictEqual(list!.attributes.get("tableau.api_version"), "3.24")
      assert.strictEqual(list!.attributes.get("tableau.site_id"), ids.sites.default)
      assert.strictEqual(list!.attributes.get("tableau.page_size"), 5)
      const get = spans.find((span) => span.name === "tableau.workbooks.get")
      assert.strictEqual(get?.attributes.get("tableau.path"), "/sites/{siteId}/workbooks/{workbookId}")
      const names = spans.map((span) => span.name)
      for (
        const name of [
          "tableau.users.findByName",
          "tableau.users.list",
          "tableau.projects.stream",
          "tableau.projects.list"
        ]
      ) {
        assert.include(names, name)
      }
      const token = Redacted.value((yield* TableauSession.state).token)
      const values = spans.flatMap((span) => [...span.attributes.values()].map(String))
      assert.isFalse(values.some((value) => value.includes(token)), "no span attribute holds the token")
    }).pipe(Effect.provide(emulated()), Effect.provide(tracing))
  })
})

describe("span tree", () => {
  it.effect("a call's span sits under the caller's, and its request (and a re-sign-in) under it", () => {
    const { layer: tracing, spans } = recordingTracer()
    return Effect.gen(function*() {
      yield* Effect.withSpan(
        Effect.gen(function*() {
          yield* Sites.current
          yield* Workbooks.page({ pageSize: 1 })
          yield* Workbooks.get(Fixtures.defaultWorkbook(1).id)
          yield* Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) => emulator.expireAllSessions)
          yield* Users.get(ids.users.admin)
        }),
        "job"
      )
      const job = spans.find((span) => span.name === "job")!
      const childrenOf = (parent: RecordedSpan) => spans.filter((span) => span.parentId === parent.id)
      const calls = ["tableau.sites.current", "tableau.workbooks.list", "tableau.workbooks.get", "tableau.users.get"]
      for (const name of calls) {
        const call = spans.find((span) => span.name === name)
        assert.strictEqual(call?.parentId, job.id, `${name} is under the caller's span`)
        const children = childrenOf(call!).map((span) => span.name)
        assert.include(children, "tableau.request", `${name} has its request under it`)
      }
      const afterExpiry = spans.find((span) => span.name === "tableau.users.get")!
      const reSignIn = childrenOf(afterExpiry).find((span) => span.name === "tableau.reSignIn")
      assert.isDefined(reSignIn, "the re-sign-in is under the call that met the expired session")
      assert.deepStrictEqual(
        childrenOf(afterExpiry).map((span) => span.name),
        ["tableau.request", "tableau.reSignIn", "tableau.request"]
      )
      assert.isUndefined(spans.find((span) => span.name === "tableau.request" && span.parentId === job.id))
    }).pipe(Effect.provide(emulated()), Effect.provide(tracing))
  })
})

describe("Workbooks.collection decoding tags", () => {
  const page = (tags: string) => ({
    status: 200,
    contentType: "application/xml",
    url: "https://tableau.test/api/3.24/sites/s/workbooks",
    headers: Headers.empty,
    body: `<tsResponse xmlns="http://tableau.com/api"><pagination pageNumber="1" pageSize="1" totalAvailable="1"/>` +
      `<workbooks><workbook id="w" name="W" contentUrl="W" createdAt="2024-01-15T09:00:00Z" updatedAt="2024-01-15T09:00:00Z">` +
      `<project id="p" name="default"/><owner id="o"/>${tags}</workbook></workbooks></tsResponse>`
  })
  const tagsOf = (tags: string) => Effect.map(Workbooks.collection.decode(page(tags)), (p) => p.items[0]!.tags)

  it.effect("reads no <tags>, an empty one, one tag and several as label lists", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* tagsOf(""), [])
      assert.deepStrictEqual(yield* tagsOf("<tags/>"), [])
      assert.deepStrictEqual(yield* tagsOf(`<tags><tag label="a"/></tags>`), ["a"])
      assert.deepStrictEqual(yield* tagsOf(`<tags><tag label="a"/><tag label="b &amp; c"/></tags>`), ["a", "b & c"])
    }))

  it.effect("a <tag> without a label is a TableauDecodeError that names the tags", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(tagsOf(`<tags><tag label="a"/><tag/></tags>`))
      assert.strictEqual(error._tag, "TableauDecodeError")
      assert.include(error.reason, "tags")
      const text = yield* Effect.flip(tagsOf(`<tags>text</tags>`))
      assert.strictEqual(text._tag, "TableauDecodeError")
    }))
})
