import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as http from "node:http"
import { Certificates, layer as CertificatesLive } from "./support/Certificates.js"
import { allSocketsClosed, answerServerInfo, neverAnswer, serve, silentTcp } from "./support/servers.js"
import { assertTag, serverInfoVia, tableau, whoAndWhat } from "./support/tableau.js"

const stopsHalfWay = (request: http.IncomingMessage, response: http.ServerResponse) => {
  request.resume()
  response.writeHead(200, { "content-type": "application/xml;charset=UTF-8", "content-length": "1000" })
  response.write(`<tsResponse xmlns="http://tableau.com/api">`)
}

const serverInfoOver = (
  url: string,
  options: TableauNode.Options,
  serverOptions: Partial<TableauServer.Options> = {}
) => serverInfoVia(url, TableauNode.layer(options), serverOptions)

// Each case has servers of its own and mostly waits for a timeout to fire: they wait side by side.
describe.concurrent("TableauNode timeouts", () => {
  it.scopedLive("connectTimeout: a server that never completes the TLS handshake is a Timeout error", () =>
    Effect.gen(function*() {
      const { port } = yield* silentTcp
      const started = Date.now()
      const error = yield* Effect.flip(serverInfoOver(`https://127.0.0.1:${port}`, { connectTimeout: "200 millis" }))
      assertTag(error, "TableauTransportError")
      expect(error.reason).toBe("Timeout")
      expect(error.code).toBe("UND_ERR_CONNECT_TIMEOUT")
      expect(error.url).toBe(`https://127.0.0.1:${port}/api/3.24/serverinfo`)
      // undici's, not TableauServer's 10 second timeout.
      expect(Date.now() - started).toBeLessThan(5_000)
    }))

  it.scopedLive("headersTimeout: a server that accepts the request and never answers is a Timeout error", () =>
    Effect.gen(function*() {
      const server = yield* serve(neverAnswer)
      const started = Date.now()
      const error = yield* Effect.flip(serverInfoOver(server.url, { headersTimeout: "300 millis" }))
      assertTag(error, "TableauTransportError")
      expect(error.reason).toBe("Timeout")
      expect(error.code).toBe("UND_ERR_HEADERS_TIMEOUT")
      expect(error.hint).toContain("timeout")
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(yield* server.requests).toEqual(["GET /api/3.24/serverinfo"])
    }))

  it.scopedLive("bodyTimeout: a server that stops sending the body half-way is a Timeout error", () =>
    Effect.gen(function*() {
      const server = yield* serve(stopsHalfWay)
      const error = yield* Effect.flip(serverInfoOver(server.url, { bodyTimeout: "300 millis" }, { retry: false }))
      assertTag(error, "TableauTransportError")
      expect(error.reason).toBe("Timeout")
      expect(error.code).toBe("UND_ERR_BODY_TIMEOUT")
      expect(yield* allSocketsClosed(server)).toBe(0)
    }))

  // TableauServer's own timeout, an Effect timeout that interrupts the request: no error code from
  // undici, and the connection closed, for an answer that never starts and for a body that stops
  // half-way (undici's own timeouts are off by default, so they cannot fire first).
  const stalls = [
    ["never answers", neverAnswer],
    ["stops sending the body half-way", stopsHalfWay]
  ] as const
  for (const [what, handle] of stalls) {
    it.scopedLive(`TableauServer's timeout: a server that ${what} is a Timeout error and its connection is closed`, () =>
      Effect.gen(function*() {
        const server = yield* serve(handle)
        const started = Date.now()
        const error = yield* Effect.flip(serverInfoOver(server.url, {}, { timeout: "150 millis", retry: false }))
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Timeout")
        expect(error.description).toBe("no complete answer within 150ms")
        expect(error.code).toBeUndefined()
        expect(Date.now() - started).toBeGreaterThanOrEqual(140)
        expect(Date.now() - started).toBeLessThan(2_000)
        expect(yield* allSocketsClosed(server)).toBe(0)
      }))
  }

  it.scopedLive("TableauServer's timeout still holds when the client is wrapped with a combinator", () =>
    Effect.gen(function*() {
      const server = yield* serve(neverAnswer)
      const wrapped = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.mapRequest((request) => request))
      ).pipe(Layer.provide(TableauNode.layer()))
      const error = yield* Effect.flip(serverInfoVia(server.url, wrapped, { timeout: "150 millis", retry: false }))
      assertTag(error, "TableauTransportError")
      expect(error.reason).toBe("Timeout")
      expect(yield* allSocketsClosed(server)).toBe(0)
    }))

  it.scopedLive("a body cut off mid-way is a typed transport error, not a decoded half", () =>
    Effect.gen(function*() {
      const server = yield* serve((request, response) => {
        request.resume()
        response.writeHead(200, { "content-type": "application/xml;charset=UTF-8", "content-length": "1000" })
        response.write(`<tsResponse xmlns="http://tableau.com/api">`, () => response.socket?.destroy())
      })
      const error = yield* Effect.flip(serverInfoOver(server.url, {}, { retry: false }))
      assertTag(error, "TableauTransportError")
      expect([error.reason, error.code]).toEqual(["Reset", "UND_ERR_SOCKET"])
      expect(error.url).toBe(`${server.url}/api/3.24/serverinfo`)
    }))

  it.scopedLive("a refused connection is a Refused error with a hint", () =>
    Effect.gen(function*() {
      const port = yield* Effect.scoped(Effect.map(serve(answerServerInfo), (server) => server.port))
      const error = yield* Effect.flip(serverInfoOver(`http://127.0.0.1:${port}`, {}))
      assertTag(error, "TableauTransportError")
      expect(error.reason).toBe("Refused")
      expect(error.code).toBe("ECONNREFUSED")
      expect(error.hint).toContain("Is the server running")
    }))
})

