/**
 * Sign-out is not a call you make: it runs when the session's scope closes, exactly once,
 * whether the program succeeded, failed or was interrupted. This example fails on purpose inside
 * the session and shows that the server has no session left afterwards.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/sign-out.ts
 */
import { Effect, Option } from "effect"
import { TableauSession } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

export const main = Effect.gen(function*() {
  const target = yield* Target
  const credentials = yield* target.credentials("pat")
  const activeSessions = Option.match(target.emulator, {
    onNone: () => Effect.succeed("unknown (not the emulator)"),
    onSome: (server) => Effect.map(server.emulator.activeSessions, String)
  })

  const outcome = yield* Effect.scoped(
    Effect.gen(function*() {
      yield* TableauSession.signIn(credentials)
      console.log(`Inside the scope, active sessions: ${yield* activeSessions}`)
      return yield* Effect.fail("something went wrong in the program" as const)
    })
  ).pipe(Effect.provide(serverLayer()), Effect.either)

  console.log(`The program ended with: ${outcome._tag === "Left" ? outcome.left : "success"}`)
  console.log(`After the scope, active sessions: ${yield* activeSessions}`)
})

runIfMain(import.meta.url, main)
