import { describe, expect, it } from "@effect/vitest"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as TestClock from "effect/TestClock"
import {
  aliceSignedInAt,
  bodies,
  defaults,
  emulator,
  errorCode,
  ids,
  names,
  pagination,
  send,
  signIn,
  signInAdmin
} from "./util.js"

const defaultFixtures = Fixtures.make()
const workbooksPath = `/api/3.24/sites/${ids.sites.default}/workbooks`

/** Lists workbooks of the Default site as admin, with a raw query string. */
const listWorkbooks = (query: string) =>
  Effect.gen(function*() {
    const { token } = yield* signInAdmin
    return yield* send("GET", `${workbooksPath}${query}`, { token })
  })

/** Sends a raw URL straight to the handler, bypassing any client-side URL encoding. */
const raw = (url: string) =>
  Effect.gen(function*() {
    const { token } = yield* signInAdmin
    const service = yield* emulator
    const response = yield* service.handle({
      method: "GET",
      url,
      headers: { "x-tableau-auth": token },
      body: new Uint8Array()
    })
    return { status: response.status, headers: response.headers, text: String(response.body) }
  })

describe("pagination", () => {
  it.effect("pages through the workbooks with totalAvailable on every page, in fixture order", () =>
    Effect.gen(function*() {
      const pages = []
      for (const pageNumber of [1, 2, 3, 4]) pages.push(yield* listWorkbooks(`?pageSize=10&pageNumber=${pageNumber}`))
      expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200])
      expect(pages.map((page) => pagination(page.text))).toEqual([1, 2, 3, 4].map((pageNumber) => ({
        pageNumber,
        pageSize: 10,
        totalAvailable: 25
      })))
      expect(pages.map((page) => names(page.text, "workbooks", "workbook").length)).toEqual([10, 10, 5, 0])
      expect(pages[3]!.text).toContain("<workbooks/>")
      const all = pages.flatMap((page) => names(page.text, "workbooks", "workbook"))
      expect(all).toEqual(
        defaultFixtures.workbooks.filter((workbook) => workbook.siteId === ids.sites.default).map((w) => w.name)
      )
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("defaults to pageSize 100 and pageNumber 1", () =>
    Effect.gen(function*() {
      const answer = yield* listWorkbooks("")
      expect(pagination(answer.text)).toEqual({ pageNumber: 1, pageSize: 100, totalAvailable: 150 })
      expect(names(answer.text, "workbooks", "workbook")).toHaveLength(100)
    }).pipe(Effect.provide(TableauEmulator.layer({ workbooks: 150 }))))

  it.effect("serves a page of 1000 and refuses pageSize 0, 1001 and text (400007), pageNumber 0 (400006)", () =>
    Effect.gen(function*() {
      const full = yield* listWorkbooks("?pageSize=1000")
      expect(names(full.text, "workbooks", "workbook")).toHaveLength(1000)
      for (const pageSize of ["0", "1001", "ten", "-1"]) {
        const answer = yield* listWorkbooks(`?pageSize=${pageSize}`)
        expect(answer.status).toBe(400)
        expect(errorCode(answer)).toBe("400007")
      }
      const answer = yield* listWorkbooks("?pageNumber=0")
      expect(errorCode(answer)).toBe("400006")
    }).pipe(Effect.provide(TableauEmulator.layer({ workbooks: 1200 }))))
})

describe("filter and sort", () => {
  it.effect("answers a one-item collection for name:eq, still a list with pagination", () =>
    Effect.gen(function*() {
      const answer = yield* listWorkbooks("?filter=name:eq:Superstore")
      expect(pagination(answer.text).totalAvailable).toBe(1)
      expect(names(answer.text, "workbooks", "workbook")).toEqual(["Superstore"])
      expect(answer.text.match(/<workbook /g)).toHaveLength(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("supports cieq, in for names and tags, has, and several filters at once", () =>
    Effect.gen(function*() {
      const count = (query: string) =>
        Effect.map(listWorkbooks(query), (answer) => pagination(answer.text).totalAvailable)
      expect(yield* count("?filter=name:cieq:SUPERSTORE")).toBe(1)
      expect(yield* count("?filter=name:eq:SUPERSTORE")).toBe(0)
      expect(yield* count("?filter=name:in:[Superstore,Inventory,Nothing]")).toBe(2)
      // Tags cycle ["sales"], ["finance","quarterly"], [], ["marketing"] over 25 workbooks.
      expect(yield* count("?filter=tags:eq:sales")).toBe(7)
      expect(yield* count("?filter=tags:in:[finance,marketing]")).toBe(12)
      expect(yield* count("?filter=projectName:eq:Finance")).toBe(8)
      expect(yield* count("?filter=name:has:sales,tags:in:[finance,quarterly]")).toBe(2)
      expect(yield* count("?filter=name:eq:Nothing")).toBe(0)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("sorts by name ascending and descending, then pages the sorted list", () =>
    Effect.gen(function*() {
      const expected = defaultFixtures.workbooks
        .filter((workbook) => workbook.siteId === ids.sites.default)
        .map((workbook) => workbook.name)
        .sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)
      const ascending = yield* listWorkbooks("?sort=name:asc")
      expect(names(ascending.text, "workbooks", "workbook")).toEqual(expected)
      const descending = yield* listWorkbooks("?sort=name:desc&pageSize=5&pageNumber=2")
      expect(names(descending.text, "workbooks", "workbook")).toEqual([...expected].reverse().slice(5, 10))
      expect(expected[0]).toBe("Budget vs Actual")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("reads an in list as comma-separated; a malformed list is 400065, and [a|b] is the one value a|b", () =>
    Effect.gen(function*() {
      for (
        const query of [
          "?filter=tags:in:sales",
          "?filter=tags:in:[sales",
          "?filter=tags:in:[]",
          "?filter=tags:in:[sales,,finance]"
        ]
      ) {
        const answer = yield* listWorkbooks(query)
        expect(answer.status, query).toBe(400)
        expect(errorCode(answer), query).toBe("400065")
      }
      const piped = yield* listWorkbooks("?filter=tags:in:[sales|finance]")
      expect(piped.status).toBe(200)
      expect(pagination(piped.text).totalAvailable).toBe(0)
      const commas = yield* listWorkbooks("?filter=tags:in:[sales,finance]")
      expect(pagination(commas.text).totalAvailable).toBe(13)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("leaves a user who never signed in out of lastLogin:lt and lte, as SQL leaves out NULL", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2025, 0, 1))
      const { token } = yield* signInAdmin
      const users = (filter: string) =>
        Effect.map(
          send("GET", `/api/3.24/sites/${ids.sites.default}/users?fields=_all_&filter=${filter}`, { token }),
          (answer) => names(answer.text, "users", "user")
        )
      // Bob has never signed in; the admin just did, in 2025.
      expect(yield* users("lastLogin:lte:2024-06-01T00:00:00Z")).toEqual(["alice"])
      expect(yield* users("lastLogin:lt:2024-06-01T00:00:00Z")).toEqual(["alice"])
      expect(yield* users("name:lt:b")).toEqual(["admin", "alice"])
    }).pipe(Effect.provide(TableauEmulator.layer({ fixtures: aliceSignedInAt("2024-05-01T12:00:00Z") }))))

  it.effect("refuses an unknown filter field or operator and a bad sort direction (400065)", () =>
    Effect.gen(function*() {
      for (
        const query of [
          "?filter=color:eq:red",
          "?filter=name:like:x",
          "?filter=name",
          "?sort=name:up",
          "?sort=color:asc"
        ]
      ) {
        const answer = yield* listWorkbooks(query)
        expect(answer.status).toBe(400)
        expect(errorCode(answer)).toBe("400065")
      }
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("decodes percent-encoded queries with + for spaces", () =>
    Effect.gen(function*() {
      for (
        const query of [
          "?filter=name%3Aeq%3ARegional+Sales",
          "?filter=name:eq:Regional%20Sales",
          "?filter=name:eq:Regional+Sales&pageSize=%31"
        ]
      ) {
        const answer = yield* raw(`${workbooksPath}${query}`)
        expect(answer.status).toBe(200)
        expect(names(answer.text, "workbooks", "workbook")).toEqual(["Regional Sales"])
      }
      const plusPage = yield* raw(`${workbooksPath}?pageSize=%31`)
      expect(pagination(plusPage.text).pageSize).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("the XML shape", () => {
  it.effect("answers a workbook list exactly as tableau-rest.md shows it, attributes escaped", () =>
    Effect.gen(function*() {
      const superstore = defaultFixtures.workbooks[0]!
      const answer = yield* listWorkbooks("?filter=name:eq:Superstore&pageSize=1")
      expect(answer.headers["content-type"]).toBe("application/xml;charset=UTF-8")
      expect(answer.text).toBe(
        `<?xml version='1.0' encoding='UTF-8'?>` +
          `<tsResponse xmlns="http://tableau.com/api" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
          `xsi:schemaLocation="http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/ts-api_3_24.xsd">` +
          `<pagination pageNumber="1" pageSize="1" totalAvailable="1"/>` +
          `<workbooks>` +
          `<workbook id="${superstore.id}" name="Superstore" ` +
          `description="Superstore &amp; friends: the &quot;classic&quot; view" contentUrl="Superstore" ` +
          `webpageUrl="http://tableau.emulator/#/workbooks/1" showTabs="true" size="1" ` +
          `createdAt="2024-01-15T09:00:00Z" updatedAt="2024-01-16T09:00:00Z">` +
          `<project id="${ids.projects.default}" name="default"/>` +
          `<owner id="${ids.users.admin}"/>` +
          `<tags><tag label="sales"/></tags>` +
          `</workbook>` +
          `</workbooks>` +
          `</tsResponse>`
      )
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("writes <tags/> for a workbook without tags and site paths in webpageUrl", () =>
    Effect.gen(function*() {
      const third = yield* listWorkbooks("?filter=name:eq:Executive+Overview")
      expect(third.text).toContain("<owner id=\"" + ids.users.bob + "\"/><tags/></workbook>")
      const alice = yield* signIn(bodies.password("alice", defaults.alice.password, "MarketingTeam"))
      const marketing = yield* send("GET", `/api/3.24/sites/${ids.sites.marketing}/workbooks`, { token: alice.token })
      expect(marketing.text).toContain("webpageUrl=\"http://tableau.emulator/#/site/MarketingTeam/workbooks/")
      expect(names(marketing.text, "workbooks", "workbook")).toEqual([
        "Campaign Performance",
        "Web Traffic",
        "Social Reach"
      ])
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("sites, users, projects and single items", () => {
  it.effect("lists the sites a user belongs to (all of them for the server administrator)", () =>
    Effect.gen(function*() {
      const admin = yield* signInAdmin
      const bob = yield* signIn(bodies.password("bob", defaults.bob.password))
      const adminSites = yield* send("GET", "/api/3.24/sites", { token: admin.token })
      expect(names(adminSites.text, "sites", "site")).toEqual(["Default", "Marketing Team"])
      const bobSites = yield* send("GET", "/api/3.24/sites", { token: bob.token })
      expect(names(bobSites.text, "sites", "site")).toEqual(["Default"])
      expect(pagination(bobSites.text).totalAvailable).toBe(1)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("gets the session's site by id or by contentUrl, and refuses another site", () =>
    Effect.gen(function*() {
      const alice = yield* signIn(bodies.password("alice", defaults.alice.password, "MarketingTeam"))
      const byId = yield* send("GET", `/api/3.24/sites/${ids.sites.marketing}`, { token: alice.token })
      expect(byId.text).toContain(`<site id="${ids.sites.marketing}" name="Marketing Team" contentUrl="MarketingTeam"`)
      const byContentUrl = yield* send("GET", "/api/3.24/sites/MarketingTeam?key=contentUrl", { token: alice.token })
      expect(byContentUrl.status).toBe(200)
      expect(byContentUrl.text).toContain(`<site id="${ids.sites.marketing}"`)
      const other = yield* send("GET", `/api/3.24/sites/${ids.sites.default}`, { token: alice.token })
      expect(errorCode(other)).toBe("403000")
      const unknown = yield* send("GET", "/api/3.24/sites/Nowhere?key=contentUrl", { token: alice.token })
      expect(errorCode(unknown)).toBe("404000")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("lists users and projects of a site and gets one user", () =>
    Effect.gen(function*() {
      const admin = yield* signInAdmin
      const users = yield* send("GET", `/api/3.24/sites/${ids.sites.default}/users?sort=name:desc`, {
        token: admin.token
      })
      expect(names(users.text, "users", "user")).toEqual(["bob", "alice", "admin"])
      expect(users.text).toContain(`siteRole="ServerAdministrator"`)
      const projects = yield* send("GET", `/api/3.24/sites/${ids.sites.default}/projects`, { token: admin.token })
      expect(names(projects.text, "projects", "project")).toEqual(["default", "Finance", "Sales"])
      const bob = yield* send("GET", `/api/3.24/sites/${ids.sites.default}/users/${ids.users.bob}`, {
        token: admin.token
      })
      expect(bob.text).toContain(`<user id="${ids.users.bob}" name="bob"`)
      const marketing = yield* signIn(bodies.password("admin", defaults.admin.password, "MarketingTeam"))
      const missing = yield* send("GET", `/api/3.24/sites/${ids.sites.marketing}/users/${ids.users.bob}`, {
        token: marketing.token
      })
      expect(missing.status).toBe(404)
      expect(errorCode(missing)).toBe("404002")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("gets one workbook by id, 404006 for an unknown one or one of another site", () =>
    Effect.gen(function*() {
      const admin = yield* signInAdmin
      const target = defaultFixtures.workbooks[3]!
      const one = yield* send("GET", `${workbooksPath}/${target.id}`, { token: admin.token })
      expect(one.status).toBe(200)
      expect(one.text).toContain(`<workbook id="${target.id}" name="${target.name}"`)
      const marketingWorkbook = defaultFixtures.workbooks.find((workbook) => workbook.siteId === ids.sites.marketing)!
      for (const id of ["0000", marketingWorkbook.id]) {
        const answer = yield* send("GET", `${workbooksPath}/${id}`, { token: admin.token })
        expect(answer.status).toBe(404)
        expect(errorCode(answer)).toBe("404006")
      }
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("addWorkbooks", () => {
  it.effect("adds default workbooks or given ones, seen by the next list", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const added = yield* service.addWorkbooks(5)
      expect(added).toHaveLength(5)
      const custom = { ...Fixtures.defaultWorkbook(0), id: "custom-id", name: "Custom & Co" }
      yield* service.addWorkbooks([custom])
      const answer = yield* listWorkbooks("?pageSize=1000")
      expect(pagination(answer.text).totalAvailable).toBe(31)
      expect(names(answer.text, "workbooks", "workbook").slice(-6)).toEqual([
        ...added.map((w) => w.name),
        "Custom & Co"
      ])
      expect((yield* service.fixtures).workbooks).toHaveLength(34)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("refuses a workbook with an unknown project, and reset restores the fixtures", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const exit = yield* Effect.exit(service.addWorkbooks([{ ...Fixtures.defaultWorkbook(99), projectId: "nope" }]))
      expect(Exit.isFailure(exit)).toBe(true)
      yield* service.addWorkbooks(2)
      yield* signInAdmin
      yield* service.reset
      expect((yield* service.fixtures).workbooks).toHaveLength(28)
      expect(yield* service.activeSessions).toBe(0)
      expect(yield* service.signIns).toBe(0)
    }).pipe(Effect.provide(TableauEmulator.layer())))
})
