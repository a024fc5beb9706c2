/**
 * `npm run bench`: tableau-effect against a hand-written floor on the same emulator, which runs
 * in its own process on loopback. Each figure is the median of several runs; each comparison is
 * a ratio measured in this run. Writes bench/results.json.
 */
import { Headers } from "@effect/platform"
import { Workbooks } from "@tableau-effect/client"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as url from "node:url"
import { Agent } from "undici"
import { startEmulator } from "./emulator.js"
import { floorGet, floorListAll, floorSession, floorSignOut, floorTimedConcurrent, parseOnly } from "./floor.js"
import { sdkGets, sdkListAll, sdkTimedStream } from "./sdk.js"

const here = path.dirname(url.fileURLToPath(import.meta.url))
const RUNS = Number(process.env.BENCH_RUNS ?? 7)

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const time = async (job: () => Promise<unknown>): Promise<number> => {
  const start = performance.now()
  await job()
  return performance.now() - start
}

const WARMUPS = 3

/** The CPU time (user + system) another process has used so far, from /proc; 0 where there is none. */
const processCpuMs = (pid: number): number => {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux); the name
    // (field 2) is in parentheses and may hold spaces, so count from after it.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/**
 * Runs a and b alternately and returns both medians in ms, after three warm-up runs of each:
 * the JIT needs about that many before either side settles (the first runs take up to three
 * times as long).
 */
const compare = async (a: () => Promise<unknown>, b: () => Promise<unknown>, runs = RUNS) => {
  for (let i = 0; i < WARMUPS; i++) {
    await a()
    await b()
  }
  const as: Array<number> = []
  const bs: Array<number> = []
  for (let i = 0; i < runs; i++) {
    as.push(await time(a))
    bs.push(await time(b))
  }
  return { a: median(as), b: median(bs) }
}

interface Row {
  readonly id: string
  readonly what: string
  readonly sdk: string
  readonly baseline: string
  readonly ratio: number
  readonly target: string
  readonly met: boolean
}

