/**
 * Jobs: list, get, cancel and wait against the emulator, whose jobs progress on the Effect clock
 * (TestClock here): the polls `wait` makes and when, what it answers for a job that succeeded,
 * failed or was cancelled, what interrupting it does, and what crossed the wire.
 */
import { assert, describe, it } from "@effect/vitest"
import { Filter, Jobs } from "@tableau-effect/client"
import { TableauEmulator } from "@tableau-effect/emulator"
import { Cause, DateTime, Effect, Exit, Fiber, Layer, Schedule, TestClock } from "effect"
import { ids, recordingTracer } from "./support/EmulatedSession.js"
import { overLoopback, recorded, validateBodies, writes } from "./support/Wire.js"

const SITE = ids.sites.default

const emulator = TableauEmulator.TableauEmulator

/** The times (ms since `from`) of the GETs of job `id` the emulator answered. */
const pollTimes = (id: string, from: number) =>
  Effect.map(
    Effect.flatMap(emulator, (service) => service.requests),
    (requests) =>
      requests.filter((request) => request.method === "GET" && request.path.endsWith(`/jobs/${id}`))
        .map((request) => request.at - from)
  )

const millis = (value: DateTime.Utc | undefined) => value === undefined ? undefined : DateTime.toEpochMillis(value)

