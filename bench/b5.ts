/**
 * B5, in a process of its own so its memory is measured alone: stream every workbook of the
 * emulator at argv[2] and report the peak growth of the resident set size, as JSON.
 */
import { Effect, Stream } from "effect"
import { Workbooks } from "@tableau-effect/client"
import { sessionLayer } from "./sdk.js"

const url = process.argv[2]!
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const baseline = process.memoryUsage().rss
let peak = baseline
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 5)
const started = performance.now()
// Retained heap after a full GC, at the first page and at the end: flat when nothing leaks,
// whatever the resident set size does while V8 sizes its heap for throughput.
let retainedFirst = 0
let seen = 0
const count = await Effect.runPromise(
  Workbooks.stream({ pageSize: 1000 }).pipe(
    Stream.tap(() =>
      Effect.sync(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
        if (++seen === 1000 && gc !== undefined) {
          gc()
          retainedFirst = process.memoryUsage().heapUsed
        }
      })
    ),
    Stream.runCount,
    Effect.provide(sessionLayer(url))
  )
)
clearInterval(sampler)
peak = Math.max(peak, process.memoryUsage().rss)
gc?.()
const retainedGrowthMb = (process.memoryUsage().heapUsed - retainedFirst) / 2 ** 20
console.log(JSON.stringify({
  count,
  baselineMb: baseline / 2 ** 20,
  growthMb: (peak - baseline) / 2 ** 20,
  retainedGrowthMb,
  ms: performance.now() - started
}))
