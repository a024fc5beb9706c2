/**
 * Sign in with a connected app's JWT (direct trust). With the connected app's ids and secret in
 * the environment, `Credentials.config` builds `Credentials.connectedApp`, which mints a fresh,
 * short-lived JWT for every sign-in, so the session can sign in again when it expires. A JWT
 * minted elsewhere goes in TABLEAU_JWT instead (good for one sign-in only).
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_SITE=MarketingTeam TABLEAU_USERNAME=alice \
 *   TABLEAU_CONNECTED_APP_CLIENT_ID=... TABLEAU_CONNECTED_APP_SECRET_ID=... \
 *   TABLEAU_CONNECTED_APP_SECRET_VALUE=... npx tsx jwt.ts
 *   (or, against the bundled emulator: npm run example -w examples -- jwt)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const { site, userId } = yield* TableauSession.state
  yield* Effect.logInfo(`Signed in with a connected-app JWT to site "${site}" as user ${userId}.`)
})

TableauRuntime.runMain(Effect.provide(program, TableauLive))
