/**
 * The main job: TSC's `with server.auth.sign_in(...)` block as `Effect.scoped`. Sign in, list
 * the site's workbooks, switch site, list again; signed out when the block ends.
 *
 *   npm start      (or: npx tsx --conditions=@tableau-effect/source examples/scoped-block.ts)
 */
import { Effect, Stream } from "effect"
import { TableauSession, Workbooks } from "@tableau-effect/client"
import { runIfMain, serverLayer, Target } from "./support/Target.js"

const listWorkbooks = Effect.gen(function*() {
  const { items, pagination } = yield* Workbooks.page({ pageSize: 100 })
  const { site } = yield* TableauSession.state
  console.log(`There are ${pagination.totalAvailable} workbooks on site: ${site === "" ? "(Default)" : site}`)
  for (const workbook of items) console.log(`${workbook.id} ${workbook.name}`)
  // Past the first page, stream the rest lazily.
  if (pagination.totalAvailable > items.length) {
    yield* Workbooks.stream({ pageSize: 100 }).pipe(
      Stream.drop(items.length),
      Stream.runForEach((workbook) => Effect.sync(() => console.log(`${workbook.id} ${workbook.name}`)))
    )
  }
})

export const main = Effect.gen(function*() {
  const credentials = yield* Effect.flatMap(Target, (t) => t.credentials("pat"))
  const to = process.env.TABLEAU_SWITCH_SITE ?? "MarketingTeam"
  yield* Effect.scoped(
    Effect.gen(function*() {
      const session = yield* TableauSession.signIn(credentials)
      yield* Effect.provideService(listWorkbooks, TableauSession.TableauSession, session)
      yield* session.switchSite(to)
      yield* Effect.provideService(listWorkbooks, TableauSession.TableauSession, session)
    })
  ).pipe(Effect.provide(serverLayer()))
})

runIfMain(import.meta.url, main)