describe("TableauNode connection pool", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("keeps one connection alive: sign-in, 5 sequential serverinfo calls and sign-out use 1 connection", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        yield* Effect.provide(
          Effect.zipRight(whoAndWhat, Effect.repeatN(TableauServer.serverInfo, 3)),
          tableau(server.url, TableauNode.layer({ tls: { ca: certs.caPath } }))
        )
        const stats = yield* server.emulator.stats
        // probe + sign-in + 5 serverinfo + sign-out
        expect(stats.requests).toBe(8)
        expect(yield* server.connections).toBe(1)
      }))

    it.scoped("connections: 1 queues 5 concurrent calls on one connection", () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({})
        const infos = yield* Effect.provide(
          Effect.all(Array.from({ length: 5 }, () => TableauServer.serverInfo), { concurrency: "unbounded" }),
          tableau(server.url, TableauNode.layer({ connections: 1 }))
        )
        expect(infos).toHaveLength(5)
        expect(yield* server.connections).toBe(1)
      }))

    it.scoped("closes its keep-alive connections when the layer's scope ends", () =>
      Effect.gen(function*() {
        const server = yield* serve(answerServerInfo)
        yield* serverInfoOver(server.url, {})
        expect(yield* server.connections).toBe(1)
        // The layer was released by Effect.provide: its agent closed the idle socket.
        expect(yield* allSocketsClosed(server)).toBe(0)
      }))

    it.scoped("uses its own dispatcher whatever Fetch and RequestInit the caller's context holds", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const info = yield* serverInfoOver(server.url, { tls: { ca: certs.caPath } }).pipe(
          Effect.provideService(FetchHttpClient.Fetch, () => Promise.reject(new Error("the caller's fetch was used"))),
          Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow" })
        )
        expect(info.restApiVersion).toBe("3.24")
      }))
  })
})

describe("the client without this package", () => {
  it.scopedLive("still works with plain FetchHttpClient.layer over http (Bun, Deno, Node without custom TLS)", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({})
      expect(server.url).toMatch(/^http:\/\//)
      const result = yield* Effect.provide(whoAndWhat, tableau(server.url, FetchHttpClient.layer))
      expect(result.userId).toBe(Fixtures.ids.users.admin)
      expect(result.restApiVersion).toBe("3.24")
    }))

  it.scopedLive("with plain FetchHttpClient.layer, a redirect is answered, not followed, even when the caller's RequestInit says follow", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ redirectHttp: true })
      const error = yield* Effect.flip(
        Effect.provide(whoAndWhat, tableau(server.httpUrl ?? "", FetchHttpClient.layer)).pipe(
          Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow" })
        )
      )
      assertTag(error, "TableauRedirectError")
      expect(error.status).toBe(302)
      expect(error.suggestedUrl).toBe(server.httpsUrl)
      const stats = yield* server.emulator.stats
      expect(stats.redirects).toBe(1)
      expect(stats.requests).toBe(0)
    }))
})
