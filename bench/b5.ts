/**
 * B5, in a process of its own so its memory is measured alone: stream every workbook of the
 * emulator at argv[2], argv[3] per page, and report the peak growth of the resident set size, as JSON.
 */
import { Workbooks } from "@tableau-effect/client"
import { Effect, Stream } from "effect"
import { gc, watchRss } from "./rss.js"
import { sessionLayer } from "./sdk.js"

const url = process.argv[2]!
const pageSize = Number(process.argv[3] ?? 1000)
const rss = watchRss()
const started = performance.now()
// Retained heap after a full GC, at the first page and at the end: flat when nothing leaks,
// whatever the resident set size does while V8 sizes its heap for throughput.
let retainedFirst = 0
let seen = 0
const count = await Effect.runPromise(
  Workbooks.stream({ pageSize }).pipe(
    Stream.tap(() =>
      Effect.sync(() => {
        rss.sample()
        if (++seen === pageSize && gc !== undefined) {
          gc()
          retainedFirst = process.memoryUsage().heapUsed
        }
      })
    ),
    Stream.runCount,
    Effect.provide(sessionLayer(url))
  )
)
const growthMb = rss.stop()
gc?.()
const retainedGrowthMb = (process.memoryUsage().heapUsed - retainedFirst) / 2 ** 20
console.log(JSON.stringify({
  count,
  growthMb,
  retainedGrowthMb,
  ms: performance.now() - started
}))