const rows: Array<Row> = []
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`

const program = Effect.scoped(Effect.gen(function*() {
  const main = yield* startEmulator(["--workbooks", "10000", "--session-ttl", "100000"])
  const slow = yield* startEmulator(["--workbooks", "10000", "--session-ttl", "100000", "--slow", "10"])
  const big = yield* startEmulator(["--workbooks", "100000", "--session-ttl", "100000"])
  const lan = yield* startEmulator(["--workbooks", "10000", "--session-ttl", "100000", "--slow", "5"])
  const far = yield* startEmulator(["--workbooks", "10000", "--session-ttl", "100000", "--slow", "100"])

  yield* Effect.promise(async () => {
    for (const pageSize of [1000, 100]) {
      const counts = [await sdkListAll(main.url, pageSize), await floorListAll(main.url, pageSize)]
      if (counts[0] !== 10_000 || counts[1] !== 10_000) throw new Error(`counted ${counts.join(" and ")} workbooks`)
      const { a, b } = await compare(() => sdkListAll(main.url, pageSize), () => floorListAll(main.url, pageSize))
      rows.push({
        id: `B1 (pageSize ${pageSize})`,
        what: "sign in, list 10,000 workbooks, sign out",
        sdk: ms(a),
        baseline: `${ms(b)} (floor)`,
        ratio: a / b,
        target: "SDK / floor <= 1.3",
        met: a / b <= 1.3
      })
    }

    const seq = await compare(() => sdkListAll(slow.url, 100, 4), () => sdkListAll(slow.url, 100, 1), Math.min(RUNS, 5))
    rows.push({
      id: "B2",
      what: "stream 10,000 workbooks, pageSize 100, 10 ms per answer: concurrency 4 vs sequential",
      sdk: ms(seq.a),
      baseline: `${ms(seq.b)} (sequential)`,
      ratio: seq.b / seq.a,
      target: "sequential / concurrent >= 2",
      met: seq.b / seq.a >= 2
    })

    const floorGets = async (target: string, n: number) => {
      const agent = new Agent({ connections: 8 })
      const session = await floorSession(target, agent)
      for (let i = 0; i < n; i++) await floorGet(target, agent, session, `/sites/${session.siteId}`)
      await floorSignOut(target, agent, session)
      await agent.close()
    }
    // CPU per call, in this process (the emulator runs in its own): user + system time.
    const cpuPerCall = async (job: () => Promise<unknown>, n: number) => {
      const before = process.cpuUsage()
      await job()
      const used = process.cpuUsage(before)
      return (used.user + used.system) / n
    }
    const gets = await compare(() => sdkGets(main.url, 1000), () => floorGets(main.url, 1000))
    const sdkCpu = await cpuPerCall(() => sdkGets(main.url, 1000), 1000)
    const floorCpu = await cpuPerCall(() => floorGets(main.url, 1000), 1000)
    rows.push({
      id: "B3 (loopback)",
      what: `1,000 sequential authenticated GETs; CPU per call ${sdkCpu.toFixed(0)} µs vs ${floorCpu.toFixed(0)} µs`,
      sdk: ms(gets.a),
      baseline: `${ms(gets.b)} (floor)`,
      ratio: gets.a / gets.b,
      target: "reported, no target",
      met: true
    })
    const lanGets = await compare(() => sdkGets(lan.url, 200), () => floorGets(lan.url, 200), Math.min(RUNS, 5))
    rows.push({
      id: "B3 (--slow 5)",
      what: "200 sequential authenticated GETs, 5 ms per answer (a LAN-like server)",
      sdk: ms(lanGets.a),
      baseline: `${ms(lanGets.b)} (floor)`,
      ratio: lanGets.a / lanGets.b,
      target: "SDK / floor <= 1.10",
      met: lanGets.a / lanGets.b <= 1.10
    })

    // B4: bytes of one 1000-workbook page to typed items, in memory.
    const agent = new Agent()
    const session = await floorSession(main.url, agent)
    const { request } = await import("undici")
    const answer = await request(`${main.url}/api/3.24/sites/${session.siteId}/workbooks?pageSize=1000`, {
      headers: { "x-tableau-auth": session.token },
      dispatcher: agent
    })
    const body = await answer.body.text()
    await floorSignOut(main.url, agent, session)
    await agent.close()
    const response = { status: 200, contentType: "application/xml", url: main.url, body, headers: Headers.empty }
    const decode = () => Effect.runSync(Workbooks.collection.decode(response))
    if (decode().items.length !== 1000) throw new Error("B4: the page does not hold 1000 workbooks")
    const ITER = 20
    const page = await compare(
      async () => {
        for (let i = 0; i < ITER; i++) decode()
      },
      async () => {
        for (let i = 0; i < ITER; i++) parseOnly(body)
      }
    )
    rows.push({
      id: "B4",
      what: `a 1000-workbook page (${(body.length / 1024).toFixed(0)} kB) from bytes to typed items`,
      sdk: ms(page.a / ITER),
      baseline: `${ms(page.b / ITER)} (fast-xml-parser parse alone)`,
      ratio: page.a / page.b,
      target: "SDK / parse <= 1.5",
      met: page.a / page.b <= 1.5
    })
  })

  const child = (script: string, pageSize: number) => {
    const run = spawnSync(process.execPath, [
      "--expose-gc",
      "--import",
      "tsx",
      path.join(here, script),
      big.url,
      String(pageSize)
    ], {
      encoding: "utf8",
      timeout: 300_000
    })
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as {
      count?: number
      growthMb?: number
      retainedGrowthMb?: number
      ms?: number
    }
    if (result.count !== 100_000) throw new Error(`${script} streamed ${result.count} workbooks: ${run.stderr}`)
    return result
  }
  // The default page size (what `Workbooks.stream()` uses), then the largest; each alternately
  // with its floor, like the timed comparisons: the SDK's process, then the floor's.
  for (const pageSize of [100, 1000]) {
    const sdkRuns: Array<ReturnType<typeof child>> = []
    const floorRuns: Array<ReturnType<typeof child>> = []
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      sdkRuns.push(child("b5.ts", pageSize))
      floorRuns.push(child("b5-floor.ts", pageSize))
    }
    const growth = median(sdkRuns.map((r) => r.growthMb!))
    const floorGrowth = median(floorRuns.map((r) => r.growthMb!))
    const retained = median(sdkRuns.map((r) => r.retainedGrowthMb!))
    const limit = pageSize === 100 ? 64 : floorGrowth + 32
    rows.push({
      id: `B5 (pageSize ${pageSize}${pageSize === 100 ? ", the default" : ""})`,
      what: `stream 100,000 workbooks (${ms(median(sdkRuns.map((r) => r.ms!)))})`,
      sdk: `${growth.toFixed(1)} MB peak RSS growth (retained heap ${retained.toFixed(1)} MB)`,
      baseline: `floor: ${floorGrowth.toFixed(1)} MB`,
      ratio: growth / limit,
      target: pageSize === 100 ? "growth <= 64 MB" : "growth <= floor + 32 MB",
      met: growth <= limit
    })
  }

  // B6: the ideal is the first page, then the other 99 pages eight at a time, 100 ms each. The
  // ideal counts no CPU; where the rest goes shows in the CPU both processes used meanwhile: each
  // round's eight answers arrive together, and their rendering (there, one thread) and parsing
  // (here, one thread) queue. The floor, eight undici requests in flight, meets the same queues.
  yield* Effect.promise(async () => {
    const ideal = 100 + Math.ceil(99 / 8) * 100
    await sdkTimedStream(far.url, 100, 8)
    await floorTimedConcurrent(far.url, 100, 8)
    const runs: Array<number> = []
    const floors: Array<number> = []
    const clientCpu: Array<number> = []
    const emulatorCpu: Array<number> = []
    for (let i = 0; i < Math.min(RUNS, 5); i++) {
      const before = process.cpuUsage()
      const emulatorBefore = processCpuMs(far.pid)
      runs.push(await sdkTimedStream(far.url, 100, 8))
      const used = process.cpuUsage(before)
      clientCpu.push((used.user + used.system) / 1000)
      emulatorCpu.push(processCpuMs(far.pid) - emulatorBefore)
      floors.push(await floorTimedConcurrent(far.url, 100, 8))
    }
    const took = median(runs)
    const floor = median(floors)
    rows.push({
      id: "B6",
      what: "stream 10,000 workbooks, pageSize 100, 100 ms per answer, concurrency 8",
      sdk: `${ms(took)} (CPU: client ${ms(median(clientCpu))}, emulator ${ms(median(emulatorCpu))})`,
      baseline: `${ms(ideal)} (ideal: first page + 99 pages / 8); floor ${ms(floor)}, ${
        (floor / ideal).toFixed(2)
      } of it`,
      ratio: took / ideal,
      target: "SDK / ideal <= 1.25",
      met: took / ideal <= 1.25
    })
  })
}))

await Effect.runPromise(program)

const header = ["bench", "what", "tableau-effect", "baseline", "ratio", "target", "met"]
const table = [
  header,
  ...rows.map((r) => [r.id, r.what, r.sdk, r.baseline, r.ratio.toFixed(2), r.target, r.met ? "yes" : "NO"])
]
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "))
fs.writeFileSync(
  path.join(here, "results.json"),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, rows }, null, 2) + "\n"
)
console.log(`\nmedian of ${RUNS} runs each; written to bench/results.json`)
