/**
 * Switch the session to another site (Tableau Server only, API 2.6+): a new token and site id,
 * the same user; the sign-out at the end uses whichever token is current. The site is
 * TABLEAU_SWITCH_SITE, or the first argument.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx switch-site.ts MarketingTeam
 *   (or, against the bundled emulator: npm run example -w examples -- switch-site)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Effect, Layer } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const fromArgs = process.argv[2]
  const to = fromArgs ?? (yield* Config.string("TABLEAU_SWITCH_SITE"))
  const before = yield* TableauSession.state
  const after = yield* TableauSession.switchSite(to)
  yield* Effect.logInfo(`Switched from site "${before.site}" (${before.siteId}) to "${after.site}" (${after.siteId}).`)
})

TableauRuntime.runMain(Effect.provide(program, TableauLive))
