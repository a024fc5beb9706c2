import { describe, expect, it } from "@effect/vitest"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { bodies, emulator, signIn } from "./util.js"

describe("Fixtures", () => {
  it("makes the documented defaults with deterministic ids", () => {
    const fixtures = Fixtures.make()
    expect(fixtures.sites.map((site) => [site.contentUrl, site.name])).toEqual([["", "Default"], [
      "MarketingTeam",
      "Marketing Team"
    ]])
    expect(fixtures.users.map((user) => [user.name, user.siteRole])).toEqual([
      ["admin", "ServerAdministrator"],
      ["alice", "SiteAdministratorCreator"],
      ["bob", "Explorer"]
    ])
    const onDefault = fixtures.workbooks.filter((workbook) => workbook.siteId === Fixtures.ids.sites.default)
    expect(onDefault).toHaveLength(25)
    expect(new Set(onDefault.map((workbook) => workbook.projectId)).size).toBe(3)
    expect(fixtures.workbooks.filter((workbook) => workbook.siteId === Fixtures.ids.sites.marketing)).toHaveLength(3)
    expect(Fixtures.make()).toEqual(fixtures)
    expect(Fixtures.ids.sites.default).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(fixtures.workbooks.map((workbook) => workbook.id)).size).toBe(fixtures.workbooks.length)
    expect(Fixtures.make({ workbooks: 1000 }).workbooks).toHaveLength(1003)
    expect(Fixtures.make({ workbooks: 0 }).workbooks).toHaveLength(3)
  })

  it.effect("round-trips through JSON and fills optional fields with defaults", () =>
    Effect.gen(function*() {
      const fixtures = Fixtures.make({ workbooks: 4 })
      const json: unknown = JSON.parse(JSON.stringify(yield* Fixtures.toJson(fixtures)))
      expect(yield* Fixtures.fromJson(json)).toEqual(fixtures)
      const minimal = yield* Fixtures.fromJson({
        sites: [{ id: "s1", name: "Only", contentUrl: "only" }],
        users: [{ id: "u1", name: "solo", password: "pw", siteRole: "Creator", siteIds: ["s1"] }]
      })
      expect(minimal.users[0]!.personalAccessTokens).toEqual([])
      expect(minimal.workbooks).toEqual([])
    }))

  it.effect("refuses fixtures whose references do not resolve", () =>
    Effect.gen(function*() {
      const base = yield* Fixtures.toJson(Fixtures.make({ workbooks: 1 }))
      const badProject = { ...base, workbooks: [{ ...base.workbooks![0]!, projectId: "missing" }] }
      expect(Exit.isFailure(yield* Effect.exit(Fixtures.fromJson(badProject)))).toBe(true)
      const badRole = { ...base, users: [{ ...base.users[0]!, siteRole: "Emperor" }] }
      expect(Exit.isFailure(yield* Effect.exit(Fixtures.fromJson(badRole)))).toBe(true)
      const twoDefaults = { ...base, sites: [...base.sites, { id: "x", name: "Other", contentUrl: "" }] }
      expect(Exit.isFailure(yield* Effect.exit(Fixtures.fromJson(twoDefaults)))).toBe(true)
    }))

  it.effect("serves custom fixtures: a user limited to a site, a PAT bound to a site", () =>
    Effect.gen(function*() {
      const fixtures = yield* Fixtures.fromJson({
        sites: [{ id: "s1", name: "One", contentUrl: "" }, { id: "s2", name: "Two", contentUrl: "two" }],
        users: [{
          id: "u1",
          name: "solo",
          siteRole: "Creator",
          siteIds: ["s1", "s2"],
          personalAccessTokens: [{ name: "p", secret: "s", siteId: "s2" }]
        }]
      })
      const program = Effect.gen(function*() {
        const onTwo = yield* signIn(bodies.pat("p", "s", "two"))
        expect(onTwo.userId).toBe("u1")
        const service = yield* emulator
        expect((yield* service.fixtures).sites).toHaveLength(2)
        // The PAT belongs to site two; no password was given.
        const onOne = yield* Effect.exit(signIn(bodies.pat("p", "s", "")))
        const noPassword = yield* Effect.exit(signIn(bodies.password("solo", "")))
        expect([Exit.isFailure(onOne), Exit.isFailure(noPassword)]).toEqual([true, true])
      })
      yield* program.pipe(Effect.provide(TableauEmulator.layer({ fixtures })))
    }))
})
