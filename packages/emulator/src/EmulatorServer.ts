/**
 * The emulator on real sockets: a scoped node:http (or node:https) server on loopback, with an
 * optional http listener that redirects every request to the https one, as a Tableau Server
 * behind an http->https redirect does.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Scope from "effect/Scope"
import * as http from "node:http"
import * as https from "node:https"
import type { AddressInfo } from "node:net"
import { generate } from "selfsigned"
import type * as Handler from "./Handler.js"
import * as TableauEmulator from "./TableauEmulator.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A key and certificate in PEM.
 *
 * @since 0.1.0
 * @category Models
 */
export interface TlsOptions {
  readonly key: string | Uint8Array
  readonly cert: string | Uint8Array
}

/**
 * How to serve the emulator, on top of `TableauEmulator.Options`:
 * - `port`: the port of the first listener (0, the default, lets the OS pick): the API, or the
 *   redirect listener with `redirectHttp`;
 * - `host`: default "127.0.0.1";
 * - `https`: a key and certificate, or "self-signed" for a certificate made at start for
 *   localhost and 127.0.0.1 (its PEM is `caPem`);
 * - `redirectHttp`: an http listener on `port` answers every request with `redirectStatus`
 *   (default 302) to the same path on the https listener (on `httpsPort`, default 0); implies
 *   `https: "self-signed"` when `https` is not given.
 *
 * @since 0.1.0
 * @category Models
 */
export interface ServeOptions extends TableauEmulator.Options {
  readonly port?: number | undefined
  readonly httpsPort?: number | undefined
  readonly host?: string | undefined
  readonly https?: TlsOptions | "self-signed" | undefined
  readonly redirectHttp?: boolean | undefined
  readonly redirectStatus?: 301 | 302 | 307 | 308 | undefined
}

/**
 * A running server: `url` serves the API (the https URL when serving https), `httpUrl` is the
 * redirect listener, `caPem` the self-signed certificate to trust; `connections` counts the TCP
 * connections the API listener accepted; `close` stops it before the scope ends.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Server {
  readonly url: string
  readonly httpUrl?: string | undefined
  readonly httpsUrl?: string | undefined
  readonly caPem?: string | undefined
  readonly emulator: TableauEmulator.Service
  readonly connections: Effect.Effect<number>
  readonly close: Effect.Effect<void>
}

/**
 * The server could not start: a port in use, a bad key or certificate.
 *
 * @since 0.1.0
 * @category Errors
 */
