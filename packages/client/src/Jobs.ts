/**
 * Jobs: the work Tableau does in the background (an extract refresh, a publish). `Job` is what
 * Tableau answers for one job (the XSD's `jobType`), `BackgroundJob` what its list of jobs holds
 * (`backgroundJobType`). `wait` polls a job until it finishes.
 *
 * Filter and sort fields Tableau documents for the list of jobs include `status`, `jobType`,
 * `createdAt`, `startedAt`, `completedAt`, `priority`, `progress`, `title`, `subtitle`, `notes`
 * and `args`.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Generated from "./Generated.js"
import * as X from "./internal/xsd.js"
import * as Resource from "./Resource.js"
import { TableauJobCancelledError, TableauJobFailedError } from "./TableauError.js"
import type { TableauError } from "./TableauError.js"
import type { TableauSession } from "./TableauSession.js"

const wire = Generated.JobType.fields

// The XSD requires <notes>, but Tableau's answer to a refresh (Update Workbook Now, Update Data
// Source Now) is `<extractRefreshJob><workbook id name/></extractRefreshJob>`, without them.
const ExtractRefreshJob = Schema.Struct({
  ...Generated.ExtractRefreshJobType.fields,
  notes: X.optional(Generated.ExtractRefreshJobType.fields.notes)
})

/**
 * A job (the XSD's `jobType`): its id, type (an open enumeration: `RefreshExtract`,
 * `PublishWorkbook`, ... and whatever a newer server adds), progress (0 to 100), its times, and
 * once it ended its `completedAt`, its `finishCode` (0 succeeded, 1 failed, 2 cancelled) and
 * status notes.
 *
 * @since 0.1.0
 * @category Models
 */
export class Job extends Schema.Class<Job>("@tableau-effect/client/Job")({
  id: wire.id.from,
  type: wire.type,
  mode: wire.mode,
  progress: wire.progress,
  finishCode: wire.finishCode,
  createdAt: wire.createdAt,
  startedAt: wire.startedAt,
  completedAt: wire.completedAt,
  updatedAt: wire.updatedAt,
  /** What an extract refresh job refreshes, and its notes. */
  extractRefreshJob: X.optional(X.element(ExtractRefreshJob)),
  statusNotes: wire.statusNotes
}) {}

const background = Generated.BackgroundJobType.fields

/**
 * A job as the list of a site's jobs gives it (the XSD's `backgroundJobType`): its status
 * (`Pending`, `InProgress`, `Success`, `Failed`, `Cancelled`, or what a newer server adds), its
 * type as the list writes it (`refresh_extracts`, ...), priority, times, and a title and subtitle
 * naming what it works on.
 *
 * @since 0.1.0
 * @category Models
 */
export class BackgroundJob extends Schema.Class<BackgroundJob>("@tableau-effect/client/BackgroundJob")({
  id: background.id.from,
  status: background.status,
  jobType: background.jobType,
  priority: background.priority,
  createdAt: background.createdAt,
  startedAt: background.startedAt,
  endedAt: background.endedAt,
  title: background.title,
  subtitle: background.subtitle
}) {}

/**
 * The jobs of a site as a resource (`/sites/{siteId}/jobs`, answered as `<backgroundJobs>`).
 * One job is read with `get`, which Tableau answers as a `<job>`, not a `<backgroundJob>`.
 *
 * @example
 * ```ts
 * import { Jobs } from "@tableau-effect/client"
 *
 * console.log(Jobs.resource.list.path) // /sites/{siteId}/jobs
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const resource = Resource.make({
  name: "jobs",
  path: "/sites/{siteId}/jobs",
  element: "backgroundJobs",
  item: "backgroundJob",
  schema: BackgroundJob,
  filterable: [
    "status",
    "jobType",
    "createdAt",
    "startedAt",
    "completedAt",
    "priority",
    "progress",
    "title",
    "subtitle",
    "notes",
    "args"
  ],
  sortable: ["status", "jobType", "createdAt", "startedAt", "completedAt", "priority", "progress", "title", "subtitle"],
  minimum: "3.1"
})

/**
 * The list, documented on `Resource.Resource` (Tableau lets administrators list jobs):
 * - `collection`: `GET /sites/{siteId}/jobs`, for `Pagination.page` and `Pagination.stream`;
 * - `page`: one page of the site's jobs, filtered and sorted by the fields above;
 * - `stream`: every job of the site as a lazy stream.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Filter, Jobs } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Jobs.page({ filter: Filter.eq("status", "InProgress") })
 *   yield* Effect.log(items.map((job) => `${job.jobType} ${job.title}`).join(", "))
 *   const failed = yield* Jobs.stream().pipe(Stream.filter((job) => job.status === "Failed"), Stream.runCollect)
 *   yield* Effect.log(`${failed.length} failed`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const { collection, page, stream } = resource

/**
 * One job by id (`GET /sites/{siteId}/jobs/{jobId}`): its progress, and once it ended its
 * `completedAt`, `finishCode` and notes. An unknown id is a `TableauApiError` with status 404.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Jobs } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Jobs.get("2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b")
 *   yield* Effect.log(`${job.type} at ${job.progress ?? 0}%`)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const get = Resource.operation({
  span: "tableau.jobs.get",
  method: "GET",
  path: "/sites/{siteId}/jobs/{jobId}",
  minimum: "2.6",
  answer: Resource.answer("job", Job)
})

/**
 * Cancels a job that has not finished (`PUT /sites/{siteId}/jobs/{jobId}`, with an empty
 * `<tsRequest/>`); a job that already finished cannot be cancelled (Tableau answers 409).
 * A PUT, so it is retried like the other idempotent methods.
 *
 * @example
 * ```ts
 * import { Jobs } from "@tableau-effect/client"
 *
 * const stop = Jobs.cancel("2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const cancel = Resource.operation({
  span: "tableau.jobs.cancel",
  method: "PUT",
  path: "/sites/{siteId}/jobs/{jobId}",
  minimum: "3.1",
  body: Resource.emptyBody
})

/**
 * How `wait` polls:
 * - `schedule`: the delays between polls (the first poll is immediate); default
 *   `defaultSchedule`, exponential from 0.5 second up to 30 seconds. When a finite schedule
 *   ends before the job does, `wait` fails with a `TimeoutException`;
 * - `timeout`: how long to wait at most (default: as long as it takes), then a
 *   `TimeoutException`;
 * - `cancelOnInterrupt`: whether giving up the wait (an interruption, the timeout, or the end of
 *   the schedule) cancels the job too (default false: the job goes on in Tableau, only the
 *   waiting stops).
 *
 * @since 0.1.0
 * @category Models
 */
