/**
 * What the secrets test keeps of a program's run: every log line formatted the ways an
 * application would print it, every span an exporter would send, every rendering of a value.
 * (The same pieces as packages/client/test/reliability/support.ts, which the examples' test
 * project cannot import.)
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as Inspectable from "effect/Inspectable"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as util from "node:util"

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
