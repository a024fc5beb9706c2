/**
 * Shared pieces of the reliability suite (R1-R4): what counts as a typed failure, a logger and a
 * tracer that keep everything in memory, and a client wrapper that watches sign-outs.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type { TableauEmulator } from "@tableau-effect/emulator"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as util from "node:util"

// ---------------------------------------------------------------------------------------------
// Typed failures
// ---------------------------------------------------------------------------------------------

/** The `_tag` of every member of the `TableauError` union. */
export const TABLEAU_ERROR_TAGS: ReadonlySet<string> = new Set([
  "TableauApiError",
  "TableauRedirectError",
  "TableauDecodeError",
  "TableauTransportError",
  "TableauUrlError",
  "TableauVersionError",
  "TableauUnsupportedError",
  "TableauCredentialsError",
  "TableauSessionConflictError",
  "TableauRequestError"
])

export const isTableauError = (u: unknown): boolean =>
  typeof u === "object" && u !== null && TABLEAU_ERROR_TAGS.has((u as { readonly _tag?: unknown })._tag as string)

/**
 * What is wrong with an exit, if anything: a defect, or a failure that is not a `TableauError`.
 * Success, typed failures and interruption are all fine.
 */
export const exitProblems = (exit: Exit.Exit<unknown, unknown>): ReadonlyArray<string> => {
  if (Exit.isSuccess(exit)) return []
  const problems: Array<string> = []
  for (const defect of Cause.defects(exit.cause)) {
    problems.push(`a defect escaped: ${util.inspect(defect, { depth: 3 }).slice(0, 600)}`)
  }
  for (const failure of Cause.failures(exit.cause)) {
    if (!isTableauError(failure)) {
      problems.push(`a failure that is not a TableauError: ${util.inspect(failure).slice(0, 300)}`)
    }
  }
  return problems
}

export type Outcome = "success" | "typed failure" | "interrupted"

export const outcomeOf = (exit: Exit.Exit<unknown, unknown>): Outcome =>
  Exit.isSuccess(exit) ? "success" : Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "typed failure"

// ---------------------------------------------------------------------------------------------
// A logger that keeps every line, formatted the ways an application would print it
// ---------------------------------------------------------------------------------------------

export interface CapturedLogs {
  /** Each log, as the string, logfmt and JSON loggers print it, plus `util.inspect` of its parts. */
  readonly lines: Array<string>
  /** The cause attached to each log (sign-out failures are logged with theirs). */
  readonly causes: Array<Cause.Cause<unknown>>
  readonly logger: Logger.Logger<unknown, void>
}

export const captureLogs = (): CapturedLogs => {
  const lines: Array<string> = []
  const causes: Array<Cause.Cause<unknown>> = []
  const logger = Logger.make<unknown, void>((options) => {
    if (!Cause.isEmpty(options.cause)) causes.push(options.cause)
    lines.push(
      Logger.stringLogger.log(options),
      Logger.logfmtLogger.log(options),
      Logger.jsonLogger.log(options),
      util.inspect(
        {
          level: options.logLevel.label,
          message: options.message,
          annotations: Object.fromEntries(HashMap.toEntries(options.annotations)),
          spans: List.toArray(options.spans).map((span) => span.label),
          cause: Cause.pretty(options.cause, { renderErrorCause: true })
        },
        { depth: 10 }
      )
    )
  })
  return { lines, causes, logger }
}

/** The defects carried by logged causes: a defect swallowed by a finalizer still shows here. */
export const loggedDefects = (logs: CapturedLogs): ReadonlyArray<string> =>
  logs.causes.flatMap((cause) => Array.from(Cause.defects(cause), (d) => util.inspect(d, { depth: 3 }).slice(0, 600)))

// ---------------------------------------------------------------------------------------------
// A tracer that keeps spans in memory: names, attributes, events, links and how they ended
// ---------------------------------------------------------------------------------------------

export interface RecordedSpan {
  readonly name: string
  readonly kind: Tracer.SpanKind
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> | undefined }>
  readonly links: Array<Tracer.SpanLink>
  ended?: Exit.Exit<unknown, unknown>
}

