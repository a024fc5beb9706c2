import { describe, expect, layer } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Certificates, layer as CertificatesLive } from "./support/Certificates.js"
import { captureLogs, warnings } from "./support/logs.js"
import { answerServerInfo, serve } from "./support/servers.js"
import { assertTag, tableau, whoAndWhat } from "./support/tableau.js"

/** Signs in through TableauNode and reads serverinfo; fails with what the caller would see. */
const signInOver = (url: string, options: TableauNode.Options) =>
  Effect.provide(whoAndWhat, tableau(url, TableauNode.layer(options)))

/** The error a caller sees when signing in through TableauNode. */
const failureOver = (url: string, options: TableauNode.Options) => Effect.flip(signInOver(url, options))

describe("TableauNode TLS", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("trusts a private CA given as a path: signs in and reads serverinfo over https", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
        const result = yield* signInOver(server.url, { tls: { ca: certs.caPath } })
        expect(result).toEqual({
          userId: Fixtures.ids.users.admin,
          site: "",
          restApiVersion: "3.24",
          productVersion: expect.any(String)
        })
        const stats = yield* server.emulator.stats
        expect(stats.signIns).toBe(1)
        expect(stats.signOuts).toBe(1)
      }))

    it.scoped("trusts only the given CA with replaceRoots, given as PEM text", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const result = yield* signInOver(server.url, { tls: { ca: [certs.ca.cert], replaceRoots: true } })
        expect(result.userId).toBe(Fixtures.ids.users.admin)
      }))

    it.scoped("trusts the emulator's self-signed certificate given as tls.ca", () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ https: "self-signed" })
        expect(server.caPem).toContain("BEGIN CERTIFICATE")
        const result = yield* signInOver(server.url, { tls: { ca: server.caPem ?? "" } })
        expect(result.restApiVersion).toBe("3.24")
      }))

    it.scoped("an untrusted self-signed certificate is a Tls error, DEPTH_ZERO_SELF_SIGNED_CERT, hinting at tls.ca", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({
          https: { key: certs.selfSigned.key, cert: certs.selfSigned.cert }
        })
        const error = yield* failureOver(server.url, {})
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Tls")
        expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT")
        expect(error.url).toBe(`${server.url}/api/2.4/serverinfo`)
        expect(error.hint).toContain("TableauNode.layer({ tls: { ca:")
        expect(error.message).toContain("DEPTH_ZERO_SELF_SIGNED_CERT")
        // The handshake failed: no request, no credential reached the server.
        expect((yield* server.emulator.stats).requests).toBe(0)
        // ...and the same server works once its certificate is trusted.
        const fixed = yield* signInOver(server.url, { tls: { ca: certs.selfSignedPath } })
        expect(fixed.userId).toBe(Fixtures.ids.users.admin)
      }))

    it.scoped("a certificate from an unknown CA is a Tls error, UNABLE_TO_VERIFY_LEAF_SIGNATURE, hinting at tls.ca", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const error = yield* failureOver(server.url, {})
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Tls")
        expect(error.code).toBe("UNABLE_TO_VERIFY_LEAF_SIGNATURE")
        expect(error.hint).toContain("TableauNode.layer({ tls: { ca:")
      }))

    it.scoped("a certificate for another host is a Tls error, ERR_TLS_CERT_ALTNAME_INVALID", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.otherHost.key, cert: certs.otherHost.cert } })
        const error = yield* failureOver(server.url, { tls: { ca: certs.caPath } })
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Tls")
        expect(error.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID")
        expect(error.hint).toContain("host name the certificate was issued for")
        expect((yield* server.emulator.stats).requests).toBe(0)
      }))

    it.scoped("an expired certificate is a Tls error, CERT_HAS_EXPIRED", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.expired.key, cert: certs.expired.cert } })
        const error = yield* failureOver(server.url, { tls: { ca: certs.caPath } })
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Tls")
        expect(error.code).toBe("CERT_HAS_EXPIRED")
        expect(error.hint).toContain("expired")
      }))

    it.scoped("an https URL on a plain http port is a Tls error, ERR_SSL_WRONG_VERSION_NUMBER", () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({})
        const error = yield* failureOver(server.url.replace("http://", "https://"), {})
        assertTag(error, "TableauTransportError")
        expect(error.reason).toBe("Tls")
        expect(error.code).toBe("ERR_SSL_WRONG_VERSION_NUMBER")
        expect((yield* server.emulator.stats).requests).toBe(0)
      }))

    it.scoped("rejectUnauthorized: false connects to an untrusted server and logs exactly one warning", () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ https: "self-signed" })
        const logs = yield* captureLogs
        const result = yield* Effect.provide(
          Effect.zipLeft(whoAndWhat, Effect.repeatN(TableauServer.serverInfo, 3)),
          tableau(server.url, TableauNode.layer({ tls: { rejectUnauthorized: false } }))
        )
        expect(result.userId).toBe(Fixtures.ids.users.admin)
        expect(warnings(logs)).toEqual([expect.stringContaining("TLS certificate verification is off")])
        expect(warnings(logs)[0]).toContain("tls: { ca }")
      }))

    it.scoped("presents a client certificate (paths) to a server that asks for one", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* serve(answerServerInfo, {
          key: certs.server.key,
          cert: certs.server.cert,
          ca: [certs.ca.cert],
          requestCert: true,
          rejectUnauthorized: true
        })
        const ask = (options: TableauNode.Options) =>
          Effect.provide(
            TableauServer.serverInfo,
            TableauServer.layer({ url: server.url, apiVersion: "3.24" }).pipe(Layer.provide(TableauNode.layer(options)))
          )
        const info = yield* ask({ tls: { ca: certs.caPath, cert: certs.clientCertPath, key: certs.clientKeyPath } })
        expect(info.restApiVersion).toBe("3.24")
        expect(yield* server.requests).toEqual(["GET /api/3.24/serverinfo"])
        // Without one, the server ends the handshake: a transport error, and no request served.
        const refused = yield* Effect.flip(ask({ tls: { ca: certs.caPath } }))
        assertTag(refused, "TableauTransportError")
        expect(yield* server.requests).toEqual(["GET /api/3.24/serverinfo"])
      }))
  })
})
