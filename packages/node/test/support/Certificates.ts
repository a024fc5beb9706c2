/**
 * Certificates made at test time with `selfsigned` (EC P-256, SHA-256), written to a temporary
 * directory that is removed when the layer ends: a CA, a server certificate it signed for
 * localhost and 127.0.0.1, a self-signed one, an expired one, one for another host, and a
 * client certificate.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generate } from "selfsigned"

export interface KeyPair {
  readonly key: string
  readonly cert: string
}

export interface Service {
  readonly dir: string
  /** The test CA; `caPath` holds its certificate. */
  readonly ca: KeyPair
  readonly caPath: string
  /** Signed by the CA for localhost and 127.0.0.1. */
  readonly server: KeyPair
  /** Self-signed for localhost and 127.0.0.1 (no CA); `selfSignedPath` holds its certificate. */
  readonly selfSigned: KeyPair
  readonly selfSignedPath: string
  /** Signed by the CA for localhost and 127.0.0.1, expired yesterday. */
  readonly expired: KeyPair
  /** Signed by the CA for other.example only. */
  readonly otherHost: KeyPair
  /** A client certificate signed by the CA, and the paths of its PEM files. */
  readonly client: KeyPair
  readonly clientCertPath: string
  readonly clientKeyPath: string
  /** A file that is not PEM at all, and one that holds only a private key. */
  readonly notPemPath: string
  readonly keyOnlyPath: string
}

export class Certificates extends Context.Tag("test/Certificates")<Certificates, Service>() {}

const DAY = 24 * 3_600_000
const localhost = {
  name: "subjectAltName" as const,
  altNames: [{ type: 2 as const, value: "localhost" }, { type: 7 as const, ip: "127.0.0.1" }]
}

const make = (
  commonName: string,
  options: Parameters<typeof generate>[1] = {}
): Effect.Effect<KeyPair> =>
  Effect.promise(() =>
    generate([{ name: "commonName", value: commonName }], { keyType: "ec", algorithm: "sha256", ...options })
  )
    .pipe(Effect.map((pems) => ({ key: pems.private, cert: pems.cert })))

const leaf = (ca: KeyPair, commonName: string, extra: Parameters<typeof generate>[1] = {}) =>
  make(commonName, {
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      localhost
    ],
    ...extra
  })

export const layer: Layer.Layer<Certificates> = Layer.scoped(
  Certificates,
  Effect.gen(function*() {
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "tableau-node-test-"))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    )
    const ca = yield* make("tableau-effect test CA", {
      notAfterDate: new Date(Date.now() + 30 * DAY),
      extensions: [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      ]
    })
    const [server, selfSigned, expired, otherHost, client] = yield* Effect.all([
      leaf(ca, "localhost"),
      make("localhost", { extensions: [{ name: "basicConstraints", cA: false }, localhost] }),
      leaf(ca, "localhost", {
        notBeforeDate: new Date(Date.now() - 10 * DAY),
        notAfterDate: new Date(Date.now() - DAY)
      }),
      leaf(ca, "other.example", {
        extensions: [
          { name: "basicConstraints", cA: false },
          { name: "extKeyUsage", serverAuth: true },
          { name: "subjectAltName", altNames: [{ type: 2, value: "other.example" }] }
        ]
      }),
      leaf(ca, "tableau-client", {
        extensions: [{ name: "basicConstraints", cA: false }, { name: "extKeyUsage", clientAuth: true }]
      })
    ], { concurrency: "unbounded" })
    const write = (name: string, text: string) =>
      Effect.promise(() => writeFile(join(dir, name), text)).pipe(Effect.as(join(dir, name)))
    return {
      dir,
      ca,
      caPath: yield* write("ca.pem", ca.cert),
      server,
      selfSigned,
      selfSignedPath: yield* write("self-signed.pem", selfSigned.cert),
      expired,
      otherHost,
      client,
      clientCertPath: yield* write("client.crt", client.cert),
      clientKeyPath: yield* write("client.key", client.key),
      notPemPath: yield* write("notes.txt", "this is not a certificate\n"),
      keyOnlyPath: yield* write("only-a-key.pem", client.key)
    }
  })
)
