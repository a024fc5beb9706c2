import { describe, expect, layer } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as Effect from "effect/Effect"
import { Certificates, layer as CertificatesLive } from "./support/Certificates.js"
import { captureLogs, warnings } from "./support/logs.js"
import { allSocketsClosed, answerServerInfo, neverAnswer, pumpBody, redirectTo, serve } from "./support/servers.js"
import { assertTag, serverInfoVia, tableau, whoAndWhat } from "./support/tableau.js"

/** The emulator behind an http listener that redirects every request to its https one. */
const redirectingEmulator = (redirectStatus: 301 | 302 | 307 | 308 = 302) =>
  Effect.gen(function*() {
    const server = yield* EmulatorServer.serve({ redirectHttp: true, redirectStatus })
    const httpUrl = server.httpUrl ?? ""
    const httpsUrl = server.httpsUrl ?? ""
    expect(httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    return { ...server, httpUrl, httpsUrl, ca: server.caPem ?? "" }
  })

describe("TableauNode redirects: never followed by default", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    for (const status of [301, 302, 307, 308] as const) {
      it.scoped(`with apiVersion "auto", the serverinfo probe meets the ${status} first: no sign-in reaches http`, () =>
        Effect.gen(function*() {
          const server = yield* redirectingEmulator(status)
          const error = yield* Effect.flip(
            Effect.provide(whoAndWhat, tableau(server.httpUrl, TableauNode.layer({ tls: { ca: server.ca } })))
          )
          assertTag(error, "TableauRedirectError")
          expect(error.status).toBe(status)
          expect(error.method).toBe("GET")
          expect(error.from).toBe(`${server.httpUrl}/api/2.4/serverinfo`)
          expect(error.location).toBe(`${server.httpsUrl}/api/2.4/serverinfo`)
          expect(error.suggestedUrl).toBe(server.httpsUrl)
          expect(error.message).toContain(`TableauServer.layer({ url: "${server.httpsUrl}" })`)
          const stats = yield* server.emulator.stats
          expect(stats.redirects).toBe(1)
          expect(stats.httpSignIns).toBe(0)
          expect(stats.signIns).toBe(0)
          expect(stats.requests).toBe(0)
        }))
    }

    it.scoped("with a fixed apiVersion, sign-in through http fails with TableauRedirectError naming the https URL", () =>
      Effect.gen(function*() {
        const server = yield* redirectingEmulator()
        const error = yield* Effect.flip(
          Effect.provide(
            whoAndWhat,
            tableau(server.httpUrl, TableauNode.layer({ tls: { ca: server.ca } }), { apiVersion: "3.24" })
          )
        )
        assertTag(error, "TableauRedirectError")
        expect(error.method).toBe("POST")
        expect(error.from).toBe(`${server.httpUrl}/api/3.24/auth/signin`)
        expect(error.suggestedUrl).toBe(server.httpsUrl)
        const stats = yield* server.emulator.stats
        // Not followed as a GET (no 405000) nor re-sent: but the POST did cross http once,
        // which is why apiVersion "auto" is the safer default.
        expect(stats.httpSignIns).toBe(1)
        expect(stats.signIns).toBe(0)
        expect(stats.requests).toBe(0)
      }))
  })
})