export interface WaitOptions {
  readonly schedule?: Schedule.Schedule<unknown, Job> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly cancelOnInterrupt?: boolean | undefined
}

/**
 * The delays between polls of `wait`: 0.5 second, then doubling (1 s, 2 s, 4 s, ...), never more
 * than 30 seconds. A job that ends in seconds is seen soon; a refresh of an hour costs a poll
 * every 30 seconds.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect"
 * import { Jobs } from "@tableau-effect/client"
 *
 * // At most ten minutes of polling.
 * const bounded = Jobs.defaultSchedule.pipe(Schedule.upTo("10 minutes"))
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const defaultSchedule: Schedule.Schedule<unknown> = Schedule.exponential("500 millis", 2).pipe(
  Schedule.union(Schedule.spaced("30 seconds"))
)

/**
 * The notes of a job: the text (or value) of each status note, then the notes of an extract
 * refresh when there are some.
 *
 * @example
 * ```ts
 * import { Jobs } from "@tableau-effect/client"
 *
 * const why = (job: Jobs.Job) => Jobs.notesOf(job).join("\n")
 * ```
 *
 * @since 0.1.0
 * @category Getters
 */
export const notesOf = (job: Job): ReadonlyArray<string> => {
  const notes: Array<string> = []
  for (const note of job.statusNotes?.statusNote ?? []) {
    const text = note.text ?? note.value
    if (text !== undefined && text.length > 0) notes.push(text)
  }
  const refresh = job.extractRefreshJob?.notes
  if (refresh !== undefined && refresh.length > 0 && !notes.includes(refresh)) notes.push(refresh)
  return notes
}

// A job has finished once it has a completedAt: some servers write a finishCode on a job that is
// still running, so the code alone does not say it ended.
const finished = (job: Job): boolean => job.completedAt !== undefined

const outcome = (job: Job): Effect.Effect<Job, TableauJobFailedError | TableauJobCancelledError> => {
  const finishCode = job.finishCode ?? 1
  if (finishCode === 0) return Effect.succeed(job)
  const fields = { jobId: job.id, jobType: job.type, finishCode, notes: notesOf(job) }
  return Effect.fail(finishCode === 2 ? new TableauJobCancelledError(fields) : new TableauJobFailedError(fields))
}

/**
 * Waits for a job to finish: polls `get(id)` now, then after each delay of the schedule
 * (0.5 s, 1 s, 2 s, ... up to 30 s by default), and succeeds with the finished job. A job that
 * failed is a `TableauJobFailedError`, a cancelled one a `TableauJobCancelledError`, each with
 * the `finishCode` and the status notes. Interrupting the wait leaves the job running unless
 * `cancelOnInterrupt` is true. The span `tableau.jobs.wait` carries the job id and the number of
 * polls.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Jobs } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* Jobs.wait("2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b", {
 *     timeout: "15 minutes",
 *     cancelOnInterrupt: true
 *   })
 *   yield* Effect.log(`finished at ${job.completedAt}`)
 * }).pipe(Effect.catchTag("TableauJobFailedError", (e) => Effect.logError(e.message)))
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const wait = (
  id: string,
  options: WaitOptions = {}
): Effect.Effect<Job, TableauError | Cause.TimeoutException, TableauSession> => {
  const polling = Effect.gen(function*() {
    const driver = yield* Schedule.driver(options.schedule ?? defaultSchedule)
    let polls = 0
    const poll = Effect.tap(get(id), () => {
      polls++
      return Effect.annotateCurrentSpan("tableau.job.polls", polls)
    })
    let job = yield* poll
    while (!finished(job)) {
      const next = yield* Effect.either(driver.next(job))
      if (next._tag === "Left") {
        return yield* Effect.fail(
          new Cause.TimeoutException(`Job ${id} had not finished after ${polls} polls: the schedule ended`)
        )
      }
      job = yield* poll
    }
    return yield* outcome(job)
  })
  const bounded = options.timeout === undefined ? polling : polling.pipe(
    Effect.timeoutFail({
      duration: options.timeout,
      onTimeout: () => new Cause.TimeoutException(`Job ${id} had not finished within the timeout`)
    })
  )
  const cancelling = options.cancelOnInterrupt === true
    ? bounded.pipe(
      Effect.onInterrupt(() => Effect.ignore(cancel(id))),
      // A timeout ends the wait like an interruption does: the caller asked for the job to go.
      Effect.tapErrorTag("TimeoutException", () => Effect.ignore(cancel(id)))
    )
    : bounded
  return cancelling.pipe(
    Effect.withSpan("tableau.jobs.wait", { captureStackTrace: false, attributes: { "tableau.job.id": id } })
  )
}
