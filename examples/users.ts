/**
 * Users of the site: one page sorted by name, every user as a stream, and one user found by
 * name (`Option`: not finding someone is an answer, not a failure).
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx users.ts alice
 *   (or, against the bundled emulator: npm run example -w examples -- users)
 */
import { FetchHttpClient } from "@effect/platform"
import { Sort, TableauServer, TableauSession, Users } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Console, Effect, Layer, Option, Stream } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const { items, pagination } = yield* Users.page({ pageSize: 100, sort: Sort.asc("name") })
  yield* Effect.logInfo(`${pagination.totalAvailable} users on the site; the first page, by name:`)
  for (const user of items) yield* Console.log(`${user.id} ${user.name} (${user.siteRole})`)

  const creators = yield* Users.stream().pipe(
    Stream.filter((user) => user.siteRole.includes("Creator")),
    Stream.runCount
  )
  yield* Effect.logInfo(`Users with a Creator role: ${creators}`)

  // The name to look for: the first argument, or else the signed-in user's own name.
  const { userId } = yield* TableauSession.state
  const name = process.argv[2] ?? (yield* Users.get(userId)).name
  const found = yield* Users.findByName(name)
  yield* Option.match(found, {
    onNone: () => Effect.logInfo(`No user named "${name}"`),
    onSome: (user) => Effect.logInfo(`Users.findByName("${name}"): user ${user.id}, ${user.siteRole}`)
  })
})

TableauRuntime.runMain(Effect.provide(program, TableauLive))
