/**
 * Every answer the emulator can give, checked against Tableau's XSD: each endpoint, both default
 * sites, the personal-space fixture, Cloud mode, and every error it renders.
 */
import { describe, expect, it } from "@effect/vitest"
import { ConnectedApp, EmulatorSchema, Fault, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import { xsdPath } from "../../../test-support/xsd.js"
import * as ApiError from "../src/internal/ApiError.js"
import * as Render from "../src/internal/render.js"
import { element, Generated } from "../src/internal/wire.js"
import * as Xml from "../src/internal/xml.js"
import { bodies, defaults, emulator, ids, send, signIn } from "./util.js"

const xsd = xsdPath ?? ""

describe("EmulatorSchema.validate", () => {
  it.effect("fails with ValidatorError when the XSD is not there (no XSD needed for this one)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(EmulatorSchema.validate("<tsResponse/>", { xsd: "/nowhere/ts-api_3_29.xsd" }))
      expect(error._tag).toBe("ValidatorError")
      expect(error.message).toContain("no such file")
    }))
})

describe.skipIf(xsdPath === undefined)("EmulatorSchema.validate against ts-api_3_29.xsd", () => {
  it.effect("fails with SchemaViolation naming the document and the element: serverInfo as servers before 3.29 sent it", () =>
    Effect.gen(function*() {
      const old = Xml.envelope(
        "3.24",
        `<serverInfo><productVersion build="20242.24.0711.1636">2024.2.0</productVersion><restApiVersion>3.24</restApiVersion></serverInfo>`
      )
      const fine = Xml.envelope("3.24", Render.serverInfo("2024.2.0", "20242.24.0711.1636", "3.24"))
      const error = yield* Effect.flip(EmulatorSchema.validate({ "old serverinfo": old, fine }, { xsd }))
      expect(error._tag).toBe("SchemaViolation")
      if (error._tag !== "SchemaViolation") return
      expect(error.problems.map((problem) => problem.document)).toEqual(["old serverinfo"])
      expect(error.problems[0]!.message).toContain("prepConductorVersion")
      expect(error.message).toContain("old serverinfo:1")
    }))

  it.effect("lets the XSD's own known defect through unless asked: restApiVersion 3.24 is what servers send", () =>
    Effect.gen(function*() {
      const info = Xml.envelope("3.24", Render.serverInfo("2024.2.0", "20242.24.0711.1636", "3.24"))
      yield* EmulatorSchema.validate(info, { xsd })
      const strict = yield* Effect.flip(EmulatorSchema.validate(info, { xsd, allow: [] }))
      expect(strict._tag).toBe("SchemaViolation")
      expect(strict.message).toContain("restApiVersion")
    }))

  it.effect("reads a root without a namespace as Tableau does, unless told not to", () =>
    Effect.gen(function*() {
      const body = `<tsRequest><site contentUrl="Sales"/></tsRequest>`
      yield* EmulatorSchema.validate(body, { xsd })
      yield* EmulatorSchema.validate(`<?xml version="1.0"?><tsResponse xmlns:x="urn:x"><serverInfo/></tsResponse>`, {
        xsd
      }).pipe(
        Effect.flip,
        Effect.map((error) => expect(error.message).toContain("serverInfo"))
      )
      const error = yield* Effect.flip(EmulatorSchema.validate(body, { xsd, defaultNamespace: null }))
      expect(error.message).toContain("No matching global declaration")
    }))

  it.effect("never shows the value of a secret attribute that a pattern refuses", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(EmulatorSchema.validate(
        `<tsRequest xmlns="http://tableau.com/api"><credentials name="a" password="hunter2-secret" extra="x"><site contentUrl=""/></credentials></tsRequest>`,
        { xsd }
      ))
      expect(error.message).not.toContain("hunter2-secret")
    }))
})

