/**
 * Test hooks outside `/api`, as JSON: `GET /_emulator/sessions` ({"active": N}),
 * `DELETE /_emulator/sessions` (expire all), `GET /_emulator/stats`, `POST /_emulator/reset`
 * (restore the fixtures), `POST /_emulator/faults` (queue a fault) and `DELETE /_emulator/faults`.
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
      default:
        return json(404, { error: `unknown hook ${target}` })
    }
  })
