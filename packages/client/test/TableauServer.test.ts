import { HttpClientError } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Effect, Fiber, Layer, TestClock } from "effect"
import { apiError, BASE, fake, type Handler, happyServer, serverInfo, xml } from "./support/FakeTableau.js"

const pat = Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "pat-secret" })

const serverWith = (handler: Handler, options: Partial<TableauServer.Options> = {}) => {
  const s = fake(handler)
  return {
    ...s,
    ServerLive: TableauServer.layer({ url: BASE, apiVersion: "3.24", ...options }).pipe(Layer.provide(s.layer))
  }
}

const signInWith = (handler: Handler, options: Partial<TableauServer.Options> = {}) => {
  const s = serverWith(handler, options)
  return {
    ...s,
    run: Effect.flip(Effect.provide(Effect.void, TableauSession.layer(pat).pipe(Layer.provide(s.ServerLive))))
  }
}

describe("TableauServer: the API version", () => {
  it.effect("\"auto\" asks /api/2.4/serverinfo once and uses its restApiVersion", () =>
    Effect.gen(function*() {
      const s = serverWith(
        happyServer((r) => r.path.endsWith("/serverinfo") ? { body: serverInfo("3.22") } : undefined),
        {
          apiVersion: "auto"
        }
      )
      yield* Effect.provide(Effect.void, TableauSession.layer(pat).pipe(Layer.provide(s.ServerLive)))
      expect(s.paths()).toEqual([
        "GET /api/2.4/serverinfo",
        "POST /api/3.22/auth/signin",
        "POST /api/3.22/auth/signout"
      ])
      expect(s.recorded[0]!.headers["x-tableau-auth"]).toBeUndefined()
    }))

  it.effect("serverInfo returns product version, build and REST API version", () =>
    Effect.gen(function*() {
      const s = serverWith(happyServer())
      const info = yield* Effect.provide(TableauServer.serverInfo, s.ServerLive)
      expect(info.productVersion).toBe("2024.1.0")
      expect(info.build).toBe("20241.24.0312.0830")
      expect(info.restApiVersion).toBe("3.24")
      expect(s.paths()).toEqual(["GET /api/3.24/serverinfo"])
    }))

  it.effect("\"auto\" against a pre-10.1 server (404003) fails with the error and a hint, no fallback", () =>
    Effect.gen(function*() {
      const s = serverWith(() => apiError(404, "404003", "Unknown resource", "Resource not found"), {
        apiVersion: "auto"
      })
      const error = yield* Effect.flip(Effect.provide(TableauServer.TableauServer, s.ServerLive))
      expect(error._tag).toBe("TableauApiError")
      if (error._tag !== "TableauApiError") return
      expect(error.code).toBe("404003")
      expect(error.hint).toContain("set apiVersion explicitly")
    }))

  it.effect("a detail that ends with a full stop is followed by the hint without a second one", () =>
    Effect.gen(function*() {
      const detail = "Unknown resource '/2.4/serverInfo' specified in URI."
      const s = serverWith(() => apiError(404, "404003", "Resource Not Found", detail), { apiVersion: "auto" })
      const error = yield* Effect.flip(Effect.provide(TableauServer.TableauServer, s.ServerLive))
      expect(error.message).toContain(`${detail} The server does not answer serverinfo`)
      expect(error.message).not.toContain("..")
    }))

  it.effect("\"auto\" meeting an HTML sign-on page fails with a decode error that says what came back", () =>
    Effect.gen(function*() {
      const s = serverWith(() => ({
        body: "<!DOCTYPE html><html><head><title>Sign In</title></head><body>SSO</body></html>",
        headers: { "content-type": "text/html" }
      }), { apiVersion: "auto" })
      const error = yield* Effect.flip(Effect.provide(TableauServer.TableauServer, s.ServerLive))
      expect(error._tag).toBe("TableauDecodeError")
      if (error._tag !== "TableauDecodeError") return
      expect(error.contentType).toBe("text/html")
      expect(error.excerpt).toContain("<title>Sign In</title>")
      expect(error.message).toContain("Sign In")
    }))

  it.effect("a refused connection is a transport error with a hint", () =>
    Effect.gen(function*() {
      const refused = HttpClient.make((request) =>
        Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: new TypeError("fetch failed", {
              cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })
            })
          })
        )
      )
      const error = yield* Effect.flip(
        Effect.provide(
          TableauServer.TableauServer,
          TableauServer.layer({ url: BASE, apiVersion: "auto" }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, refused))
          )
        )
      )
      expect(error._tag).toBe("TableauTransportError")
      if (error._tag !== "TableauTransportError") return
      expect(error.reason).toBe("Refused")
      expect(error.code).toBe("ECONNREFUSED")
      expect(error.url).toBe(`${BASE}/api/2.4/serverinfo`)
    }))

  it.effect("a fixed version must look like 3.24", () =>
    Effect.gen(function*() {
      const s = serverWith(happyServer(), { apiVersion: "latest" })
      const error = yield* Effect.flip(Effect.provide(TableauServer.TableauServer, s.ServerLive))
      expect(error._tag).toBe("TableauUrlError")
      expect(error.message).toContain("latest")
      expect(s.recorded).toEqual([])
    }))
})

