/**
 * Measures how long the emulator takes to serve one page of 1000 workbooks: through the
 * handler, through the layer's HttpClient, and over a loopback socket. Prints the figures; it
 * asserts nothing. Run: npx tsx --conditions=@tableau-effect/source test/bench-page.ts
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { EmulatorServer, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import { performance } from "node:perf_hooks"

const ROUNDS = 200
const body = new TextEncoder().encode(
  `<tsRequest><credentials name="admin" password="admin-password"><site contentUrl=""/></credentials></tsRequest>`
)
const path = `/api/3.24/sites/${Fixtures.ids.sites.default}/workbooks?pageSize=1000`

const summary = (label: string, samples: ReadonlyArray<number>, bytes: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3)
  console.log(
    `${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${
      sorted[sorted.length - 1]!.toFixed(3)
    } ms (${ROUNDS} rounds, ${bytes} bytes)`
  )
}

const program = Effect.gen(function*() {
  const emulator = yield* TableauEmulator.TableauEmulator
  const signIn = yield* emulator.handle({ method: "POST", url: "/api/3.24/auth/signin", headers: {}, body })
  const token = /token="([^"]+)"/.exec(String(signIn.body))![1]!
  const request = { method: "GET", url: path, headers: { "x-tableau-auth": token }, body: new Uint8Array() }
  const handlerSamples: Array<number> = []
  let bytes = 0
  for (let round = 0; round < ROUNDS + 20; round++) {
    const start = performance.now()
    const response = yield* emulator.handle(request)
    const elapsed = performance.now() - start
    bytes = String(response.body).length
    if ((String(response.body).match(/<workbook /g) ?? []).length !== 1000) throw new Error("not 1000 workbooks")
    if (round >= 20) handlerSamples.push(elapsed)
  }
  summary("handler", handlerSamples, bytes)

  const client = yield* HttpClient.HttpClient
  const layerSamples: Array<number> = []
  for (let round = 0; round < ROUNDS + 20; round++) {
    const start = performance.now()
    const response = yield* client.execute(
      HttpClientRequest.get(`http://tableau.emulator${path}`).pipe(HttpClientRequest.setHeader("X-Tableau-Auth", token))
    )
    yield* response.text
    if (round >= 20) layerSamples.push(performance.now() - start)
  }
  summary("layer HttpClient (incl. body read)", layerSamples, bytes)

  const server = yield* EmulatorServer.serve({ port: 0, workbooks: 1000 })
  const socketToken = yield* Effect.promise(async () => {
    const response = await fetch(`${server.url}/api/3.24/auth/signin`, { method: "POST", body })
    return /token="([^"]+)"/.exec(await response.text())![1]!
  })
  const socketSamples: Array<number> = []
  for (let round = 0; round < ROUNDS + 20; round++) {
    const start = performance.now()
    yield* Effect.promise(async () => {
      const response = await fetch(`${server.url}${path}`, { headers: { "X-Tableau-Auth": socketToken } })
      await response.text()
    })
    if (round >= 20) socketSamples.push(performance.now() - start)
  }
  summary("loopback socket, fetch (incl. body read)", socketSamples, bytes)
})

Effect.runPromise(program.pipe(Effect.scoped, Effect.provide(TableauEmulator.layer({ workbooks: 1000 })))).catch(
  (error) => {
    console.error(error)
    process.exitCode = 1
  }
)
