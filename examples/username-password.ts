/**
 * Sign in with a username and password (Tableau Cloud sites with MFA refuse this: use a PAT).
 *
 *   npx tsx --conditions=@tableau-effect/source examples/username-password.ts
 *   (TABLEAU_SERVER_URL, TABLEAU_SITE, TABLEAU_USERNAME, TABLEAU_PASSWORD to use a real server)
 */
import { Effect, Layer } from "effect"
import { TableauSession } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const credentials = yield* Effect.flatMap(Target, (t) => t.credentials("password"))
  const { site, userId } = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(credentials).pipe(Layer.provide(serverLayer())))
  )
  yield* Effect.sync(() => console.log(`Signed in with a password to site "${site}" as user ${userId}, and out again.`))
})

runIfMain(import.meta.url, main)