describe("TableauServer: the URL", () => {
  const build = (url: string) => {
    const s = fake(happyServer())
    return Effect.provide(
      TableauServer.TableauServer,
      TableauServer.layer({ url, apiVersion: "3.24" }).pipe(Layer.provide(s.layer))
    )
  }

  it.effect("keeps a reverse-proxy prefix and drops a trailing slash", () =>
    Effect.gen(function*() {
      expect((yield* build("https://example.com/tableau/")).url).toBe("https://example.com/tableau")
      expect((yield* build("https://example.com/")).url).toBe("https://example.com")
      expect((yield* build("https://10ay.online.tableau.com")).deployment).toBe("cloud")
      expect((yield* build("https://example.com")).deployment).toBe("server")
    }))

  it.effect("refuses what is not a server root, without repeating a password in the URL", () =>
    Effect.gen(function*() {
      for (
        const [url, reason] of [
          ["ftp://example.com", "http:// or https://"],
          ["example.com", "not a URL"],
          ["https://example.com/#/site/Sales/home", "#fragment"],
          ["https://example.com/?a=1", "query string"],
          ["https://example.com/api/3.24", "root"],
          ["https://admin:hunter2@example.com", "user name or password"]
        ] as const
      ) {
        const error = yield* Effect.flip(build(url))
        expect(error._tag).toBe("TableauUrlError")
        expect(error.message).toContain(reason)
        expect(error.message).not.toContain("hunter2")
      }
    }))
})

describe("TableauServer: redirects are never followed", () => {
  for (const status of [301, 302]) {
    it.effect(`${status} to https on sign-in is a redirect error suggesting the https URL`, () =>
      Effect.gen(function*() {
        const s = fake((r) => ({ status, headers: { location: `https://tableau.test${r.path}` } }))
        const error = yield* Effect.flip(
          Effect.provide(
            Effect.void,
            TableauSession.layer(pat).pipe(
              Layer.provide(TableauServer.layer({ url: "http://tableau.test", apiVersion: "3.24" })),
              Layer.provide(s.layer)
            )
          )
        )
        expect(error._tag).toBe("TableauRedirectError")
        if (error._tag !== "TableauRedirectError") return
        expect(error.status).toBe(status)
        expect(error.location).toBe("https://tableau.test/api/3.24/auth/signin")
        expect(error.suggestedUrl).toBe("https://tableau.test")
        expect(error.message).toContain(`TableauServer.layer({ url: "https://tableau.test" })`)
        expect(s.paths()).toEqual(["POST /api/3.24/auth/signin"])
      }))
  }

  it.effect("a Tableau Cloud pod redirect suggests the pod URL", () =>
    Effect.gen(function*() {
      const s = fake((r) => ({ status: 302, headers: { location: `https://10ay.online.tableau.com${r.path}` } }))
      const error = yield* Effect.flip(
        Effect.provide(
          TableauServer.TableauServer,
          TableauServer.layer({ url: "https://online.tableau.com", apiVersion: "auto" }).pipe(Layer.provide(s.layer))
        )
      )
      expect(error._tag).toBe("TableauRedirectError")
      if (error._tag === "TableauRedirectError") expect(error.suggestedUrl).toBe("https://10ay.online.tableau.com")
    }))

  it.effect("a 405000 on sign-in carries the redirect hint", () =>
    Effect.gen(function*() {
      const { run } = signInWith(
        () =>
          apiError(
            405,
            "405000",
            "Method Not Allowed",
            "The HTTP method 'GET' is not supported for the given resource"
          ),
        {}
      )
      const error = yield* run
      expect(error._tag).toBe("TableauApiError")
      if (error._tag !== "TableauApiError") return
      expect(error.code).toBe("405000")
      expect(error.hint).toContain("redirect")
      expect(error.message).toContain("The HTTP method 'GET' is not supported")
    }))

  it.effect("a 405000 through an http URL names the https URL to use", () =>
    Effect.gen(function*() {
      const s = fake(() => apiError(405, "405000", "Method Not Allowed", "GET not supported"))
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.void,
          TableauSession.layer(pat).pipe(
            Layer.provide(TableauServer.layer({ url: "http://tableau.test", apiVersion: "3.24" })),
            Layer.provide(s.layer)
          )
        )
      )
      expect(error.message).toContain(`TableauServer.layer({ url: "https://tableau.test" })`)
    }))
})

