/**
 * Every workbook that matches a filter, in a chosen order, as a lazy `Stream` over all pages
 * (constant memory, however many there are). The filter and sort are checked before anything is
 * sent: a value that would break Tableau's syntax fails with `TableauRequestError`.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx workbooks-stream.ts sales finance
 *   (or, against the bundled emulator: npm run example -w examples -- workbooks-stream)
 */
import { FetchHttpClient } from "@effect/platform"
import { Filter, Sort, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Chunk, Console, DateTime, Effect, Layer, Stream } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const tags = process.argv.length > 2 ? process.argv.slice(2) : ["sales", "finance"]
  const tagged = Workbooks.stream({
    filter: Filter.in("tags", tags),
    sort: [Sort.desc("updatedAt"), Sort.asc("name")],
    pageSize: 5, // small pages, to show the stream crossing page boundaries
    concurrency: 2 // later pages fetched ahead once totalAvailable is known; the order is kept
  })
  const count = yield* tagged.pipe(
    Stream.tap((workbook) =>
      Console.log(
        `${DateTime.formatIso(workbook.updatedAt)} ${workbook.name} [${workbook.tags.join(", ")}]`
      )
    ),
    Stream.runCount
  )
  yield* Effect.logInfo(`${count} workbooks tagged ${tags.join(" or ")}, newest first`)

  // The first few only: the stream stops fetching pages once it has them.
  const newest = yield* Workbooks.stream({ sort: Sort.desc("createdAt"), pageSize: 5 }).pipe(
    Stream.take(3),
    Stream.runCollect
  )
  yield* Effect.logInfo(`The 3 newest workbooks: ${Chunk.toReadonlyArray(newest).map((w) => w.name).join(", ")}`)
})

TableauRuntime.runMain(Effect.provide(program, TableauLive))
