/**
 * Sign in with a personal access token, as a Layer: the sign-in runs when the layer is built,
 * the sign-out when it is released, whatever the program did.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_SITE=MarketingTeam \
 *   TABLEAU_PAT_NAME=ci-publisher TABLEAU_PAT_SECRET=... npx tsx pat.ts
 *   (or, against the bundled emulator: npm run example -w examples -- pat)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer } from "effect"

// TABLEAU_SERVER_URL, TABLEAU_SITE (default "": the Default site), TABLEAU_PAT_NAME, TABLEAU_PAT_SECRET
const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const { site, siteId, userId } = yield* TableauSession.state
  yield* Effect.logInfo(`Signed in with a personal access token to site "${site}" (id ${siteId}) as user ${userId}`)
})

TableauRuntime.runMain(
  program.pipe(
    Effect.provide(TableauLive),
    Effect.zipRight(Effect.logInfo("Signed out."))
  )
)