describe("TableauServer: version gates refuse before anything is sent", () => {
  const gate = (credentials: Credentials.Credentials, apiVersion: string, url = BASE) =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.void,
          TableauSession.layer(credentials).pipe(
            Layer.provide(TableauServer.layer({ url, apiVersion })),
            Layer.provide(s.layer)
          )
        )
      )
      return { error, sent: s.recorded.length }
    })

  it.effect("a PAT against a 3.5 server", () =>
    Effect.gen(function*() {
      const { error, sent } = yield* gate(pat, "3.5")
      expect(error._tag).toBe("TableauVersionError")
      if (error._tag !== "TableauVersionError") return
      expect({ required: error.required, actual: error.actual }).toEqual({ required: "3.6", actual: "3.5" })
      expect(sent).toBe(0)
    }))

  it.effect("JWT needs 3.17 on Server, 3.16 on Cloud; isUat needs 3.27", () =>
    Effect.gen(function*() {
      const jwt = Credentials.jwt({ jwt: "a.b.c", site: "acme" })
      expect((yield* gate(jwt, "3.16")).error.message).toContain("3.17")
      const cloud = yield* Effect.either(
        Effect.provide(
          Effect.void,
          TableauSession.layer(jwt).pipe(
            Layer.provide(TableauServer.layer({ url: "https://10ay.online.tableau.com", apiVersion: "3.16" })),
            Layer.provide(fake(happyServer()).layer)
          )
        )
      )
      expect(cloud._tag).toBe("Right")
      const uat = yield* gate(Credentials.jwt({ jwt: "a.b.c", site: "acme", isUat: true }), "3.26")
      expect(uat.error.message).toContain("3.27")
      expect(uat.sent).toBe(0)
    }))
})

