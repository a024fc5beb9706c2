/**
 * Sign in with a connected app's JWT (direct trust). `Credentials.connectedApp` mints a fresh,
 * short-lived JWT for every sign-in, so the session can sign in again when it expires.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/jwt.ts
 *   (TABLEAU_SERVER_URL, TABLEAU_SITE, TABLEAU_CONNECTED_APP_CLIENT_ID, _SECRET_ID, _SECRET_VALUE
 *    and TABLEAU_USERNAME to use a real server; or TABLEAU_JWT with a JWT minted elsewhere)
 */
import { Effect, Layer } from "effect"
import { TableauSession } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const credentials = yield* Effect.flatMap(Target, (t) => t.credentials("jwt"))
  const { site, userId } = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(credentials).pipe(Layer.provide(serverLayer())))
  )
  yield* Effect.sync(() => console.log(`Signed in with a connected-app JWT to site "${site}" as user ${userId}.`))
})

runIfMain(import.meta.url, main)
