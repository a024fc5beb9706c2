/**
 * Switch the session to another site (Tableau Server only, API 2.6+): a new token and site id,
 * the same user; the sign-out at the end uses whichever token is current.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/switch-site.ts [SITE]
 */
import { Effect, Layer } from "effect"
import { TableauSession } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const credentials = yield* Effect.flatMap(Target, (t) => t.credentials("pat"))
  const to = process.argv[2] ?? "MarketingTeam"
  const program = Effect.gen(function*() {
    const before = yield* TableauSession.state
    const after = yield* TableauSession.switchSite(to)
    console.log(`Switched from site "${before.site}" (${before.siteId}) to "${after.site}" (${after.siteId}).`)
  })
  yield* Effect.provide(program, TableauSession.layer(credentials).pipe(Layer.provide(serverLayer())))
})

runIfMain(import.meta.url, main)
