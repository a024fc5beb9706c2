/**
 * Jobs: the background work a refresh (or a publish) starts. A job is created Pending and
 * answered as `<job>`; what happens to it afterwards is read from the Effect `Clock`.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Catalog from "../catalog.js"
import type { Call } from "../routes.js"
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
}

const iso = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

/** `<job>` as Tableau answers a refresh: Asynchronous, progress 0, and what it refreshes. @internal */
export const render = (job: Job): string =>
  element("job", Generated.JobType, {
    id: job.id,
    mode: "Asynchronous",
    type: job.type,
    progress: 0,
    createdAt: DateTime.unsafeMake(job.createdAt)
  }, renderTarget(job))

const renderTarget = (job: Job): string =>
  job.type !== "RefreshExtract"
    ? ""
    : `<extractRefreshJob notes="">${
      job.target.kind === "workbook"
        ? element("workbook", Generated.WorkbookType, { id: job.target.id, name: job.target.name })
        : element("datasource", Generated.DataSourceType, { id: job.target.id, name: job.target.name })
    }</extractRefreshJob>`

/** @internal */
export const jobs: Catalog.Kind<Job> = {
  name: "jobs",
  id: (job) => job.id,
  sites: (job) => [job.siteId],
  render,
  keys: (job) => ({ jobType: job.type, createdAt: iso(job.createdAt) }),
  initial: () => []
}

/** Starts a job for the call's session site and answers it (`202` with its `<job>`). @internal */
export const start = (
  call: Call,
  siteId: string,
  type: string,
  target: Job["target"]
): Effect.Effect<{ readonly status: number; readonly xml: string }> =>
  Effect.gen(function*() {
    const now = yield* Writes.now(call)
    const job: Job = { id: yield* Writes.newId, siteId, type, target, createdAt: now }
    yield* Writes.commit(call, (catalog) => Catalog.put(catalog, jobs, [job]))
    return { status: 202, xml: render(job) }
  })
