import { describe, expect, layer } from "@effect/vitest"
import { TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Agent } from "undici"
import { Certificates, layer as CertificatesLive } from "./support/Certificates.js"
import { captureLogs, warnings } from "./support/logs.js"
import { assertTag, tableau, whoAndWhat } from "./support/tableau.js"

/** The error that building the layer fails with. */
const buildFailure = (options: TableauNode.Options) => Effect.flip(Layer.build(TableauNode.layer(options)))

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("TableauNode options that cannot be used fail the layer, naming the option and the file", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("a CA path that does not exist", () =>
      Effect.gen(function*() {
        const { dir } = yield* Certificates
        const path = join(dir, "no-such-ca.pem")
        const error = yield* buildFailure({ tls: { ca: path } })
        expect(error).toMatchObject({ _tag: "TableauNodeConfigError", option: "tls.ca", path, code: "ENOENT" })
        expect(error.message).toContain(path)
        expect(error.message).toContain("does not exist")
      }))

    it.scoped("a CA file that holds no certificate", () =>
      Effect.gen(function*() {
        const { notPemPath } = yield* Certificates
        const error = yield* buildFailure({ tls: { ca: notPemPath } })
        expect(error).toMatchObject({ option: "tls.ca", path: notPemPath })
        expect(error.message).toContain(notPemPath)
        expect(error.reason).toContain("no PEM certificate")
      }))

    it.scoped("a CA file that holds only a private key, never quoting it", () =>
      Effect.gen(function*() {
        const { keyOnlyPath, client } = yield* Certificates
        const error = yield* buildFailure({ tls: { ca: [keyOnlyPath] } })
        expect(error).toMatchObject({ option: "tls.ca", path: keyOnlyPath })
        expect(error.reason).toContain("only a private key")
        const keyBody = client.key.split("\n")[1] ?? "unreachable"
        expect(JSON.stringify(error)).not.toContain(keyBody)
        expect(error.message).not.toContain(keyBody)
      }))

    it.scoped("a directory given as the CA", () =>
      Effect.gen(function*() {
        const { dir } = yield* Certificates
        const error = yield* buildFailure({ tls: { ca: dir } })
        expect(error).toMatchObject({ option: "tls.ca", path: dir, code: "EISDIR" })
      }))

    it.scoped("a binary (DER) CA file, with the openssl command that converts it", () =>
      Effect.gen(function*() {
        const { ca, dir } = yield* Certificates
        const der = Buffer.from(ca.cert.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64")
        const path = join(dir, "ca.cer")
        yield* Effect.promise(() => writeFile(path, der))
        const error = yield* buildFailure({ tls: { ca: path } })
        expect(error).toMatchObject({ option: "tls.ca", path })
        expect(error.reason).toContain("openssl x509 -inform der")
      }))

    it.scoped("a damaged PEM certificate given as text", () =>
      Effect.gen(function*() {
        const error = yield* buildFailure({
          tls: { ca: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n" }
        })
        expect(error).toMatchObject({ option: "tls.ca", reason: expect.stringContaining("cannot be parsed") })
        expect(error.path).toBeUndefined()
      }))

    it.scoped("a client certificate without its key, and a key file that holds no key", () =>
      Effect.gen(function*() {
        const { clientCertPath, caPath } = yield* Certificates
        expect(yield* buildFailure({ tls: { cert: clientCertPath } })).toMatchObject({ option: "tls.key" })
        expect(yield* buildFailure({ tls: { cert: clientCertPath, key: caPath } })).toMatchObject({
          option: "tls.key",
          path: caPath,
          reason: expect.stringContaining("no PEM private key")
        })
      }))

    it.scoped("replaceRoots without a CA, a pool of 0 connections, a timeout that is no duration", () =>
      Effect.gen(function*() {
        expect(yield* buildFailure({ tls: { replaceRoots: true } })).toMatchObject({ option: "tls.replaceRoots" })
        expect(yield* buildFailure({ connections: 0 })).toMatchObject({ option: "connections" })
        expect(yield* buildFailure({ headersTimeout: -5 })).toMatchObject({ option: "headersTimeout" })
        expect(yield* buildFailure({ bodyTimeout: "forever" as "1 second" })).toMatchObject({ option: "bodyTimeout" })
        expect(yield* buildFailure({ connectTimeout: "soon" as "1 second" })).toMatchObject({
          option: "connectTimeout"
        })
      }))
  })
})

