/**
 * Sign-out is not a call you make: it runs when the session's scope closes, exactly once,
 * whether the program succeeded, failed or was interrupted. This example fails on purpose inside
 * the session, then shows that the server no longer accepts the session's token.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx sign-out.ts
 *   (or, against the bundled emulator: npm run example -w examples -- sign-out)
 */
import { FetchHttpClient } from "@effect/platform"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Layer, Redacted, Ref } from "effect"

const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

/** Asks for one user of the site with a token, outside any session: what does the server say? */
const tokenAnswer = (state: TableauSession.SessionState) =>
  Effect.gen(function*() {
    const server = yield* TableauServer.TableauServer
    const response = yield* server.httpClient.get(`/api/${server.apiVersion}/sites/${state.siteId}/users?pageSize=1`, {
      headers: { "x-tableau-auth": Redacted.value(state.token) }
    })
    const code = /code="(\d+)"/.exec(yield* response.text)?.[1]
    return code === undefined ? `HTTP ${response.status}` : `HTTP ${response.status}, error ${code}`
  })

const program = Effect.gen(function*() {
  const credentials = yield* Credentials.config
  const seen = yield* Ref.make<TableauSession.SessionState | undefined>(undefined)

  const outcome = yield* Effect.scoped(
    Effect.gen(function*() {
      const session = yield* TableauSession.signIn(credentials)
      const state = yield* session.state
      yield* Ref.set(seen, state)
      yield* Effect.logInfo(`Inside the scope, the session's token gets ${yield* tokenAnswer(state)}`)
      return yield* Effect.fail("something went wrong in the program" as const)
    })
  ).pipe(Effect.either)

  yield* Effect.logInfo(`The program ended with: ${outcome._tag === "Left" ? outcome.left : "success"}`)
  const state = yield* Ref.get(seen)
  if (state !== undefined) yield* Effect.logInfo(`After the scope, the same token gets ${yield* tokenAnswer(state)}`)
})

TableauRuntime.runMain(Effect.provide(program, ServerLive))
