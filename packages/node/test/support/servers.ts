/**
 * Small loopback servers for what the emulator does not do: answer with a redirect of our
 * choosing, ask for a client certificate, never answer, or accept TCP and stay silent. Each
 * counts the connections it accepted, the sockets still open and the requests it saw.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as http from "node:http"
import * as https from "node:https"
import * as net from "node:net"
import type { AddressInfo } from "node:net"

export interface TestServer {
  readonly url: string
  readonly port: number
  /** "METHOD /path" of every request, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<string>>
  readonly connections: Effect.Effect<number>
  readonly openSockets: Effect.Effect<number>
}

export type Handle = (request: http.IncomingMessage, response: http.ServerResponse) => void

export const serverInfoXml = `<?xml version="1.0" encoding="UTF-8"?>
<tsResponse xmlns="http://tableau.com/api"><serverInfo>
<productVersion build="20241.24.0312.0830">2024.1.0</productVersion><restApiVersion>3.24</restApiVersion>
</serverInfo></tsResponse>`

/** Answers serverinfo, 404 otherwise. */
export const answerServerInfo: Handle = (request, response) => {
  request.resume()
  if (/\/serverinfo$/i.test(request.url ?? "")) {
    response.writeHead(200, { "content-type": "application/xml;charset=UTF-8" })
    response.end(serverInfoXml)
  } else {
    response.writeHead(404, { "content-type": "text/plain" })
    response.end("not here")
  }
}

/** Answers every request with a 302 to `location(path)`. */
export const redirectTo = (location: (path: string) => string): Handle => (request, response) => {
  request.resume()
  response.writeHead(302, { location: location(request.url ?? "/"), "content-length": "0" })
  response.end()
}

/** Reads the request and never answers. */
export const neverAnswer: Handle = (request) => {
  request.resume()
}

const track = (server: net.Server) => {
  const sockets = new Set<net.Socket>()
  let connections = 0
  server.on("connection", (socket: net.Socket) => {
    connections++
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return {
    sockets,
    connections: Effect.sync(() => connections),
    openSockets: Effect.sync(() => sockets.size)
  }
}

const listen = (server: net.Server, sockets: Set<net.Socket>): Effect.Effect<number, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        for (const socket of sockets) socket.destroy()
      })
  )

/**
 * An http server, or an https one when `tls` is given, on 127.0.0.1 and a port the OS picks.
 */
export const serve = (
  handle: Handle,
  tls?: https.ServerOptions
): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const requests: Array<string> = []
    const onRequest: Handle = (request, response) => {
      requests.push(`${request.method} ${request.url}`)
      handle(request, response)
    }
    const server = tls === undefined ? http.createServer(onRequest) : https.createServer(tls, onRequest)
    // A TLS handshake the client refused also ends here; it is what the tests provoke.
    server.on("tlsClientError", () => {})
    const counters = track(server)
    const port = yield* listen(server, counters.sockets)
    return {
      url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
      port,
      requests: Effect.sync(() => [...requests]),
      connections: counters.connections,
      openSockets: counters.openSockets
    }
  })

/** Polls until the server has no socket open (0), failing with a timeout after `within`. */
export const allSocketsClosed = (server: TestServer, within = "2 seconds" as const) =>
  server.openSockets.pipe(
    Effect.delay("10 millis"),
    Effect.repeat({ until: (n) => n === 0 }),
    Effect.timeout(within)
  )

/** Accepts TCP connections and never says a word: a TLS handshake with it never ends. */
export const silentTcp: Effect.Effect<{ readonly port: number }, never, Scope.Scope> = Effect.gen(function*() {
  const server = net.createServer(() => {})
  const counters = track(server)
  const port = yield* listen(server, counters.sockets)
  return { port }
})

/**
 * An http proxy that only tunnels (CONNECT, as undici's ProxyAgent asks it), and records the
 * `host:port` of every tunnel it opened. Anything else is answered 502, so that a request that
 * bypassed the tunnel shows.
 */
export const connectProxy: Effect.Effect<
  { readonly url: string; readonly tunnels: Effect.Effect<ReadonlyArray<string>> },
  never,
  Scope.Scope
> = Effect.gen(function*() {
  const tunnels: Array<string> = []
  const server = http.createServer((request, response) => {
    request.resume()
    response.writeHead(502, { "content-type": "text/plain" })
    response.end("this proxy only tunnels")
  })
  server.on("connect", (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = request.url ?? ""
    tunnels.push(target)
    const [host = "", port = ""] = target.split(":")
    const upstream = net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on("error", () => client.destroy())
    client.on("error", () => upstream.destroy())
    client.on("close", () => upstream.destroy())
  })
  const counters = track(server)
  const port = yield* listen(server, counters.sockets)
  return { url: `http://127.0.0.1:${port}`, tunnels: Effect.sync(() => [...tunnels]) }
})

/**
 * Writes `size` bytes to `response` as fast as the client takes them, then ends it; `accepted`
 * says how many the socket took, which stays far below `size` when the client drops the body.
 */
export const pumpBody = (response: http.ServerResponse, size: number) => {
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  let accepted = 0
  const pump = () => {
    while (accepted < size && !response.destroyed) {
      accepted += chunk.length
      if (!response.write(chunk)) return void response.once("drain", pump)
    }
    response.end()
  }
  pump()
  return { accepted: () => accepted }
}
