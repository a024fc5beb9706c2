/**
 * Sign in with a username and password (Tableau Cloud sites with MFA refuse this: use a PAT or
 * a connected app there).
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_USERNAME=admin TABLEAU_PASSWORD=... \
 *   npx tsx username-password.ts
 *   (or, against the bundled emulator: npm run example -w examples -- username-password)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer } from "effect"

// TABLEAU_SERVER_URL, TABLEAU_SITE, TABLEAU_USERNAME, TABLEAU_PASSWORD
const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const { site, userId } = yield* TableauSession.state
  return { site, userId }
})

TableauRuntime.runMain(
  program.pipe(
    Effect.provide(TableauLive),
    Effect.flatMap(({ site, userId }) =>
      Effect.logInfo(`Signed in with a password to site "${site}" as user ${userId}, and out again.`)
    )
  )
)
