import { describe, expect, it } from "@effect/vitest"
import { TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import { at, bodies, defaults, emulator, errorCode, ids, json, parseXml, send, signInAdmin } from "./util.js"

describe("serverinfo", () => {
  it.effect("answers without auth, on any case of the path and with a trailing slash", () =>
    Effect.gen(function*() {
      for (
        const path of ["/api/2.4/serverinfo", "/api/2.4/serverInfo", "/API/3.24/SERVERINFO/", "/api/3.24//serverinfo"]
      ) {
        const answer = yield* send("GET", path)
        expect(answer.status).toBe(200)
        const info = at(parseXml(answer.text), "tsResponse", "serverInfo")
        expect(at(info, "restApiVersion")).toBe(3.24)
        expect(at(info, "productVersion", "build")).toBe("20242.24.0711.1636")
      }
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("reports the configured versions and needs at least 2.4 (404003)", () =>
    Effect.gen(function*() {
      const answer = yield* send("GET", "/api/2.4/serverinfo")
      // The 3.29 schema's order: productVersion, prepConductorVersion, restApiVersion, platform, serverSettings.
      expect(answer.text).toContain(
        "<productVersion build=\"b1\">2025.9.9</productVersion><prepConductorVersion>b1</prepConductorVersion>" +
          "<restApiVersion>3.27</restApiVersion><platform>linux</platform><serverSettings>"
      )
      const old = yield* send("GET", "/api/2.3/serverinfo")
      expect(old.status).toBe(404)
      expect(errorCode(old)).toBe("404003")
      const future = yield* send("GET", "/api/3.28/serverinfo")
      expect(errorCode(future)).toBe("404001")
    }).pipe(Effect.provide(TableauEmulator.layer({ apiVersion: "3.27", productVersion: "2025.9.9", build: "b1" }))))
})

describe("bad requests", () => {
  it.effect("answers a GET to signin with 405000 and the real summary and detail", () =>
    Effect.gen(function*() {
      const answer = yield* send("GET", "/api/3.24/auth/signin")
      expect(answer.status).toBe(405)
      expect(answer.text).toContain(
        "<error code=\"405000\"><summary>Method Not Allowed</summary><detail>The HTTP method 'GET' is not supported for the given resource</detail></error>"
      )
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers malformed XML, a DOCTYPE, an empty body and non-UTF-8 bytes with 400000", () =>
    Effect.gen(function*() {
      const doctype =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><tsRequest><credentials name=\"&a;\"/></tsRequest>"
      for (
        const body of [
          "<tsRequest><credentials name=\"admin\"",
          "not xml at all <",
          doctype,
          "",
          new Uint8Array([0xff, 0xfe, 0x3c])
        ]
      ) {
        const answer = yield* send("POST", "/api/3.24/auth/signin", { body })
        expect(answer.status).toBe(400)
        expect(errorCode(answer)).toBe("400000")
      }
      // The server is still fine.
      expect(
        (yield* send("POST", "/api/3.24/auth/signin", { body: bodies.password("admin", defaults.admin.password) }))
          .status
      )
        .toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("accepts a sign-in without Content-Type and with a namespaced, prefixed body", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const body = new TextEncoder().encode(
        `<ts:tsRequest xmlns:ts="http://tableau.com/api"><ts:credentials name="admin" password="admin-password"><ts:site contentUrl=""/></ts:credentials></ts:tsRequest>`
      )
      const response = yield* service.handle({ method: "post", url: "/api/3.24/auth/signin", headers: {}, body })
      expect(response.status).toBe(200)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("refuses a body over 10 MB with 413 and a Tableau error", () =>
    Effect.gen(function*() {
      const answer = yield* send("POST", "/api/3.24/auth/signin", { body: new Uint8Array(10 * 1024 * 1024 + 1) })
      expect(answer.status).toBe(413)
      expect(errorCode(answer)).toBe("413000")
      const limit = yield* send("POST", "/api/3.24/auth/signin", { body: new Uint8Array(10 * 1024 * 1024) })
      expect(limit.status).toBe(400)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers unknown paths with 404 and a Tableau error body", () =>
    Effect.gen(function*() {
      for (
        const path of ["/api/3.24/nothing", "/", "/api", `/api/3.24/sites/${ids.sites.default}/flows`, "/api/exp/sites"]
      ) {
        const answer = yield* send("GET", path)
        expect(answer.status).toBe(404)
        expect(answer.headers["content-type"]).toBe("application/xml;charset=UTF-8")
        expect(
          answer.text.startsWith("<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns=\"http://tableau.com/api\"")
        ).toBe(true)
        expect(errorCode(answer)).toMatch(/^40400[01]$/)
      }
      expect(errorCode(yield* send("GET", "/api/3.24/nothing"))).toBe("404000")
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("answers a method a resource does not take with 405000", () =>
    Effect.gen(function*() {
      const { token } = yield* signInAdmin
      const answer = yield* send("DELETE", `/api/3.24/sites/${ids.sites.default}/workbooks`, { token })
      expect(answer.status).toBe(405)
      expect(answer.text).toContain("The HTTP method 'DELETE' is not supported for the given resource")
    }).pipe(Effect.provide(TableauEmulator.layer())))
})

describe("recorded requests", () => {
  it.effect("records method, path, status and headers with the token redacted", () =>
    Effect.gen(function*() {
      const { token } = yield* signInAdmin
      yield* send("GET", `/api/3.24/sites/${ids.sites.default}/projects?pageSize=2`, { token })
      const service = yield* emulator
      const requests = yield* service.requests
      expect(requests.map((request) => [request.method, request.path, request.status])).toEqual([
        ["POST", "/api/3.24/auth/signin", 200],
        ["GET", `/api/3.24/sites/${ids.sites.default}/projects?pageSize=2`, 200]
      ])
      expect(requests[1]!.headers["x-tableau-auth"]).toBe("<redacted>")
      expect(JSON.stringify(requests)).not.toContain(token)
      const stats = yield* service.stats
      expect(stats.byRoute["GET /api/{v}/sites/{siteId}/projects"]).toBe(1)
      expect(stats.requests).toBe(2)
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("keeps only the most recent recordLimit requests", () =>
    Effect.gen(function*() {
      for (let index = 0; index < 5; index++) yield* send("GET", `/api/3.24/serverinfo?n=${index}`)
      const requests = yield* (yield* emulator).requests
      expect(requests.map((request) => request.path)).toEqual(["/api/3.24/serverinfo?n=3", "/api/3.24/serverinfo?n=4"])
    }).pipe(Effect.provide(TableauEmulator.layer({ recordLimit: 2 }))))
})

describe("test hooks", () => {
  it.effect("answer sessions, stats and reset as JSON, outside /api", () =>
    Effect.gen(function*() {
      yield* signInAdmin
      const sessions = yield* send("GET", "/_emulator/sessions")
      expect(sessions.headers["content-type"]).toContain("application/json")
      expect(json(sessions.text)).toEqual({ active: 1 })
      const stats = json((yield* send("GET", "/_emulator/stats")).text)
      expect(at(stats, "signIns")).toBe(1)
      expect((yield* send("POST", "/_emulator/reset")).status).toBe(200)
      expect(json((yield* send("GET", "/_emulator/sessions")).text)).toEqual({ active: 0 })
    }).pipe(Effect.provide(TableauEmulator.layer())))

  it.effect("queue a fault from JSON and refuse a bad one", () =>
    Effect.gen(function*() {
      const queued = yield* send("POST", "/_emulator/faults", {
        body: JSON.stringify({ fault: { _tag: "Status", status: 503 }, times: 1, path: "serverinfo" }),
        contentType: "application/json"
      })
      expect(queued.status).toBe(200)
      expect((yield* send("GET", "/api/3.24/serverinfo")).status).toBe(503)
      expect((yield* send("GET", "/api/3.24/serverinfo")).status).toBe(200)
      const bad = yield* send("POST", "/_emulator/faults", {
        body: "{\"fault\":{\"_tag\":\"Nope\"}}",
        contentType: "application/json"
      })
      expect(bad.status).toBe(400)
    }).pipe(Effect.provide(TableauEmulator.layer())))
})
