/**
 * Jobs: the background work a refresh (or a publish) starts. A job is created Pending and
 * answered as `<job>`; what it is afterwards is read from the emulator's clock (the Effect
 * `Clock` plus the manual offset, so `TestClock` drives it): Pending for its first second,
 * then InProgress with its progress growing, then finished (Success, or Failed when a test asked
 * for failures) when its duration is over, unless it was cancelled first. Jobs are rendered when
 * they are read, never from the XML pre-rendered at creation.
 *
 * What the next jobs do (fail, take longer) is a plan kept in the catalog, in a kind of its own
 * that no list shows, so `reset` forgets it and every change of it is atomic with the rest.
 *
 * @internal
 */
import { Jobs as Client } from "@tableau-effect/client"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as EmulatorState from "../../EmulatorState.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Listing from "../listing.js"
import * as Reads from "../reads.js"
import type { Call, Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import { element, Generated } from "../wire.js"
import * as Writes from "../writes.js"

/** A job of the emulator. Times are epoch milliseconds on the emulator's clock. @internal */
export interface Job {
  readonly id: string
  readonly siteId: string
  /** The XSD's job type: `RefreshExtract`, `PublishWorkbook`, ... */
  readonly type: string
  /** What it works on: `workbook` or `datasource`, and its id and name. */
  readonly target: { readonly kind: "workbook" | "datasource"; readonly id: string; readonly name: string }
  readonly createdAt: number
  /** The user whose session started it, when one did (a test's `startJob` has none). */
  readonly userId?: string | undefined
  /** When it leaves Pending, and when it ends. */
  readonly startsAt: number
  readonly endsAt: number
  /** Whether it ends Failed (finishCode 1) rather than Success, with these notes. */
  readonly fails: boolean
  readonly notes: ReadonlyArray<string>
  /** When it was cancelled, if it was (before it ended). */
  readonly cancelledAt?: number | undefined
}

/** What the next jobs do: how many fail and with which notes, and how long each takes. @internal */
export interface Plan {
  readonly id: string
  readonly failures: number
  readonly notes: ReadonlyArray<string>
  readonly durationMillis: number
}

const PLAN_ID = "plan"
/** How long a job takes, from creation to its end, unless a test says otherwise. @internal */
export const DEFAULT_DURATION_MILLIS = 5_000
/** How long a job stays Pending (or less, for a shorter job). */
const PENDING_MILLIS = 1_000
/** The notes of a failed job, unless a test gives others. @internal */
export const DEFAULT_FAILURE_NOTES: ReadonlyArray<string> = [
  "The extract refresh failed: the data source's database could not be reached."
]

/** The plan of the next jobs; it is never listed (no sites) nor served. @internal */
export const plans = Catalog.kind<Plan>("jobPlans", { sites: () => [], render: () => "" })

const planOf = (catalog: Catalog.Catalog): Plan =>
  Catalog.lookup(catalog, plans, PLAN_ID)?.item ??
    { id: PLAN_ID, failures: 0, notes: DEFAULT_FAILURE_NOTES, durationMillis: DEFAULT_DURATION_MILLIS }

/** The next `times` jobs fail with `notes`. @internal */
export const planFailures = (
  catalog: Catalog.Catalog,
  times: number,
  notes: ReadonlyArray<string> = DEFAULT_FAILURE_NOTES
): Catalog.Catalog => Catalog.put(catalog, plans, [{ ...planOf(catalog), failures: Math.max(0, times), notes }])

/** The next jobs take `millis` from creation to their end. @internal */
export const planDuration = (catalog: Catalog.Catalog, millis: number): Catalog.Catalog =>
  Catalog.put(catalog, plans, [{ ...planOf(catalog), durationMillis: Math.max(0, millis) }])

// ---------------------------------------------------------------------------------------------
// A job at a time
// ---------------------------------------------------------------------------------------------

/** The list's status values (the XSD's backgroundJobType status). @internal */
export type Status = "Pending" | "InProgress" | "Success" | "Failed" | "Cancelled"

/** What a job is at one time. @internal */
export interface View {
  readonly status: Status
  readonly progress: number
  readonly startedAt?: number | undefined
  readonly completedAt?: number | undefined
  readonly finishCode?: number | undefined
}

const progressAt = (job: Job, time: number): number =>
  time < job.startsAt
    ? 0
    : time >= job.endsAt
    ? 100
    : Math.min(99, Math.floor((100 * (time - job.startsAt)) / (job.endsAt - job.startsAt)))

/** The job as it is at `now`. @internal */
export const at = (job: Job, now: number): View => {
  if (job.cancelledAt !== undefined && job.cancelledAt <= now) {
    return {
      status: "Cancelled",
      progress: progressAt(job, job.cancelledAt),
      startedAt: job.startsAt <= job.cancelledAt ? job.startsAt : undefined,
      completedAt: job.cancelledAt,
      finishCode: 2
    }
  }
  if (now < job.startsAt) return { status: "Pending", progress: 0 }
  if (now < job.endsAt) return { status: "InProgress", progress: progressAt(job, now), startedAt: job.startsAt }
  return {
    status: job.fails ? "Failed" : "Success",
    progress: 100,
    startedAt: job.startsAt,
    completedAt: job.endsAt,
    finishCode: job.fails ? 1 : 0
  }
}

const utc = (millis: number | undefined) => millis === undefined ? undefined : DateTime.unsafeMake(millis)

const failedNotes = (job: Job, view: View): ReadonlyArray<string> => view.status === "Failed" ? job.notes : []

/** `<job>` as Tableau answers it at `now`: Asynchronous, its progress, times and outcome. @internal */
export const render = (job: Job, now: number): string => {
  const view = at(job, now)
  const notes = failedNotes(job, view)
  const statusNotes = notes.length === 0 ? "" : element(
    "statusNotes",
    Generated.StatusNoteListType,
    {},
    notes.map((text) => element("statusNote", Generated.StatusNoteType, { type: "ErrorInfo", text })).join("")
  )
  return element("job", Generated.JobType, {
    id: job.id,
    mode: "Asynchronous",
    type: job.type,
    progress: view.progress,
    finishCode: view.finishCode,
    createdAt: DateTime.unsafeMake(job.createdAt),
    startedAt: utc(view.startedAt),
    completedAt: utc(view.completedAt)
  }, statusNotes + renderTarget(job, notes))
}

const renderTarget = (job: Job, notes: ReadonlyArray<string>): string =>
  job.type !== "RefreshExtract" ? "" : element(
    "extractRefreshJob",
    Generated.ExtractRefreshJobType,
    { notes: notes.join(" ") },
    job.target.kind === "workbook"
      ? element("workbook", Generated.WorkbookType, { id: job.target.id, name: job.target.name })
      : element("datasource", Generated.DataSourceType, { id: job.target.id, name: job.target.name })
  )

// The list names job types its own way (`refresh_extracts`), not as `<job type>` does.
const LIST_TYPES: Readonly<Record<string, string>> = {
  RefreshExtract: "refresh_extracts",
  PublishWorkbook: "publish_workbook",
  PublishDatasource: "publish_datasource",
  RunFlow: "run_flow",
  RefreshThumbnails: "refresh_thumbnails"
}
const listType = (type: string): string => LIST_TYPES[type] ?? type.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()

const PRIORITY = 50

/** `<backgroundJob>` as the list of jobs gives it at `now`. @internal */
export const renderBackground = (job: Job, now: number): string => {
  const view = at(job, now)
  return element("backgroundJob", Generated.BackgroundJobType, {
    id: job.id,
    status: view.status,
    createdAt: DateTime.unsafeMake(job.createdAt),
    startedAt: utc(view.startedAt),
    endedAt: utc(view.completedAt),
    priority: PRIORITY,
    jobType: listType(job.type),
    title: job.target.name,
    subtitle: job.target.kind === "workbook" ? "Workbook" : "Data Source"
  })
}

/** The values the list filters and sorts on, at `now`. @internal */
export const keysAt = (job: Job, now: number): Catalog.Keys => {
  const view = at(job, now)
  return {
    status: view.status,
    jobType: listType(job.type),
    createdAt: Writes.iso(job.createdAt),
    startedAt: view.startedAt === undefined ? "" : Writes.iso(view.startedAt),
    completedAt: view.completedAt === undefined ? "" : Writes.iso(view.completedAt),
    // Numbers sort as text here; zero-padding keeps them in order.
    priority: String(PRIORITY).padStart(3, "0"),
    progress: String(view.progress).padStart(3, "0"),
    title: job.target.name,
    subtitle: job.target.kind === "workbook" ? "Workbook" : "Data Source",
    notes: failedNotes(job, view).join(" "),
    args: ""
  }
}

/**
 * The kind of the catalog. Its pre-rendered XML and keys are those of the job as created; the
 * routes below never serve them, they render each job at the time of the request.
 *
 * @internal
 */
export const jobs = Catalog.kind<Job>("jobs", {
  sites: Catalog.onItsSite,
  render: (job) => renderBackground(job, job.createdAt),
  keys: (job) => keysAt(job, job.createdAt)
})

// ---------------------------------------------------------------------------------------------
// Starting jobs
// ---------------------------------------------------------------------------------------------

/** What a new job is: where, what, for what, and who started it. @internal */
export interface Start {
  readonly siteId: string
  readonly type: string
  readonly target: Job["target"]
  readonly userId?: string | undefined
}

/**
 * Makes a job at `now` in the store, taking what the plan says the next job does (counting a
 * planned failure down), atomically.
 *
 * @internal
 */
export const create = (store: EmulatorState.Store, start: Start): Effect.Effect<Job> =>
  Effect.gen(function*() {
    const now = yield* EmulatorState.now(store)
    const id = yield* Writes.newId
    return yield* Ref.modify(store.ref, (state): [Job, EmulatorState.State] => {
      const plan = planOf(state.catalog)
      const fails = plan.failures > 0
      const job: Job = {
        id,
        siteId: start.siteId,
        type: start.type,
        target: start.target,
        createdAt: now,
        userId: start.userId,
        startsAt: now + Math.min(PENDING_MILLIS, plan.durationMillis),
        endsAt: now + plan.durationMillis,
        fails,
        notes: fails ? plan.notes : []
      }
      const planned = fails
        ? Catalog.put(state.catalog, plans, [{ ...plan, failures: plan.failures - 1 }])
        : state.catalog
      return [job, { ...state, catalog: Catalog.put(planned, jobs, [job]) }]
    })
  })

const userOfCall = (call: Call): Effect.Effect<string | undefined> => {
  const token = call.headers["x-tableau-auth"]?.trim() ?? ""
  return Effect.map(
    Ref.get(call.store.ref),
    (state) => Option.getOrUndefined(HashMap.get(state.sessions, token))?.userId
  )
}

/** Starts a job for the call's session site and answers it (`202` with its `<job>`). @internal */
export const start = (
  call: Call,
  siteId: string,
  type: string,
  target: Job["target"]
): Effect.Effect<{ readonly status: number; readonly xml: string }> =>
  Effect.gen(function*() {
    const userId = yield* userOfCall(call)
    const job = yield* create(call.store, { siteId, type, target, userId })
    return { status: 202, xml: render(job, job.createdAt) }
  })

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

/** 404: no such job on the site. (The sub-code is the emulator's reading of Tableau's.) @internal */
export const jobNotFound = (id: string): ApiError.ApiError =>
  ApiError.make(404, "404031", "Resource Not Found", `Job '${id}' could not be found.`)

/** 409: a job that has finished cannot be cancelled. @internal */
export const alreadyFinished = (id: string): ApiError.ApiError =>
  Writes.conflict("409000", `Job '${id}' has already completed and cannot be cancelled.`)

const reads: Reads.Reads<Job> = { kind: jobs, notFound: jobNotFound }

const FORBIDDEN = "403000"

const list = Reads.route(Client.resource.list, (call, session, catalog) =>
  Effect.gen(function*() {
    const user = yield* Writes.userOf(catalog, session)
    // Only administrators see a site's jobs.
    yield* Writes.require(Writes.isAdministrator(user), FORBIDDEN, "list the jobs of this site")
    const now = yield* Writes.now(call)
    const entries = Reads.entriesOnSite(catalog, reads, call.params["siteId"] ?? session.siteId).map((entry) => ({
      ...entry,
      xml: renderBackground(entry.item, now),
      keys: keysAt(entry.item, now)
    }))
    const { definition } = Client.resource
    const fields = { filter: definition.filterable, sort: definition.sortable }
    return { status: 200, xml: yield* Listing.page(entries, call.query, definition.element, fields) }
  }))

// A job is the business of administrators and of the user who started it.
const ownJob = (call: Call) =>
  Effect.gen(function*() {
    const session = yield* Reads.sessionOf(call)
    const catalog = yield* Reads.catalogOf(call)
    const entry = yield* Reads.entryOnSite(call, catalog, reads, call.params["jobId"] ?? "")
    const user = yield* Writes.userOf(catalog, session)
    yield* Writes.require(
      Writes.isAdministrator(user) || entry.item.userId === user.id,
      FORBIDDEN,
      "see or cancel this job"
    )
    return entry.item
  })

const get = fromSpec(Client.get.spec, (call) =>
  Effect.gen(function*() {
    const job = yield* ownJob(call)
    return { status: 200, xml: render(job, yield* Writes.now(call)) }
  }))

const cancel = fromSpec(Client.cancel.spec, (call) =>
  Effect.gen(function*() {
    const job = yield* ownJob(call)
    const now = yield* Writes.now(call)
    if (at(job, now).completedAt !== undefined) return yield* alreadyFinished(job.id)
    yield* Writes.commit(call, (catalog) => Catalog.put(catalog, jobs, [{ ...job, cancelledAt: now }]))
    return { status: 200, xml: "" }
  }))

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [list, get, cancel]
