/**
 * Hello, server: ask Tableau who it is, without signing in. `GET /api/2.4/serverinfo` needs no
 * credentials, so it is the first thing to try against a new server: it shows the product and
 * REST API versions, and a wrong URL (a redirect, a proxy page) fails here before any secret is
 * sent.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com npx tsx hello-server.ts
 *   (or, against the bundled emulator: npm run example -w examples -- hello-server)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer } from "effect"

// Only the server: TABLEAU_SERVER_URL and TABLEAU_API_VERSION (default "auto"); no credentials.
const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

const program = Effect.gen(function*() {
  const server = yield* TableauServer.TableauServer
  const info = yield* TableauServer.serverInfo
  yield* Effect.logInfo(
    `Hello from Tableau ${info.productVersion} (build ${info.build ?? "unknown"}), REST API ${info.restApiVersion}; ` +
      `this client will speak API ${server.apiVersion}`
  )
})

TableauRuntime.runMain(Effect.provide(program, ServerLive))