describe("TableauNode.layer({ dispatcher })", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("an option of the Agent given with a dispatcher fails the layer, naming the option", () =>
      Effect.gen(function*() {
        const { caPath } = yield* Certificates
        const dispatcher = yield* Effect.acquireRelease(
          Effect.sync(() => new Agent()),
          (agent) => Effect.promise(() => agent.close())
        )
        for (
          const [options, option] of [
            [{ tls: { ca: caPath } }, "tls"],
            [{ tls: { rejectUnauthorized: false } }, "tls"],
            [{ connections: 2 }, "connections"],
            [{ connectTimeout: "1 second" }, "connectTimeout"]
          ] as const
        ) {
          const error = yield* buildFailure({ dispatcher, ...options })
          expect(error).toMatchObject({ _tag: "TableauNodeConfigError", option })
          expect(error.message).toContain("dispatcher")
        }
        // What `config` reads from an environment without TLS variables sets nothing, and is fine.
        yield* Layer.build(TableauNode.layer({ dispatcher, tls: {} }))
      }))
  })
})

describe("TableauNode.layerConfig", () => {
  layer(CertificatesLive, { excludeTestServices: true })((it) => {
    it.scoped("TABLEAU_CA_FILE trusts a private CA", () =>
      Effect.gen(function*() {
        const certs = yield* Certificates
        const server = yield* EmulatorServer.serve({ https: { key: certs.server.key, cert: certs.server.cert } })
        const result = yield* Effect.provide(whoAndWhat, tableau(server.url, TableauNode.layerConfig())).pipe(
          fromEnv({ TABLEAU_CA_FILE: certs.caPath, TABLEAU_CONNECTIONS: "2", TABLEAU_HEADERS_TIMEOUT: "30 seconds" })
        )
        expect(result.userId).toBe(Fixtures.ids.users.admin)
      }))

    it.scoped("TABLEAU_TLS_VERIFY=false turns verification off, with its one warning", () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ https: "self-signed" })
        const logs = yield* captureLogs
        const info = yield* Effect.provide(
          TableauServer.serverInfo,
          TableauServer.layer({ url: server.url, apiVersion: "3.24" }).pipe(Layer.provide(TableauNode.layerConfig()))
        ).pipe(fromEnv({ TABLEAU_TLS_VERIFY: "false" }))
        expect(info.restApiVersion).toBe("3.24")
        expect(warnings(logs)).toEqual([expect.stringContaining("verification is off")])
      }))

    it.scoped("a missing TABLEAU_CA_FILE is a TableauNodeConfigError; a malformed number a ConfigError", () =>
      Effect.gen(function*() {
        const { dir } = yield* Certificates
        const path = join(dir, "missing.pem")
        const missing = yield* Effect.flip(Layer.build(TableauNode.layerConfig())).pipe(
          fromEnv({ TABLEAU_CA_FILE: path })
        )
        assertTag(missing, "TableauNodeConfigError")
        expect(missing.path).toBe(path)
        const malformed = yield* Effect.flip(Layer.build(TableauNode.layerConfig())).pipe(
          fromEnv({ TABLEAU_CONNECTIONS: "many" })
        )
        expect(malformed._tag).not.toBe("TableauNodeConfigError")
        expect(String(malformed)).toContain("TABLEAU_CONNECTIONS")
      }))
  })
})