export class ServeError extends Data.TaggedError("ServeError")<{
  readonly reason: string
  readonly cause?: unknown
}> {
  override get message(): string {
    return `The Tableau emulator could not start: ${this.reason}`
  }
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

/**
 * Makes a self-signed certificate (no CA) for CN localhost, SAN DNS:localhost, IP:127.0.0.1
 * and IP:::1, valid for a year.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const selfSigned: Effect.Effect<{ readonly key: string; readonly cert: string }, ServeError> = Effect.tryPromise(
  {
    try: () =>
      generate([{ name: "commonName", value: "localhost" }], {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notAfterDate: new Date(Date.now() + 365 * 24 * 3_600_000),
        extensions: [
          { name: "basicConstraints", cA: false },
          { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
          { name: "extKeyUsage", serverAuth: true },
          {
            name: "subjectAltName",
            altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }]
          }
        ]
      }),
    catch: (cause) => new ServeError({ reason: "the self-signed certificate could not be made", cause })
  }
).pipe(Effect.map((pems) => ({ key: pems.private, cert: pems.cert })))

type NodeServer = http.Server | https.Server

const listen = (server: NodeServer, port: number, host: string): Effect.Effect<number, ServeError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<number, ServeError>((resume) => {
      const onError = (cause: Error) =>
        resume(Effect.fail(new ServeError({ reason: `cannot listen on ${host}:${port}: ${cause.message}`, cause })))
      server.once("error", onError)
      server.listen(port, host, () => {
        server.off("error", onError)
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? (address as AddressInfo).port : port))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )

const pem = (value: string | Uint8Array): string | Buffer => typeof value === "string" ? value : Buffer.from(value)

const urlHost = (host: string): string =>
  host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return flat
}

/** Reads a body, buffering at most `limit` bytes; beyond `4 * limit` the socket is destroyed. */
const readBody = (
  request: http.IncomingMessage,
  limit: number
): Effect.Effect<{ readonly body: Uint8Array; readonly length: number }, Error> =>
  Effect.async((resume) => {
    const chunks: Array<Buffer> = []
    let length = 0
    request.on("data", (chunk: Buffer) => {
      length += chunk.length
      if (length <= limit) chunks.push(chunk)
      else if (length > 4 * limit) request.destroy(new Error("request body far over the limit"))
    })
    request.on("end", () =>
      resume(Effect.succeed({ body: length <= limit ? Buffer.concat(chunks) : new Uint8Array(0), length })))
    request.on("error", (cause) =>
      resume(Effect.fail(cause)))
  })

const respond = (
  handle: Handler.Handle,
  limit: number,
  request: http.IncomingMessage,
  response: http.ServerResponse
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const { body, length } = yield* readBody(request, limit)
    const answer = yield* handle({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: flattenHeaders(request.headers),
      body,
      bodyLength: length
    })
    const payload = typeof answer.body === "string" ? Buffer.from(answer.body, "utf8") : Buffer.from(answer.body)
    const headers = answer.status === 204
      ? answer.headers
      : { ...answer.headers, "content-length": String(payload.length) }
    response.writeHead(answer.status, headers)
    response.end(answer.status === 204 ? undefined : payload)
  }).pipe(Effect.catchAll(() => Effect.sync(() => request.socket.destroy())))

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * Serves an emulated server on loopback until the scope closes (then the listeners close and
 * open sockets are destroyed).
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const server = yield* EmulatorServer.serve({ port: 0 })
 *   const response = yield* Effect.promise(() => fetch(`${server.url}/api/2.4/serverinfo`))
 *   console.log(response.status) // 200
 * }))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const serve = (options: ServeOptions = {}): Effect.Effect<Server, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const parent = yield* Effect.scope
    const scope = yield* Scope.fork(parent, ExecutionStrategy.sequential)
    const host = options.host ?? "127.0.0.1"
    const redirectHttp = options.redirectHttp === true
    const tlsInput = options.https ?? (redirectHttp ? "self-signed" : undefined)
    const tls = tlsInput === undefined ? undefined : tlsInput === "self-signed" ? yield* selfSigned : tlsInput
    const caPem = tlsInput === "self-signed" && tls !== undefined && typeof tls.cert === "string" ? tls.cert : undefined
    const run = yield* FiberSet.makeRuntime<never>().pipe(Scope.extend(scope))
    const api = tls === undefined ? http.createServer() : yield* Effect.try({
      try: () => https.createServer({ key: pem(tls.key), cert: pem(tls.cert) }),
      catch: (cause) => new ServeError({ reason: "the key or certificate cannot be used", cause })
    })
    const apiPort = yield* listen(api, redirectHttp ? options.httpsPort ?? 0 : options.port ?? 0, host).pipe(
      Scope.extend(scope)
    )
    const url = `${tls === undefined ? "http" : "https"}://${urlHost(host)}:${apiPort}`
    const emulator = yield* TableauEmulator.make({ ...options, baseUrl: options.baseUrl ?? url })
    api.on("connection", () => run(emulator.countConnection))
    api.on(
      "request",
      (request: http.IncomingMessage, response: http.ServerResponse) =>
        run(respond(emulator.handle, emulator.settings.maxBodyBytes, request, response))
    )
    let httpUrl: string | undefined
    if (redirectHttp) {
      const status = options.redirectStatus ?? 302
      const redirector = http.createServer((request, response) => {
        const path = request.url ?? "/"
        run(emulator.countRedirect(path))
        const hostname = request.headers.host?.replace(/:\d+$/, "") ?? urlHost(host)
        response.writeHead(status, { location: `https://${hostname}:${apiPort}${path}`, "content-length": "0" })
        response.end()
        request.resume()
      })
      const httpPort = yield* listen(redirector, options.port ?? 0, host).pipe(Scope.extend(scope))
      httpUrl = `http://${urlHost(host)}:${httpPort}`
    }
    return {
      url,
      httpUrl,
      httpsUrl: tls === undefined ? undefined : url,
      caPem,
      emulator,
      connections: Effect.map(emulator.stats, (stats) => stats.connections),
      close: Scope.close(scope, Exit.void)
    }
  })
