/**
 * A server administrator signs in as another user (Tableau Server only). The user id to
 * impersonate comes from a first admin session that looks the user up by name.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/impersonation.ts
 *   (TABLEAU_SERVER_URL, admin credentials, and TABLEAU_IMPERSONATE_USER_ID to use a real server)
 */
import { Effect, Layer, Option } from "effect"
import { Credentials, TableauSession, Users } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const target = yield* Target
  const admin = yield* target.credentials("pat")
  const ServerLive = serverLayer()

  // On the emulator, look alice up with the admin's own session; on a real server the
  // environment names the user.
  const impersonated = Option.isSome(target.emulator)
    ? yield* Effect.gen(function*() {
      const alice = yield* Users.findByName("alice").pipe(
        Effect.provide(TableauSession.layer(admin).pipe(Layer.provide(ServerLive)))
      )
      return Credentials.usernamePassword({
        username: "admin",
        password: "admin-password",
        impersonateUserId: Option.getOrThrow(alice).id
      })
    })
    : yield* target.credentials("impersonation")

  const { userId } = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(impersonated).pipe(Layer.provide(ServerLive)))
  )
  yield* Effect.sync(() => console.log(`Signed in as the impersonated user ${userId}.`))
})

runIfMain(import.meta.url, main)
