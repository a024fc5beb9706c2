import { describe, expect, it } from "@effect/vitest"
import { EmulatorServer, Fault } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import * as https from "node:https"
import { at, bodies, defaults, ids, json, names } from "./util.js"

interface Reply {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly text: string
}

/** One request over a real socket (node:http or node:https), no redirect following. */
const request = (
  url: string,
  options: {
    readonly method?: string
    readonly headers?: Record<string, string>
    readonly body?: string | Uint8Array
    readonly ca?: string
    readonly agent?: http.Agent
  } = {}
): Effect.Effect<Reply, Error> =>
  Effect.async<Reply, Error>((resume) => {
    const target = new URL(url)
    const transport = target.protocol === "https:" ? https : http
    const outgoing = transport.request(target, {
      method: options.method ?? "GET",
      headers: options.headers,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      ...(options.agent === undefined ? {} : { agent: options.agent })
    }, (incoming) => {
      const chunks: Array<Buffer> = []
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
      incoming.on("end", () =>
        resume(Effect.succeed({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          text: Buffer.concat(chunks).toString("utf8")
        })))
      incoming.on("error", (error) => resume(Effect.fail(error)))
    })
    outgoing.on("error", (error) => resume(Effect.fail(error)))
    outgoing.end(options.body)
  })

const tokenOf = (text: string): string => /token="([^"]+)"/.exec(text)?.[1] ?? ""

describe("EmulatorServer.serve over loopback", () => {
  it.scopedLive("signs in, lists workbooks and signs out over a real socket; the hook sees 0 sessions", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const fetched = yield* Effect.promise(() => fetch(`${server.url}/api/2.4/serverInfo`))
      expect(fetched.status).toBe(200)
      expect(fetched.headers.get("content-type")).toBe("application/xml;charset=UTF-8")
      expect(yield* Effect.promise(() => fetched.text())).toContain("<restApiVersion>3.24</restApiVersion>")
      const signIn = yield* request(`${server.url}/api/3.24/auth/signin`, {
        method: "POST",
        body: bodies.pat(defaults.admin.patName, defaults.admin.patSecret)
      })
      expect(signIn.status).toBe(200)
      const token = tokenOf(signIn.text)
      const during = json((yield* request(`${server.url}/_emulator/sessions`)).text)
      expect(during).toEqual({ active: 1 })
      const list = yield* request(
        `${server.url}/api/3.24/sites/${ids.sites.default}/workbooks?pageSize=3&filter=name:eq:Regional+Sales`,
        { headers: { "X-Tableau-Auth": token } }
      )
      expect(names(list.text, "workbooks", "workbook")).toEqual(["Regional Sales"])
      expect(list.text).toContain(`webpageUrl="${server.url}/#/workbooks/2"`)
      const signOut = yield* request(`${server.url}/api/3.24/auth/signout`, {
        method: "POST",
        headers: { "x-tableau-auth": token, "content-type": "text/plain" }
      })
      expect(signOut.status).toBe(204)
      expect(signOut.text).toBe("")
      expect(json((yield* request(`${server.url}/_emulator/sessions`)).text)).toEqual({ active: 0 })
      const stats = json((yield* request(`${server.url}/_emulator/stats`)).text)
      expect([at(stats, "signIns"), at(stats, "signOuts")]).toEqual([1, 1])
    }))

  it.scopedLive("counts TCP connections: a keep-alive agent reuses one", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      yield* Effect.addFinalizer(() => Effect.sync(() => agent.destroy()))
      for (let index = 0; index < 3; index++) {
        expect((yield* request(`${server.url}/api/3.24/serverinfo`, { agent })).status).toBe(200)
      }
      expect(yield* server.connections).toBe(1)
      yield* request(`${server.url}/api/3.24/serverinfo`, { agent: new http.Agent({ keepAlive: false }) })
      expect(yield* server.connections).toBe(2)
    }))

  it.scopedLive("serves https with a self-signed certificate that clients trust through caPem", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, https: "self-signed" })
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(server.httpsUrl).toBe(server.url)
      expect(server.caPem).toContain("-----BEGIN CERTIFICATE-----")
      const trusted = yield* request(`${server.url}/api/2.4/serverinfo`, { ca: server.caPem! })
      expect(trusted.status).toBe(200)
      const viaLocalhost = yield* request(`${server.url.replace("127.0.0.1", "localhost")}/api/2.4/serverinfo`, {
        ca: server.caPem!
      })
      expect(viaLocalhost.status).toBe(200)
      const untrusted = yield* Effect.flip(request(`${server.url}/api/2.4/serverinfo`))
      expect(untrusted.message).toMatch(/self[- ]signed/i)
    }))

  for (const status of [302, 301] as const) {
    it.scopedLive(`redirects http to https with ${status}; a naive client then gets 405000`, () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0, redirectHttp: true, redirectStatus: status })
        expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
        expect(server.url).toMatch(/^https:/)
        const redirected = yield* request(`${server.httpUrl}/api/3.24/auth/signin?x=1`, {
          method: "POST",
          body: bodies.password("admin", defaults.admin.password)
        })
        expect(redirected.status).toBe(status)
        expect(redirected.headers.location).toBe(`${server.url}/api/3.24/auth/signin?x=1`)
        // What fetch does with a 301/302 after a POST: the same URL, as a GET, without the body.
        const followed = yield* request(redirected.headers.location!, { ca: server.caPem! })
        expect(followed.status).toBe(405)
        expect(followed.text).toContain("<error code=\"405000\">")
        const stats = yield* server.emulator.stats
        expect([stats.redirects, stats.httpSignIns, stats.signIns]).toEqual([1, 1, 0])
      }))
  }

  it.scopedLive("drops a connection for the Drop fault and refuses an oversized body with 413", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      yield* server.emulator.failNext(1, Fault.Drop())
      const dropped = yield* Effect.flip(request(`${server.url}/api/3.24/serverinfo`))
      expect(dropped.message).toMatch(/socket hang up|ECONNRESET/)
      const big = yield* request(`${server.url}/api/3.24/auth/signin`, {
        method: "POST",
        body: new Uint8Array(10 * 1024 * 1024 + 100)
      })
      expect(big.status).toBe(413)
      expect(big.text).toContain("<error code=\"413000\">")
    }))

  it.scopedLive("close stops the listener before the scope ends", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      const agent = new http.Agent({ keepAlive: false })
      expect((yield* request(`${server.url}/api/2.4/serverinfo`, { agent })).status).toBe(200)
      yield* server.close
      const refused = yield* Effect.flip(request(`${server.url}/api/2.4/serverinfo`, { agent }))
      expect(refused.message).toMatch(/ECONNREFUSED/)
    }))

  it.scopedLive("fails with ServeError when the port is taken", () =>
    Effect.gen(function*() {
      const first = yield* EmulatorServer.serve({ port: 0 })
      const port = Number(new URL(first.url).port)
      const error = yield* Effect.flip(EmulatorServer.serve({ port }))
      expect(error._tag).toBe("ServeError")
      expect(error.message).toContain(`${port}`)
    }))
})