export const memoryTracer = () => {
  const spans: Array<RecordedSpan> = []
  let next = 0
  const tracer = Tracer.make({
    span(name, parent, context, links, startTime, kind) {
      const recorded: RecordedSpan = { name, kind, attributes: new Map(), events: [], links: [...links] }
      spans.push(recorded)
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      const id = ++next
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${id}`,
        traceId: Option.match(parent, { onNone: () => `trace-${id}`, onSome: (p) => p.traceId }),
        parent,
        context,
        get status() {
          return status
        },
        attributes: recorded.attributes,
        links: recorded.links,
        sampled: true,
        kind,
        end(endTime, exit) {
          status = { _tag: "Ended", startTime, endTime, exit }
          recorded.ended = exit
        },
        attribute(key, value) {
          recorded.attributes.set(key, value)
        },
        event(eventName, _startTime, attributes) {
          recorded.events.push({ name: eventName, attributes })
        },
        addLinks(more) {
          recorded.links.push(...more)
        }
      }
      return span
    },
    context: (f) => f()
  })
  /** Everything the spans hold, as text: what an exporter would send. */
  const text = (): string =>
    spans.map((span) =>
      [
        span.name,
        util.inspect(Object.fromEntries(span.attributes), { depth: 10 }),
        JSON.stringify(Object.fromEntries(span.attributes), (_, v) => typeof v === "bigint" ? String(v) : v),
        util.inspect(span.events, { depth: 10 }),
        util.inspect(span.links.map((l) => l.attributes), { depth: 10 }),
        // The status an exporter sends: ok, or the failure (an OpenTelemetry exporter records the
        // cause's errors as exception events). A success value is not exported.
        span.ended === undefined
          ? "started"
          : Exit.isSuccess(span.ended)
          ? "ok"
          : util.inspect(span.ended, { depth: 10 }),
        span.ended === undefined || Exit.isSuccess(span.ended)
          ? ""
          : Cause.pretty(span.ended.cause, { renderErrorCause: true })
      ].join("\n")
    ).join("\n")
  return { tracer, spans, text }
}

// ---------------------------------------------------------------------------------------------
// The in-memory emulator, answering as a socket would
// ---------------------------------------------------------------------------------------------

/**
 * The in-memory emulator answers through promises only: a program looping on it keeps the
 * microtask queue busy, and no timer (a schedule, an interruption after some milliseconds, the
 * SDK's own timeouts) fires until it stops. A real answer arrives as an I/O event; this hands
 * each answer over on the next turn of the event loop (setImmediate), as a socket would.
 */
export const answerAsIo = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(client, (effect) => Effect.zipLeft(effect, nextTurn))

const nextTurn = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

// ---------------------------------------------------------------------------------------------
// Sign-outs, as the emulator saw them
// ---------------------------------------------------------------------------------------------

export interface SignOutAttempt {
  readonly token: string
  /** Whether the emulator held the token as a live session when the sign-out was sent. */
  readonly liveBefore: boolean
  /** Whether it still did once the sign-out had its answer (or failed). */
  readonly liveAfter: boolean
  /** Whether the request was cut short (the SDK's timeout) rather than answered or failed. */
  readonly cut: boolean
}

/**
 * Wraps the client the SDK is given (so it sees the request as it leaves, token included) and
 * records, for each sign-out, whether its token was a live session before and after.
 */
export const watchSignOuts = (
  client: HttpClient.HttpClient,
  emulator: TableauEmulator.Service,
  attempts: Array<SignOutAttempt>
): HttpClient.HttpClient =>
  HttpClient.transform(client, (effect, request) => {
    if (!/\/auth\/signout$/i.test(new URL(request.url).pathname)) return effect
    const token = request.headers["x-tableau-auth"] ?? ""
    const isLive = Effect.map(emulator.sessions, (sessions) => sessions.some((s) => s.token === token))
    return Effect.flatMap(isLive, (liveBefore) =>
      effect.pipe(
        Effect.onExit((exit) =>
          Effect.flatMap(isLive, (liveAfter) =>
            Effect.sync(() =>
              attempts.push({
                token,
                liveBefore,
                liveAfter,
                cut: Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)
              })
            ))
        )
      ))
  })

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

/** The secrets (at least 6 characters long, to avoid chance matches) found in a text. */
export const leaks = (text: string, secrets: Iterable<string>): Array<string> =>
  Array.from(new Set(secrets)).filter((secret) => secret.length >= 6 && text.includes(secret))

/** Everything a program could print about a value: inspect, String, JSON, and Effect's toJSON. */
export const renderings = (value: unknown): string => {
  const parts = [util.inspect(value, { depth: 12 }), safe(() => String(value)), safe(() => JSON.stringify(value))]
  parts.push(safe(() => Inspectable.format(value)))
  if (Exit.isExit(value) && Exit.isFailure(value)) parts.push(Cause.pretty(value.cause, { renderErrorCause: true }))
  if (value instanceof Error) parts.push(value.message, value.stack ?? "")
  return parts.join("\n")
}

const safe = (f: () => string | undefined): string => {
  try {
    return f() ?? ""
  } catch (error) {
    return `<${String(error)}>`
  }
}
