/**
 * A server administrator signs in as another user (Tableau Server only). A first session, the
 * administrator's own, looks the user up by name; a second one signs in with the same
 * credentials plus `impersonateUserId`. (With the user's id at hand, TABLEAU_IMPERSONATE_USER_ID
 * makes `layerConfig` impersonate directly.)
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_USERNAME=admin TABLEAU_PASSWORD=... \
 *   TABLEAU_IMPERSONATE_USERNAME=alice npx tsx impersonation.ts
 *   (or, against the bundled emulator: npm run example -w examples -- impersonation)
 */
import { FetchHttpClient } from "@effect/platform"
import { Credentials, TableauServer, TableauSession, Users } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Effect, Layer, Option } from "effect"

const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

/** The same credentials, impersonating the given user. */
const impersonating = (credentials: Credentials.Credentials, impersonateUserId: string): Credentials.Credentials => {
  switch (credentials._tag) {
    case "PersonalAccessToken":
      return new Credentials.PersonalAccessToken({ ...credentials, impersonateUserId })
    case "UsernamePassword":
      return new Credentials.UsernamePassword({ ...credentials, impersonateUserId })
    case "Jwt":
      return new Credentials.Jwt({ ...credentials, impersonateUserId })
  }
}

const program = Effect.gen(function*() {
  const name = yield* Config.string("TABLEAU_IMPERSONATE_USERNAME")
  const admin = yield* Credentials.config

  // 1. The administrator's own session finds the user; it signs out when this block ends.
  const user = yield* Users.findByName(name).pipe(Effect.provide(TableauSession.layer(admin)))
  if (Option.isNone(user)) return yield* Effect.logWarning(`No user named "${name}" on this site`)
  yield* Effect.logInfo(`Found "${name}": user ${user.value.id}`)

  // 2. A session as that user.
  const { userId } = yield* TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(impersonating(admin, user.value.id)))
  )
  yield* Effect.logInfo(`Signed in as the impersonated user ${userId}.`)
})

TableauRuntime.runMain(Effect.provide(program, ServerLive))