describe("Jobs.wait on the TestClock", () => {
  it.effect("polls now, then after 0.5 s, 1 s, 2 s, 4 s, and succeeds with the finished job", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const service = yield* emulator
      yield* service.jobDuration("6 seconds")
      const id = yield* service.startJob({ siteId: SITE })
      const start = yield* service.now
      const fiber = yield* Effect.fork(Jobs.wait(id))
      yield* TestClock.adjust("20 seconds")
      const job = yield* Fiber.join(fiber)
      assert.strictEqual(job.id, id)
      assert.strictEqual(job.type, "RefreshExtract")
      assert.strictEqual(job.finishCode, 0)
      assert.strictEqual(job.progress, 100)
      assert.strictEqual(millis(job.startedAt), start + 1000)
      assert.strictEqual(millis(job.completedAt), start + 6000)
      // Finished at 6 s, seen at the poll of 7.5 s: 0, +0.5, +1, +2, +4.
      assert.deepStrictEqual(yield* pollTimes(id, start), [0, 500, 1500, 3500, 7500])
      assert.deepStrictEqual(writes(sent), [])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a job progresses on the clock: Pending, InProgress with its progress, then finished", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const pending = yield* Jobs.get(id)
      assert.deepStrictEqual([pending.progress, pending.startedAt, pending.completedAt], [0, undefined, undefined])
      const listed = yield* Jobs.page({ filter: Filter.eq("status", "Pending") })
      assert.deepStrictEqual(listed.items.map((job) => job.id), [id])
      yield* TestClock.adjust("3 seconds")
      const running = yield* Jobs.get(id)
      // The default job runs from 1 s to 5 s after it was created: at 3 s it is half done.
      assert.strictEqual(running.progress, 50)
      assert.isDefined(running.startedAt)
      assert.isUndefined(running.completedAt)
      const inProgress = yield* Jobs.page({ filter: Filter.eq("status", "InProgress") })
      assert.deepStrictEqual(inProgress.items.map((job) => [job.id, job.jobType]), [[id, "refresh_extracts"]])
      yield* TestClock.adjust("2 seconds")
      const done = yield* Jobs.get(id)
      assert.deepStrictEqual([done.progress, done.finishCode], [100, 0])
      const succeeded = yield* Jobs.page({ filter: Filter.eq("status", "Success") })
      assert.deepStrictEqual(succeeded.items.map((job) => job.id), [id])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a failed job is a TableauJobFailedError with finishCode 1 and the notes; the next one succeeds", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      yield* service.failJobs(1, ["Unable to connect to the server \"db.example.com\"."])
      const failing = yield* service.startJob({ siteId: SITE })
      const next = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Effect.flip(Jobs.wait(failing)))
      const other = yield* Effect.fork(Jobs.wait(next))
      yield* TestClock.adjust("20 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TableauJobFailedError")
      if (error._tag !== "TableauJobFailedError") return
      assert.strictEqual(error.jobId, failing)
      assert.strictEqual(error.jobType, "RefreshExtract")
      assert.strictEqual(error.finishCode, 1)
      assert.deepStrictEqual(error.notes, ["Unable to connect to the server \"db.example.com\"."])
      assert.strictEqual(
        error.message,
        `Job ${failing} (RefreshExtract) failed (finishCode 1); notes: "Unable to connect to the server \\"db.example.com\\"."`
      )
      const succeeded = yield* Fiber.join(other)
      assert.strictEqual(succeeded.finishCode, 0)
      const failed = yield* Jobs.page({ filter: Filter.eq("status", "Failed") })
      assert.deepStrictEqual(failed.items.map((job) => job.id), [failing])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("a job cancelled while waited for is a TableauJobCancelledError with finishCode 2", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Effect.flip(Jobs.wait(id)))
      yield* TestClock.adjust("2 seconds")
      yield* Jobs.cancel(id)
      yield* TestClock.adjust("20 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "TableauJobCancelledError")
      if (error._tag !== "TableauJobCancelledError") return
      assert.deepStrictEqual([error.jobId, error.finishCode], [id, 2])
      assert.include(error.message, `Job ${id} (RefreshExtract) was cancelled (finishCode 2)`)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("interrupting a wait leaves the job running: no PUT, and it still succeeds", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Jobs.wait(id))
      yield* TestClock.adjust("1 second")
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.deepStrictEqual(writes(sent), [])
      yield* TestClock.adjust("10 seconds")
      const job = yield* Jobs.get(id)
      assert.strictEqual(job.finishCode, 0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("with cancelOnInterrupt: true, interrupting a wait cancels the job (one PUT, an XSD-valid body)", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Jobs.wait(id, { cancelOnInterrupt: true }))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.interrupt(fiber)
      const wire = writes(sent)
      assert.deepStrictEqual(wire, [{
        method: "PUT",
        path: `/api/3.24/sites/${SITE}/jobs/${id}`,
        body: "<tsRequest/>"
      }])
      yield* validateBodies(wire)
      const job = yield* Jobs.get(id)
      assert.strictEqual(job.finishCode, 2)
      assert.isDefined(job.completedAt)
      const cancelled = yield* Jobs.page({ filter: Filter.eq("status", "Cancelled") })
      assert.deepStrictEqual(cancelled.items.map((one) => one.id), [id])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a timeout ends the wait with a TimeoutException, and the job goes on", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Effect.flip(Jobs.wait(id, { timeout: "2 seconds" })))
      yield* TestClock.adjust("3 seconds")
      const error = yield* Fiber.join(fiber)
      assert.isTrue(Cause.isTimeoutException(error))
      assert.include(error.message, id)
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual((yield* Jobs.get(id)).finishCode, 0)
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("with cancelOnInterrupt: true, a timeout cancels the job too", () => {
    const { layer, sent } = recorded()
    return Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Effect.flip(Jobs.wait(id, { timeout: "2 seconds", cancelOnInterrupt: true })))
      yield* TestClock.adjust("3 seconds")
      assert.isTrue(Cause.isTimeoutException(yield* Fiber.join(fiber)))
      assert.deepStrictEqual(writes(sent).map((request) => `${request.method} ${request.path}`), [
        `PUT /api/3.24/sites/${SITE}/jobs/${id}`
      ])
      assert.strictEqual((yield* Jobs.get(id)).finishCode, 2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a schedule of one's own: its delays, and a TimeoutException when it ends first", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const start = yield* service.now
      const fiber = yield* Effect.fork(
        Effect.flip(Jobs.wait(id, { schedule: Schedule.spaced("1 second").pipe(Schedule.compose(Schedule.recurs(2))) }))
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      assert.isTrue(Cause.isTimeoutException(error))
      assert.include(error.message, "after 3 polls")
      assert.deepStrictEqual(yield* pollTimes(id, start), [0, 1000, 2000])
    }).pipe(Effect.provide(recorded().layer)))

  it.effect("the wait runs in a span tableau.jobs.wait with the job id and the number of polls", () => {
    const { layer: tracing, spans } = recordingTracer()
    return Effect.gen(function*() {
      const service = yield* emulator
      const id = yield* service.startJob({ siteId: SITE })
      const fiber = yield* Effect.fork(Jobs.wait(id))
      yield* TestClock.adjust("20 seconds")
      yield* Fiber.join(fiber)
      const wait = spans.find((span) => span.name === "tableau.jobs.wait")
      assert.isDefined(wait)
      assert.strictEqual(wait!.attributes.get("tableau.job.id"), id)
      // A 5 second job: polls at 0, 0.5, 1.5, 3.5 and 7.5 seconds.
      assert.strictEqual(wait!.attributes.get("tableau.job.polls"), 5)
      const gets = spans.filter((span) => span.name === "tableau.jobs.get" && span.parentId === wait!.id)
      assert.strictEqual(gets.length, 5)
    }).pipe(Effect.provide(Layer.merge(recorded().layer, tracing)))
  })
})

const transports = { "in memory": recorded, "over a loopback socket": overLoopback } as const

