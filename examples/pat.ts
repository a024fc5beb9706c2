/**
 * Sign in with a personal access token, as a Layer: sign-in when the layer is built, sign-out
 * when it is released.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/pat.ts
 *   (TABLEAU_SERVER_URL, TABLEAU_SITE, TABLEAU_PAT_NAME, TABLEAU_PAT_SECRET to use a real server)
 */
import { Effect, Layer } from "effect"
import { TableauSession } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const target = yield* Target
  const credentials = yield* target.credentials("pat")
  const TableauLive = TableauSession.layer(credentials).pipe(Layer.provide(serverLayer()))

  const program = Effect.gen(function*() {
    const { site, siteId, userId } = yield* TableauSession.state
    yield* Effect.sync(() =>
      console.log(`Signed in with a personal access token to site "${site}" (id ${siteId}) as user ${userId}`)
    )
  })
  yield* Effect.provide(program, TableauLive)
  yield* Effect.sync(() => console.log("Signed out."))
})

runIfMain(import.meta.url, main)
