/**
 * The main job (what `npm start` runs): TSC's `with server.auth.sign_in(...)` block as
 * `Effect.scoped`. Sign in, list the site's workbooks, switch to the site in TABLEAU_SWITCH_SITE
 * (when set and not empty) and list again; signed out when the block ends. Each step is one log
 * line at Info.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   TABLEAU_SWITCH_SITE=MarketingTeam npx tsx scoped-block.ts
 *   (or, against the bundled emulator: npm start)
 */
import { FetchHttpClient } from "@effect/platform"
import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Console, Effect, Layer, Stream } from "effect"

const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

const siteName = (site: string) => site === "" ? "(Default)" : site

const listWorkbooks = (session: TableauSession.Service) =>
  Effect.gen(function*() {
    const { items, pagination } = yield* Workbooks.page({ pageSize: 100 })
    const { site } = yield* session.state
    yield* Effect.logInfo(`There are ${pagination.totalAvailable} workbooks on site: ${siteName(site)}`)
    for (const workbook of items) yield* Console.log(`${workbook.id} ${workbook.name}`)
    // Past the first page, stream the rest lazily.
    if (pagination.totalAvailable > items.length) {
      yield* Workbooks.stream({ pageSize: 100 }).pipe(
        Stream.drop(items.length),
        Stream.runForEach((workbook) => Console.log(`${workbook.id} ${workbook.name}`))
      )
    }
  }).pipe(Effect.provideService(TableauSession.TableauSession, session))

const program = Effect.gen(function*() {
  const credentials = yield* Credentials.config
  // Empty or unset: stay on the site signed in to (a real server may have no such site).
  const switchTo = yield* Config.withDefault(Config.string("TABLEAU_SWITCH_SITE"), "")
  yield* Effect.scoped(
    Effect.gen(function*() {
      // The SDK logs the sign-in, the switch and the sign-out at Info itself.
      const session = yield* TableauSession.signIn(credentials)
      yield* listWorkbooks(session)
      if (switchTo === "") {
        yield* Effect.logInfo("TABLEAU_SWITCH_SITE is not set: no site switch")
        return
      }
      yield* session.switchSite(switchTo)
      yield* listWorkbooks(session)
    })
  )
})

TableauRuntime.runMain(Effect.provide(program, ServerLive))