for (const [transport, make] of Object.entries(transports)) {
  describe(`Jobs list, get and cancel ${transport}`, () => {
    it.effect("list and get: the site's jobs, as backgroundJob and as job", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const service = yield* emulator
        const first = yield* service.startJob({ siteId: SITE })
        const second = yield* service.startJob({ siteId: SITE, type: "PublishWorkbook" })
        // A job of another site is not in this site's list, nor found by id.
        const elsewhere = yield* service.startJob({ siteId: ids.sites.marketing })
        const page = yield* Jobs.page({ pageSize: 100 })
        assert.deepStrictEqual(page.items.map((job) => job.id), [first, second])
        assert.deepStrictEqual(page.items.map((job) => [job.status, job.jobType]), [
          ["Pending", "refresh_extracts"],
          ["Pending", "publish_workbook"]
        ])
        assert.strictEqual(page.pagination.totalAvailable, 2)
        const publishes = yield* Jobs.page({ filter: Filter.eq("jobType", "publish_workbook") })
        assert.deepStrictEqual(publishes.items.map((job) => job.id), [second])
        const job = yield* Jobs.get(first)
        assert.strictEqual(job.id, first)
        assert.strictEqual(job.mode, "Asynchronous")
        assert.isDefined(job.extractRefreshJob?.workbook?.name)
        const missing = yield* Effect.flip(Jobs.get(elsewhere))
        assert.strictEqual(missing._tag === "TableauApiError" && missing.status, 404)
        assert.deepStrictEqual(
          sent.filter((request) => request.path.includes("/jobs")).map((request) =>
            `${request.method} ${request.path}`
          ),
          [
            `GET /api/3.24/sites/${SITE}/jobs`,
            `GET /api/3.24/sites/${SITE}/jobs`,
            `GET /api/3.24/sites/${SITE}/jobs/${first}`,
            `GET /api/3.24/sites/${SITE}/jobs/${elsewhere}`
          ]
        )
        // The query as the server received it.
        const received = (yield* service.requests).map((request) => request.path).filter((path) =>
          path.includes("/jobs?")
        )
        assert.deepStrictEqual(received, [
          `/api/3.24/sites/${SITE}/jobs?pageSize=100&pageNumber=1`,
          `/api/3.24/sites/${SITE}/jobs?pageSize=100&pageNumber=1&filter=jobType%3Aeq%3Apublish_workbook`
        ])
      }).pipe(Effect.provide(layer))
    })

    it.effect("cancel: a PUT with <tsRequest/>, valid against the XSD; a finished job cannot be cancelled (409)", () => {
      const { layer, sent } = make()
      return Effect.gen(function*() {
        const service = yield* emulator
        const id = yield* service.startJob({ siteId: SITE })
        yield* Jobs.cancel(id)
        assert.strictEqual((yield* Jobs.get(id)).finishCode, 2)
        const again = yield* Effect.flip(Jobs.cancel(id))
        assert.strictEqual(again._tag === "TableauApiError" && again.status, 409)
        const wire = writes(sent)
        assert.deepStrictEqual(wire.map((request) => [request.method, request.path, request.body]), [
          ["PUT", `/api/3.24/sites/${SITE}/jobs/${id}`, "<tsRequest/>"],
          ["PUT", `/api/3.24/sites/${SITE}/jobs/${id}`, "<tsRequest/>"]
        ])
        yield* validateBodies(wire)
      }).pipe(Effect.provide(layer))
    })
  })
}

describe("Jobs through the emulator's /_emulator hooks (what a socket client uses)", () => {
  it.effect("start a job, make the next fail, set the duration", () =>
    Effect.gen(function*() {
      const service = yield* emulator
      const hook = (method: string, path: string, body: unknown) =>
        Effect.map(
          service.handle({
            method,
            url: `/_emulator/${path}`,
            headers: { "content-type": "application/json" },
            body: new TextEncoder().encode(JSON.stringify(body))
          }),
          (response) => ({
            status: response.status,
            body: JSON.parse(
              typeof response.body === "string" ? response.body : new TextDecoder().decode(response.body)
            ) as Record<string, unknown>
          })
        )
      assert.strictEqual((yield* hook("PUT", "jobs/duration", { millis: 2000 })).status, 200)
      assert.strictEqual((yield* hook("POST", "jobs/failures", { times: 1, notes: ["out of disk"] })).status, 200)
      assert.strictEqual((yield* hook("POST", "jobs/failures", { times: -1 })).status, 400)
      const started = yield* hook("POST", "jobs", { siteId: SITE })
      assert.strictEqual(started.status, 200)
      const id = String(started.body["id"])
      yield* TestClock.adjust("2 seconds")
      const job = yield* Jobs.get(id)
      assert.strictEqual(job.finishCode, 1)
      assert.deepStrictEqual(Jobs.notesOf(job), ["out of disk"])
    }).pipe(Effect.provide(recorded().layer)))
})
