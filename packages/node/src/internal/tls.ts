/**
 * TLS options to undici's connect options: PEM sources read from files or taken as text, checked
 * when the layer is built, with errors that name the option and the path but never a key.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createPrivateKey, X509Certificate } from "node:crypto"
import { readFile } from "node:fs/promises"
import * as tls from "node:tls"
import type { TlsOptions } from "../TableauNode.js"
import { TableauNodeConfigError } from "../TableauNodeError.js"

/** PEM text as given, or read from a file (then `path` names it). @internal */
export interface PemSource {
  readonly option: string
  readonly text: string
  readonly path?: string
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g
const DER_HINT = "; convert it to PEM: openssl x509 -inform der -in FILE -out ca.pem"

const fail = (source: { readonly option: string; readonly path?: string | undefined }, reason: string, code?: string) =>
  Effect.fail(
    new TableauNodeConfigError({
      option: source.option,
      reason,
      ...(source.path !== undefined ? { path: source.path } : {}),
      ...(code !== undefined ? { code } : {})
    })
  )

const codeOf = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { readonly code?: unknown }).code
  return typeof code === "string" ? code : undefined
}

const readFailure = (code: string | undefined): string => {
  switch (code) {
    case "ENOENT":
      return "the file does not exist (a path is read relative to the working directory; PEM text must start with -----BEGIN)"
    case "EACCES":
    case "EPERM":
      return "the file cannot be read: permission denied"
    case "EISDIR":
      return "it is a directory, not a PEM file"
    default:
      return "the file cannot be read"
  }
}

/**
 * Takes PEM text as it is, or reads the file a path names.
 *
 * @internal
 */
export const readSource = (option: string, value: string): Effect.Effect<PemSource, TableauNodeConfigError> => {
  if (PEM_BLOCK.test(value)) return Effect.succeed({ option, text: value })
  if (value.trim() === "") return fail({ option }, "it is empty: give the path of a PEM file, or PEM text")
  const path = value
  return Effect.tryPromise({
    try: () => readFile(path),
    catch: (cause) => cause
  }).pipe(
    Effect.catchAll((cause) => fail({ option, path }, readFailure(codeOf(cause)), codeOf(cause))),
    Effect.flatMap((bytes) =>
      // A DER file starts with an ASN.1 SEQUENCE (0x30) and holds no PEM header.
      bytes.length > 0 && bytes[0] === 0x30 && !PEM_BLOCK.test(bytes.toString("latin1"))
        ? fail({ option, path }, `the file is binary (DER), not PEM${DER_HINT}`)
        : Effect.succeed({ option, path, text: bytes.toString("utf8") })
    )
  )
}

/**
 * The certificates of a PEM source, each checked to parse as X.509.
 *
 * @internal
 */
export const certificates = (source: PemSource): Effect.Effect<ReadonlyArray<string>, TableauNodeConfigError> => {
  const blocks = source.text.match(CERTIFICATE_BLOCK) ?? []
  if (blocks.length === 0) {
    const found = source.text.match(PEM_BLOCK)?.[0]
    return fail(
      source,
      found === undefined
        ? "it holds no PEM certificate (expected a -----BEGIN CERTIFICATE----- block)"
        : `it holds no certificate, only ${found.replace(/-----/g, "").replace("BEGIN ", "a ").toLowerCase()} block`
    )
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block)
    } catch {
      return fail(source, `certificate ${index + 1} of ${blocks.length} cannot be parsed (a damaged PEM block?)`)
    }
  }
  return Effect.succeed(blocks)
}

/**
 * Checks that a PEM source holds a private key that can be read (with the passphrase, if any).
 * The error never quotes the key.
 *
 * @internal
 */