describe("TableauNode redirects: \"upgrade-https\"", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("re-sends to https on the same host, then goes straight there; no sign-in crosses http; logs it", () =>
      Effect.gen(function*() {
        const server = yield* redirectingEmulator()
        const logs = yield* captureLogs
        const result = yield* Effect.provide(
          Effect.zipLeft(whoAndWhat, TableauServer.serverInfo),
          tableau(server.httpUrl, TableauNode.layer({ tls: { ca: server.ca }, redirects: "upgrade-https" }))
        )
        expect(result.userId).toBe(Fixtures.ids.users.admin)
        const stats = yield* server.emulator.stats
        expect(stats.redirects).toBe(1)
        expect(stats.httpSignIns).toBe(0)
        expect(stats.signIns).toBe(1)
        expect(stats.signOuts).toBe(1)
        const upgraded = logs.filter((line) => line.message.includes("upgrade-https"))
        expect(upgraded).toEqual([{
          level: "INFO",
          message: expect.stringContaining(`Re-sent GET ${server.httpUrl}/api/2.4/serverinfo to ${server.httpsUrl}`)
        }])
        expect(warnings(logs)).toEqual([])
      }))

    it.scoped("with a fixed apiVersion, re-sends the sign-in and warns that it had crossed http", () =>
      Effect.gen(function*() {
        const server = yield* redirectingEmulator(308)
        const logs = yield* captureLogs
        const result = yield* Effect.provide(
          whoAndWhat,
          tableau(server.httpUrl, TableauNode.layer({ tls: { ca: server.ca }, redirects: "upgrade-https" }), {
            apiVersion: "3.24"
          })
        )
        expect(result.userId).toBe(Fixtures.ids.users.admin)
        const stats = yield* server.emulator.stats
        expect(stats.redirects).toBe(1)
        expect(stats.httpSignIns).toBe(1)
        expect(stats.signIns).toBe(1)
        expect(warnings(logs)).toEqual([
          expect.stringMatching(/^Re-sent POST .*\/api\/3\.24\/auth\/signin to https:.*already crossed plain http/)
        ])
      }))

    it.scoped("TableauServer's timeout still fires through the redirect, and closes the re-sent request", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const silent = yield* serve(neverAnswer, { key: certs.server.key, cert: certs.server.cert })
        const redirector = yield* serve(redirectTo((path) => `https://127.0.0.1:${silent.port}${path}`))
        const node = TableauNode.layer({ tls: { ca: certs.caPath }, redirects: "upgrade-https" })
        const started = Date.now()
        // Time for the redirect and a TLS handshake before the timeout: they take 80-240 ms on a
        // busy 2-core machine, and up to a second while another worker starts processes (300 ms
        // failed then). Well below the default timeout (10 s here) and undici's own (300 s).
        const error = yield* Effect.flip(serverInfoVia(redirector.url, node, { timeout: "1 second", retry: false }))
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Timeout")
        expect(Date.now() - started).toBeLessThan(3_000)
        expect(yield* silent.requests).toEqual(["GET /api/3.24/serverinfo"])
        expect(yield* allSocketsClosed(silent)).toBe(0)
      }))

    it.scoped("reads at most a little of a huge redirect body, drops that connection, and re-sends", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const target = yield* serve(answerServerInfo, { key: certs.server.key, cert: certs.server.cert })
        const size = 64 * 1024 * 1024
        let pumped = { accepted: () => 0 }
        const redirector = yield* serve((request, response) => {
          request.resume()
          response.writeHead(302, {
            location: `https://127.0.0.1:${target.port}${request.url}`,
            "content-type": "text/html",
            "content-length": String(size)
          })
          pumped = pumpBody(response, size)
        })
        const node = TableauNode.layer({ tls: { ca: certs.caPath }, redirects: "upgrade-https" })
        const info = yield* serverInfoVia(redirector.url, node, { retry: false })
        expect(info.restApiVersion).toBe("3.24")
        expect(yield* target.requests).toEqual(["GET /api/3.24/serverinfo"])
        // The redirect's connection was dropped, not read to its end: what it took is what the
        // kernel's socket buffers hold, a few MiB at most.
        expect(yield* allSocketsClosed(redirector)).toBe(0)
        expect(pumped.accepted()).toBeLessThan(16 * 1024 * 1024)
      }))

    it.scoped("refuses a redirect to another host: the caller gets TableauRedirectError, the other host nothing", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        // A server the client would trust (its certificate names localhost), reached by another name.
        const target = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const port = new URL(target.url).port
        const redirector = yield* serve(redirectTo((path) => `https://localhost:${port}${path}`))
        const error = yield* Effect.flip(
          Effect.provide(
            whoAndWhat,
            tableau(redirector.url, TableauNode.layer({ tls: { ca: certs.caPath }, redirects: "upgrade-https" }))
          )
        )
        assertTag(error, "TableauRedirectError")
        expect(error.location).toBe(`https://localhost:${port}/api/2.4/serverinfo`)
        expect(yield* redirector.requests).toEqual(["GET /api/2.4/serverinfo"])
        expect((yield* target.emulator.stats).requests).toBe(0)
      }))

    it.scoped("refuses a downgrade from https to http", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const plain = yield* EmulatorServer.serve({})
        const redirector = yield* serve(
          redirectTo((path) => `${plain.url}${path}`),
          { key: certs.server.key, cert: certs.server.cert }
        )
        const error = yield* Effect.flip(
          Effect.provide(
            whoAndWhat,
            tableau(redirector.url, TableauNode.layer({ tls: { ca: certs.caPath }, redirects: "upgrade-https" }), {
              apiVersion: "3.24"
            })
          )
        )
        assertTag(error, "TableauRedirectError")
        expect(error.method).toBe("POST")
        expect(error.location).toBe(`${plain.url}/api/3.24/auth/signin`)
        expect(yield* redirector.requests).toEqual(["POST /api/3.24/auth/signin"])
        expect((yield* plain.emulator.stats).requests).toBe(0)
      }))

    it.scoped("refuses an http->https redirect to another path (a login page is not an upgrade)", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const target = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const redirector = yield* serve(redirectTo(() => `${target.url}/login`))
        const error = yield* Effect.flip(
          Effect.provide(
            whoAndWhat,
            tableau(redirector.url, TableauNode.layer({ tls: { ca: certs.caPath }, redirects: "upgrade-https" }))
          )
        )
        assertTag(error, "TableauRedirectError")
        expect(error.location).toBe(`${target.url}/login`)
        expect((yield* target.emulator.stats).requests).toBe(0)
      }))
  })
})
