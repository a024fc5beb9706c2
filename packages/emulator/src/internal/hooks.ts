/**
 * Test hooks outside `/api`, as JSON: `GET /_emulator/sessions` ({"active": N}),
 * `DELETE /_emulator/sessions` (expire all), `GET /_emulator/stats`, `POST /_emulator/reset`
 * (restore the fixtures), `POST /_emulator/faults` (queue a fault) and `DELETE /_emulator/faults`;
 * for jobs, `POST /_emulator/jobs` (start one: {siteId?, type?}; answers {id}),
 * `POST /_emulator/jobs/failures` (the next jobs fail: {times, notes?}) and
 * `PUT /_emulator/jobs/duration` (how long the next jobs take: {millis}).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as EmulatorState from "../EmulatorState.js"
import * as Fault from "../Fault.js"
import * as Catalog from "./catalog.js"
import * as Jobs from "./resources/jobs.js"
import * as Sites from "./resources/sites.js"
import * as Workbooks from "./resources/workbooks.js"

/** @internal */
export interface JsonResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const json = (status: number, value: unknown): JsonResponse => ({
  status,
  headers: { "content-type": "application/json;charset=UTF-8" },
  body: JSON.stringify(value)
})

const FaultRequest = Schema.Struct({
  fault: Fault.FaultFromJson,
  times: Schema.optional(Schema.Number.pipe(Schema.positive())),
  path: Schema.optional(Schema.String),
  probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
})
const decodeFaultRequest = Schema.decodeUnknownEither(Schema.parseJson(FaultRequest))

const JobRequest = Schema.Struct({ siteId: Schema.optional(Schema.String), type: Schema.optional(Schema.String) })
const decodeJobRequest = Schema.decodeUnknownEither(Schema.parseJson(JobRequest))
const JobFailures = Schema.Struct({
  times: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  notes: Schema.optional(Schema.Array(Schema.String))
})
const decodeJobFailures = Schema.decodeUnknownEither(Schema.parseJson(JobFailures))
const JobDuration = Schema.Struct({ millis: Schema.Number.pipe(Schema.nonNegative()) })
const decodeJobDuration = Schema.decodeUnknownEither(Schema.parseJson(JobDuration))

/** The statistics the stats hook answers (and `TableauEmulator.stats`). @internal */
export const stats = (state: EmulatorState.State, now: number) => ({
  active: EmulatorState.liveSessions(state, now).length,
  ...state.counters,
  faultsQueued: state.faults.length
})

/** Answers a hook; `segments` are the path segments after `_emulator`. @internal */
export const handle = (
  store: EmulatorState.Store,
  method: string,
  segments: ReadonlyArray<string>,
  body: Uint8Array
): Effect.Effect<JsonResponse> =>
  Effect.gen(function*() {
    const now = yield* EmulatorState.now(store)
    const target = `${method} ${segments.join("/").toLowerCase()}`
    switch (target) {
      case "GET sessions": {
        const state = yield* Ref.get(store.ref)
        return json(200, { active: EmulatorState.liveSessions(state, now).length })
      }
      case "DELETE sessions": {
        yield* Ref.update(store.ref, (state) => ({ ...state, sessions: HashMap.empty() }))
        return json(200, { active: 0 })
      }
      case "GET stats":
        return json(200, stats(yield* Ref.get(store.ref), now))
      case "POST reset": {
        yield* Ref.set(store.ref, store.initial)
        return json(200, { reset: true })
      }
      case "POST faults": {
        const decoded = decodeFaultRequest(new TextDecoder().decode(body))
        if (Either.isLeft(decoded)) return json(400, { error: "expected {fault, times?, path?, probability?}" })
        const { fault, path, probability, times } = decoded.right
        const pending: Fault.Pending = { fault, remaining: times ?? 1, path, probability }
        yield* Ref.update(store.ref, (state) => ({ ...state, faults: [...state.faults, pending] }))
        return json(200, { queued: true })
      }
      case "DELETE faults": {
        yield* Ref.update(store.ref, (state) => ({ ...state, faults: [] }))
        return json(200, { cleared: true })
      }
      case "POST jobs": {
        const text = new TextDecoder().decode(body)
        const decoded = decodeJobRequest(text.trim() === "" ? "{}" : text)
        if (Either.isLeft(decoded)) return json(400, { error: "expected {siteId?, type?}" })
        const state = yield* Ref.get(store.ref)
        const siteId = decoded.right.siteId ?? Catalog.items(state.catalog, Sites.sites)[0]?.id ?? ""
        const job = yield* Jobs.create(store, {
          siteId,
          type: decoded.right.type ?? "RefreshExtract",
          target: Workbooks.defaultTarget(state.catalog, siteId)
        })
        return json(200, { id: job.id })
      }
      case "POST jobs/failures": {
        const decoded = decodeJobFailures(new TextDecoder().decode(body))
        if (Either.isLeft(decoded)) return json(400, { error: "expected {times, notes?}" })
        const { notes, times } = decoded.right
        yield* Ref.update(store.ref, (state) => ({ ...state, catalog: Jobs.planFailures(state.catalog, times, notes) }))
        return json(200, { failing: times })
      }
      case "PUT jobs/duration": {
        const decoded = decodeJobDuration(new TextDecoder().decode(body))
        if (Either.isLeft(decoded)) return json(400, { error: "expected {millis}" })
        const { millis } = decoded.right
        yield* Ref.update(store.ref, (state) => ({ ...state, catalog: Jobs.planDuration(state.catalog, millis) }))
        return json(200, { millis })
      }
      default:
        return json(404, { error: `unknown hook ${target}` })
    }
  })