export const privateKey = (
  source: PemSource,
  passphrase: Redacted.Redacted<string> | undefined
): Effect.Effect<string, TableauNodeConfigError> => {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(source.text)) {
    return fail(source, "it holds no PEM private key (expected a -----BEGIN PRIVATE KEY----- block)")
  }
  try {
    createPrivateKey(
      passphrase === undefined
        ? { key: source.text, format: "pem" }
        : { key: source.text, format: "pem", passphrase: Redacted.value(passphrase) }
    )
  } catch {
    return fail(
      source,
      passphrase === undefined
        ? "the private key cannot be read (an encrypted key needs tls.passphrase)"
        : "the private key cannot be read (wrong tls.passphrase?)"
    )
  }
  return Effect.succeed(source.text)
}

type CaStore = "default" | "system" | "bundled" | "extra"
const tlsWithStores = tls as typeof tls & {
  readonly getCACertificates?: (type?: CaStore) => ReadonlyArray<string>
}

/**
 * The roots Node trusts by default: its bundled Mozilla store plus `NODE_EXTRA_CA_CERTS`. Giving
 * `ca` to a TLS socket replaces them, so they are added back unless `replaceRoots` is set.
 *
 * @internal
 */
export const defaultRoots: Effect.Effect<ReadonlyArray<string>> = Effect.suspend(() => {
  if (typeof tlsWithStores.getCACertificates === "function") {
    return Effect.succeed(tlsWithStores.getCACertificates("default"))
  }
  const extra = process.env["NODE_EXTRA_CA_CERTS"]
  if (extra === undefined || extra === "") return Effect.succeed(tls.rootCertificates)
  // Node reads the file at start-up and warns when it cannot; here it is best effort.
  return Effect.tryPromise(() => readFile(extra, "utf8")).pipe(
    Effect.map((text) => [...tls.rootCertificates, ...(text.match(CERTIFICATE_BLOCK) ?? [])]),
    Effect.orElseSucceed(() => tls.rootCertificates)
  )
})

/** The TLS part of undici's connect options. @internal */
export interface ConnectOptions {
  ca?: ReadonlyArray<string>
  cert?: string
  key?: string
  passphrase?: string
  rejectUnauthorized?: boolean
}

const listOf = (ca: string | ReadonlyArray<string>): ReadonlyArray<string> => typeof ca === "string" ? [ca] : ca

/**
 * Reads and checks the TLS options: CA certificates (added to Node's roots unless
 * `replaceRoots`), the client certificate and key, the verification switch.
 *
 * @internal
 */
export const connectOptions = (tls: TlsOptions): Effect.Effect<ConnectOptions, TableauNodeConfigError> =>
  Effect.gen(function*() {
    const options: ConnectOptions = {}
    if (tls.ca !== undefined) {
      const values = listOf(tls.ca)
      if (values.length === 0 && tls.replaceRoots === true) {
        return yield* fail(
          { option: "tls.ca" },
          "it is empty while tls.replaceRoots is true: no server could be trusted"
        )
      }
      const custom: Array<string> = []
      for (const value of values) {
        custom.push(...(yield* Effect.flatMap(readSource("tls.ca", value), certificates)))
      }
      options.ca = tls.replaceRoots === true ? custom : [...(yield* defaultRoots), ...custom]
    } else if (tls.replaceRoots === true) {
      return yield* fail(
        { option: "tls.replaceRoots" },
        "it needs tls.ca: the certificates to trust instead of Node's roots"
      )
    }
    if ((tls.cert === undefined) !== (tls.key === undefined)) {
      return yield* fail(
        { option: tls.cert === undefined ? "tls.cert" : "tls.key" },
        "it is missing: a client certificate needs both tls.cert and tls.key (they may name the same PEM file)"
      )
    }
    if (tls.cert !== undefined && tls.key !== undefined) {
      const cert = yield* readSource("tls.cert", tls.cert)
      yield* certificates(cert)
      options.cert = cert.text
      options.key = yield* Effect.flatMap(
        readSource("tls.key", tls.key),
        (source) => privateKey(source, tls.passphrase)
      )
      if (tls.passphrase !== undefined) options.passphrase = Redacted.value(tls.passphrase)
    }
    if (tls.rejectUnauthorized === false) options.rejectUnauthorized = false
    return options
  })
