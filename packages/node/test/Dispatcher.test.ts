import { describe, expect, layer } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as Effect from "effect/Effect"
import { Agent, EnvHttpProxyAgent, ProxyAgent } from "undici"
import { Certificates, layer as CertificatesLive } from "./support/Certificates.js"
import { connectProxy, neverAnswer, serve } from "./support/servers.js"
import { assertTag, serverInfoVia, tableau, whoAndWhat } from "./support/tableau.js"

// A dispatcher of the caller's, closed by the caller when the test ends.
const owned = <D extends Agent | ProxyAgent | EnvHttpProxyAgent>(make: () => D) =>
  Effect.acquireRelease(Effect.sync(make), (dispatcher) => Effect.promise(() => dispatcher.close()))

// Sets an environment variable for the rest of the scope.
const env = (name: string, value: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const before = process.env[name]
      process.env[name] = value
      return before
    }),
    (before) =>
      Effect.sync(() => {
        if (before === undefined) delete process.env[name]
        else process.env[name] = before
      })
  )

describe("TableauNode.layer({ dispatcher })", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("a ProxyAgent: sign-in, serverinfo and sign-out go through the proxy's tunnel; it stays open", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const proxy = yield* connectProxy
        const dispatcher = yield* owned(() => new ProxyAgent({ uri: proxy.url, requestTls: { ca: certs.ca.cert } }))
        const result = yield* Effect.provide(
          Effect.zipLeft(whoAndWhat, TableauServer.serverInfo),
          tableau(server.url, TableauNode.layer({ dispatcher }))
        )
        expect(result.userId).toBe(Fixtures.ids.users.admin)
        const stats = yield* server.emulator.stats
        expect([stats.signIns, stats.signOuts]).toEqual([1, 1])
        const tunnels = yield* proxy.tunnels
        expect(tunnels.length).toBeGreaterThanOrEqual(1)
        expect(new Set(tunnels)).toEqual(new Set([new URL(server.url).host]))
        // That layer has ended, and the dispatcher is the caller's: still open for the next one.
        const again = yield* Effect.provide(whoAndWhat, tableau(server.url, TableauNode.layer({ dispatcher })))
        expect(again.userId).toBe(Fixtures.ids.users.admin)
      }))

    it.scoped("keeps the dispatcher's own headersTimeout; the option, when given, overrides it", () =>
      Effect.gen(function*() {
        const server = yield* serve(neverAnswer)
        const dispatcher = yield* owned(() => new Agent({ headersTimeout: 200 }))
        const own = yield* Effect.flip(serverInfoVia(server.url, TableauNode.layer({ dispatcher }), { retry: false }))
        assertTag(own, "TableauTransportError")
        expect([own.reason, own.code]).toEqual(["Timeout", "UND_ERR_HEADERS_TIMEOUT"])
        // Turned off for this client: TableauServer's timeout is the one that fires.
        const off = yield* Effect.flip(
          serverInfoVia(server.url, TableauNode.layer({ dispatcher, headersTimeout: "1 hour" }), {
            timeout: "400 millis",
            retry: false
          })
        )
        assertTag(off, "TableauTransportError")
        expect([off.reason, off.code]).toEqual(["Timeout", undefined])
      }))

    it.scoped("an EnvHttpProxyAgent follows HTTPS_PROXY", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const proxy = yield* connectProxy
        yield* env("HTTPS_PROXY", proxy.url)
        // noProxy "" overrides a NO_PROXY the machine running the tests may have.
        const dispatcher = yield* owned(() => new EnvHttpProxyAgent({ noProxy: "", requestTls: { ca: certs.ca.cert } }))
        const result = yield* Effect.provide(whoAndWhat, tableau(server.url, TableauNode.layer({ dispatcher })))
        expect(result.restApiVersion).toBe("3.24")
        expect(new Set(yield* proxy.tunnels)).toEqual(new Set([new URL(server.url).host]))
      }))
  })
})
