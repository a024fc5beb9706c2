/**
 * The 405 trap. A server at http:// that redirects to https:// (or online.tableau.com that
 * redirects to your pod) turns a followed sign-in POST into a GET, and Tableau answers 405000.
 * Point TABLEAU_SERVER_URL at the http:// URL: the example shows the naive failure, the SDK's
 * typed error, and the fix (the https URL it suggests). TABLEAU_CA_FILE trusts a private CA.
 *
 *   TABLEAU_SERVER_URL=http://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx redirect-405.ts
 *   (or, against the bundled emulator's redirecting listener: npm run example -w examples -- redirect-405)
 */
import { TableauError, TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauNode, TableauRuntime } from "@tableau-effect/node"
import { Config, Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import { Agent, fetch } from "undici"

const program = Effect.gen(function*() {
  const httpUrl = yield* Config.string("TABLEAU_SERVER_URL")
  const caFile = yield* Config.option(Config.string("TABLEAU_CA_FILE"))
  const Transport = TableauNode.layerConfig()

  // 1. What a client that follows redirects sees: the POST became a GET.
  const naive = yield* Effect.promise(() =>
    fetch(`${httpUrl}/api/3.24/auth/signin`, {
      method: "POST",
      body:
        `<tsRequest><credentials personalAccessTokenName="x" personalAccessTokenSecret="y"><site contentUrl=""/></credentials></tsRequest>`,
      dispatcher: new Agent({
        connect: Option.match(caFile, { onNone: () => ({}), onSome: (file) => ({ ca: fs.readFileSync(file) }) })
      })
    }).then(async (response) => {
      const body = await response.text()
      const code = /code="(\d+)"/.exec(body)?.[1]
      const detail = /<detail>([^<]*)<\/detail>/.exec(body)?.[1]
      return `HTTP ${response.status}, error ${code}: ${detail}`
    })
  )
  yield* Effect.logInfo(`A client that follows the redirect gets ${naive}`)

  // 2. tableau-effect never follows it: a typed error that names the URL to use, raised by the
  //    serverinfo probe before any credential is sent.
  const direct = yield* TableauSession.state.pipe(
    Effect.provide(
      TableauSession.layerConfig().pipe(
        Layer.provide(TableauServer.layerConfig()),
        Layer.provide(Transport)
      )
    ),
    Effect.catchTag("TableauRedirectError", Effect.succeed)
  )
  if (!(direct instanceof TableauError.TableauRedirectError)) {
    return yield* Effect.logInfo(`${httpUrl} answered without a redirect: signed in to site id ${direct.siteId}`)
  }
  const error = direct
  yield* Effect.logInfo(`tableau-effect fails with ${error._tag}: ${error.message}`)
  if (error.suggestedUrl === undefined) return

  // 3. The fix: the https URL.
  const state = yield* TableauSession.state.pipe(
    Effect.provide(
      TableauSession.layerConfig().pipe(
        Layer.provide(TableauServer.layer({ url: error.suggestedUrl, apiVersion: "auto" })),
        Layer.provide(Transport)
      )
    )
  )
  yield* Effect.logInfo(
    `With TableauServer.layer({ url: "${error.suggestedUrl}" }) the sign-in works: site id ${state.siteId}`
  )
})

TableauRuntime.runMain(program)
