/**
 * The 405 trap. A server at http:// that redirects to https:// (or online.tableau.com that
 * redirects to your pod) turns a followed sign-in POST into a GET, and Tableau answers 405000.
 * This example starts an emulator whose http listener redirects to its https listener, shows
 * the naive failure, the SDK's typed error, and the fix (the https URL, with its CA trusted).
 *
 *   npx tsx --conditions=@tableau-effect/source examples/redirect-405.ts
 */
import { Effect, Layer } from "effect"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import { Agent, fetch } from "undici"
import { runIfMain } from "./support/Target.js"

const { admin } = Fixtures.defaults
const credentials = Credentials.personalAccessToken({ tokenName: admin.patName, tokenSecret: admin.patSecret })

/** The demonstration on an emulator whose http listener redirects to its https one. */
export const onServer = (server: EmulatorServer.Server) => Effect.gen(function*() {
  const httpUrl = server.httpUrl!
  const ca = server.caPem!
  console.log(`Emulator: ${httpUrl} redirects to ${server.url}`)

  // 1. What a client that follows redirects sees: the POST became a GET.
  const naive = yield* Effect.promise(() =>
    fetch(`${httpUrl}/api/3.24/auth/signin`, {
      method: "POST",
      body: `<tsRequest><credentials personalAccessTokenName="x" personalAccessTokenSecret="y"><site contentUrl=""/></credentials></tsRequest>`,
      dispatcher: new Agent({ connect: { ca } })
    }).then(async (response) => {
      const body = await response.text()
      const code = /code="(\d+)"/.exec(body)?.[1]
      const detail = /<detail>([^<]*)<\/detail>/.exec(body)?.[1]
      return `HTTP ${response.status}, error ${code}: ${detail}`
    })
  )
  console.log(`A client that follows the redirect gets ${naive}`)

  // 2. tableau-effect never follows it: a typed error that names the URL to use, raised by the
  //    serverinfo probe before any credential is sent.
  const Transport = TableauNode.layer({ tls: { ca } })
  const error = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(credentials).pipe(
      Layer.provide(TableauServer.layer({ url: httpUrl, apiVersion: "auto" })),
      Layer.provide(Transport)
    )),
    Effect.flip
  )
  console.log(`tableau-effect fails with ${error._tag}: ${error.message}`)

  // 3. The fix: the https URL.
  const suggested = error._tag === "TableauRedirectError" && error.suggestedUrl ? error.suggestedUrl : server.url
  const state = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(credentials).pipe(
      Layer.provide(TableauServer.layer({ url: suggested, apiVersion: "auto" })),
      Layer.provide(Transport)
    ))
  )
  console.log(`With TableauServer.layer({ url: "${suggested}" }) the sign-in works: site id ${state.siteId}`)
})

export const main = Effect.scoped(Effect.flatMap(EmulatorServer.serve({ redirectHttp: true }), onServer))

runIfMain(import.meta.url, main)