describe("TableauServer: hostile and broken answers are typed errors", () => {
  const ok = (body: string, headers: Record<string, string> = {}): Handler => (r) =>
    r.path.endsWith("/signin") ? { body, headers } : { status: 204 }

  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["an HTML page", "<html><body><h1>Proxy error</h1></body></html>", "HTML"],
    ["an empty body", "", "empty"],
    [
      "truncated XML",
      `<tsResponse xmlns="http://tableau.com/api"><credentials token="SECRET-TOKEN"><site id="1"`,
      "truncated"
    ],
    ["truncated between elements", `<tsResponse xmlns="http://tableau.com/api"><credentials token="abc">`, "truncated"],
    [
      "a DOCTYPE with an entity bomb",
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
      `<tsResponse><credentials token="&lol2;"/></tsResponse>`,
      "DOCTYPE"
    ],
    [
      "a missing token",
      xml(
        `<credentials><site id="00000000-0000-4000-8000-0000000000a0" contentUrl=""/><user id="00000000-0000-4000-8000-0000000000b0"/></credentials>`
      ),
      "token"
    ],
    ["JSON", `{"credentials":{"token":"x"}}`, "JSON"],
    [
      "a token with control characters",
      xml(
        `<credentials token="SECRET&#10;TOKEN"><site id="00000000-0000-4000-8000-0000000000a0"/><user id="00000000-0000-4000-8000-0000000000b0"/></credentials>`
      ),
      "token"
    ],
    ["10,000-deep nesting", `<tsResponse>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</tsResponse>`, "malformed"]
  ]
  for (const [name, body, reason] of cases) {
    it.effect(`${name} on sign-in`, () =>
      Effect.gen(function*() {
        const { run, paths } = signInWith(ok(body))
        const error = yield* run
        expect(error._tag).toBe("TableauDecodeError")
        if (error._tag !== "TableauDecodeError") return
        expect(error.reason).toContain(reason)
        expect(error.excerpt.length).toBeLessThanOrEqual(200)
        expect(error.message).not.toContain("SECRET")
        expect(paths()).toEqual(["POST /api/3.24/auth/signin"])
      }))
  }

  it.effect("a prefixed namespace is read like the default one", () =>
    Effect.gen(function*() {
      const body = `<t:tsResponse xmlns:t="http://tableau.com/api"><t:credentials token="P-TOKEN">` +
        `<t:site id="00000000-0000-4000-8000-0000000000a1" contentUrl="x"/><t:user id="00000000-0000-4000-8000-0000000000b1"/></t:credentials></t:tsResponse>`
      const s = serverWith(ok(body))
      const state = yield* Effect.provide(
        TableauSession.state,
        TableauSession.layer(pat).pipe(Layer.provide(s.ServerLive))
      )
      expect(state.siteId).toBe("00000000-0000-4000-8000-0000000000a1")
      expect(state.site).toBe("x")
    }))

  it.effect("a 502 HTML page from a proxy keeps status, content type and an excerpt", () =>
    Effect.gen(function*() {
      const { run } = signInWith(() => ({
        status: 502,
        body: "<html>Bad Gateway</html>",
        headers: { "content-type": "text/html" }
      }))
      const error = yield* run
      expect(error._tag).toBe("TableauDecodeError")
      if (error._tag !== "TableauDecodeError") return
      expect(error.status).toBe(502)
      expect(error.contentType).toBe("text/html")
      expect(error.excerpt).toBe("<html>Bad Gateway</html>")
    }))

  it.effect("a body over the size limit is refused while it streams", () =>
    Effect.gen(function*() {
      const { run } = signInWith(ok(xml(`<credentials token="${"x".repeat(2000)}"/>`)), { maxResponseBytes: 1000 })
      const error = yield* run
      expect(error._tag).toBe("TableauTransportError")
      if (error._tag === "TableauTransportError") expect(error.reason).toBe("BodyTooLarge")
    }))

  // A browser's cross-origin fetch shows Content-Length (the compressed size) but hides
  // Content-Encoding, so a declared length is not always the size of what is read.
  it.effect("a body larger than its Content-Length and the limit is refused", () =>
    Effect.gen(function*() {
      const body = xml(`<credentials token="${"x".repeat(2000)}"/>`)
      const { run } = signInWith(ok(body, { "content-length": "200" }), { maxResponseBytes: 1000 })
      const error = yield* run
      expect(error._tag).toBe("TableauTransportError")
      if (error._tag === "TableauTransportError") {
        expect(error.reason).toBe("BodyTooLarge")
        expect(error.description).toBe(`the response body is larger than 1000 bytes (${body.length} bytes read)`)
      }
    }))

  it.effect("a server that never answers times out", () =>
    Effect.gen(function*() {
      const { run } = signInWith(() => Effect.never, { timeout: "5 seconds" })
      const fiber = yield* Effect.fork(run)
      yield* TestClock.adjust("6 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("TableauTransportError")
      if (error._tag === "TableauTransportError") expect(error.reason).toBe("Timeout")
    }))
})