describe.skipIf(xsdPath === undefined)("every answer of the emulator validates against ts-api_3_29.xsd", () => {
  it.effect("answers of every endpoint, with the default fixtures and the personal-space workbook", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      yield* service.addWorkbooks([Fixtures.personalSpaceWorkbook])
      const answers: Record<string, string> = {}
      const keep = (name: string, status: number) => (answer: { readonly status: number; readonly text: string }) => {
        expect(answer.status, name).toBe(status)
        answers[name] = answer.text
        return answer
      }
      yield* send("GET", "/api/2.4/serverinfo").pipe(Effect.map(keep("serverinfo 2.4", 200)))
      yield* send("GET", "/api/3.24/serverinfo").pipe(Effect.map(keep("serverinfo", 200)))
      const password = yield* send("POST", "/api/3.24/auth/signin", {
        body: bodies.password("admin", defaults.admin.password)
      })
        .pipe(Effect.map(keep("sign-in password", 200)))
      yield* send("POST", "/api/3.24/auth/signin", { body: bodies.pat(defaults.bob.patName, defaults.bob.patSecret) })
        .pipe(Effect.map(keep("sign-in PAT", 200)))
      const jwt = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "alice" })
      yield* send("POST", "/api/3.24/auth/signin", { body: bodies.jwt(jwt) }).pipe(Effect.map(keep("sign-in JWT", 200)))
      yield* send("POST", "/api/3.24/auth/signin", {
        body: bodies.pat(defaults.admin.patName, defaults.admin.patSecret, "", ids.users.alice)
      }).pipe(Effect.map(keep("sign-in impersonating", 200)))
      const token = (text: string) => /token="([^"]+)"/.exec(text)![1]!
      const admin = { token: token(password.text) }
      const site = ids.sites.default
      const wb = Fixtures.personalSpaceWorkbook.id
      const firstWorkbook = service.settings === undefined ? "" : (yield* service.fixtures).workbooks[0]!.id
      for (
        const [name, path] of [
          ["sites", "/api/3.24/sites"],
          ["site by id", `/api/3.24/sites/${site}`],
          ["site by name", "/api/3.24/sites/Default?key=name"],
          ["users", `/api/3.24/sites/${site}/users`],
          ["user", `/api/3.24/sites/${site}/users/${ids.users.alice}`],
          ["projects", `/api/3.24/sites/${site}/projects`],
          ["workbooks", `/api/3.24/sites/${site}/workbooks?pageSize=1000`],
          ["workbooks of one", `/api/3.24/sites/${site}/workbooks?filter=name:eq:Superstore`],
          ["workbooks, none", `/api/3.24/sites/${site}/workbooks?filter=name:eq:Nothing`],
          ["workbooks past the end", `/api/3.24/sites/${site}/workbooks?pageNumber=9`],
          [
            "workbooks filtered and sorted",
            `/api/3.24/sites/${site}/workbooks?filter=tags:in:[sales,finance]&sort=name:desc`
          ],
          ["workbook", `/api/3.24/sites/${site}/workbooks/${firstWorkbook}`],
          ["personal-space workbook", `/api/3.24/sites/${site}/workbooks/${wb}`],
          ["workbooks of a user", `/api/3.24/sites/${site}/users/${ids.users.bob}/workbooks?ownedBy=true`],
          [
            "views of a workbook with usage",
            `/api/3.24/sites/${site}/workbooks/${firstWorkbook}/views?includeUsageStatistics=true`
          ]
        ] as const
      ) {
        yield* send("GET", path, admin).pipe(Effect.map(keep(name, 200)))
      }
      expect(answers["personal-space workbook"]).toContain(`<location`)
      expect(answers["personal-space workbook"]).not.toContain(`<project`)
      // (Query Views for Site is left out: ts-api_3_29.xsd has no <views> after <pagination>.)
      expect(answers["views of a workbook with usage"]).toContain(`<usage totalViewCount=`)
      yield* send("POST", "/api/3.24/auth/switchSite", { ...admin, body: bodies.switchSite("MarketingTeam") })
        .pipe(Effect.map(keep("switchSite", 200)))
      const marketing = yield* signIn(bodies.password("alice", defaults.alice.password, "MarketingTeam"))
      for (
        const [name, path] of [
          ["marketing users", `/api/3.24/sites/${ids.sites.marketing}/users`],
          ["marketing projects", `/api/3.24/sites/${ids.sites.marketing}/projects`],
          ["marketing workbooks", `/api/3.24/sites/${ids.sites.marketing}/workbooks`]
        ] as const
      ) {
        yield* send("GET", path, { token: marketing.token }).pipe(Effect.map(keep(name, 200)))
      }
      yield* EmulatorSchema.validate(answers, { xsd })
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers in Cloud mode and with a unified access token (API 3.27)", () =>
    Effect.gen(function*() {
      const jwt = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "alice" })
      const uat = yield* send("POST", "/api/3.27/auth/signin", {
        body: bodies.jwt(jwt, "MarketingTeam", { isUat: true })
      })
      expect(uat.status).toBe(200)
      const sites = yield* send("GET", "/api/3.27/sites", { token: /token="([^"]+)"/.exec(uat.text)![1]! })
      expect(sites.status).toBe(403)
      yield* EmulatorSchema.validate({ "UAT sign-in": uat.text, "sites on Cloud": sites.text }, { xsd })
    }).pipe(Effect.provide(TableauEmulator.layer({ cloud: true, apiVersion: "3.27" }))))

  it.effect("every error the emulator renders, and the error answers of the routes", () =>
    Effect.gen(function*() {
      const answers: Record<string, string> = {}
      // Each ApiError constructor, rendered as the handler renders it.
      for (const [name, make] of Object.entries(ApiError)) {
        if (name === "ApiError" || name === "make" || typeof make !== "function") continue
        const error = (make as (...args: ReadonlyArray<unknown>) => ApiError.ApiError)("filter", "x")
        answers[`${name} (${error.code})`] = Xml.envelope(
          "3.24",
          Xml.errorElement(error.code, error.summary, error.detail)
        )
      }
      const service = yield* emulator
      for (const status of [429, 500, 502, 503, 504]) {
        yield* service.failNext(1, Fault.Status({ status, ...(status === 429 ? { retryAfterSeconds: 3 } : {}) }))
        answers[`fault ${status}`] = (yield* send("GET", "/api/3.24/serverinfo")).text
      }
      const site = ids.sites.default
      for (
        const [name, method, path, options] of [
          ["no token", "GET", `/api/3.24/sites/${site}/workbooks`, {}],
          ["unknown token", "GET", `/api/3.24/sites/${site}/workbooks`, { token: "nope" }],
          ["GET signin", "GET", "/api/3.24/auth/signin", {}],
          ["bad sign-in", "POST", "/api/3.24/auth/signin", { body: bodies.password("admin", "wrong") }],
          ["malformed body", "POST", "/api/3.24/auth/signin", { body: "<tsRequest>" }],
          ["unknown version", "GET", "/api/9.99/serverinfo", {}],
          ["too old for serverinfo", "GET", "/api/2.3/serverinfo", {}],
          ["unknown route", "GET", "/api/3.24/nothing/here", {}]
        ] as const
      ) {
        answers[name] = (yield* send(method, path, options)).text
      }
      const admin = yield* signIn(bodies.password("admin", defaults.admin.password))
      for (
        const [name, path] of [
          ["bad filter", `/api/3.24/sites/${site}/workbooks?filter=tags:in:[a,,b]`],
          ["bad page size", `/api/3.24/sites/${site}/workbooks?pageSize=0`],
          ["bad page number", `/api/3.24/sites/${site}/workbooks?pageNumber=x`],
          ["unknown workbook", `/api/3.24/sites/${site}/workbooks/00000000-0000-0000-0000-000000000000`],
          ["unknown user", `/api/3.24/sites/${site}/users/00000000-0000-0000-0000-000000000000`],
          ["another site", `/api/3.24/sites/${ids.sites.marketing}/workbooks`]
        ] as const
      ) {
        answers[name] = (yield* send("GET", path, { token: admin.token })).text
      }
      answers["switchSite to the current site"] =
        (yield* send("POST", "/api/3.24/auth/switchSite", { token: admin.token, body: bodies.switchSite("") })).text
      for (const text of Object.values(answers)) expect(text).toContain("<error code=")
      yield* EmulatorSchema.validate(answers, { xsd })
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("the renderers name only attributes the generated types have", () =>
    Effect.sync(() => {
      // @ts-expect-error: workbookType has no attribute "colour"
      const wrong = () => element("workbook", Generated.WorkbookType, { colour: "red" })
      expect(() => element("workbook", Generated.WorkbookType, { size: -1 })).toThrow()
      expect(typeof wrong).toBe("function")
      expect(Render.pagination(1, 100, 0)).toBe(`<pagination pageNumber="1" pageSize="100" totalAvailable="0"/>`)
    }))
})
