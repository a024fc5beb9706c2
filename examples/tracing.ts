/**
 * Tracing. Every SDK call runs in a span (`tableau.signIn`, `tableau.request`,
 * `tableau.workbooks.list`, `tableau.signOut`, ...) with method, path, API version, site id and
 * status as attributes, and never a secret. Any Effect tracer receives them (for OpenTelemetry:
 * `@effect/opentelemetry`); this one, a few lines on top of Effect's own, prints each span when
 * it ends, indented under its parent.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx tracing.ts
 *   (or, against the bundled emulator: npm run example -w examples -- tracing)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Effect, Exit, Layer, Option, Tracer } from "effect"

/** Effect's own tracer, printing "name (ms, outcome) attributes" as each span ends. */
const printingTracer = (inner: Tracer.Tracer): Tracer.Tracer =>
  Tracer.make({
    context: (f, fiber) => inner.context(f, fiber),
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = inner.span(name, parent, context, links, startTime, kind, options)
      const depth = (p: Option.Option<Tracer.AnySpan>): number =>
        Option.match(p, { onNone: () => 0, onSome: (s) => 1 + (s._tag === "Span" ? depth(s.parent) : 0) })
      const indent = "  ".repeat(depth(parent))
      const end = span.end.bind(span)
      span.end = (endTime, exit) => {
        end(endTime, exit)
        const ms = (Number(endTime - startTime) / 1e6).toFixed(1)
        const attributes = Array.from(span.attributes, ([key, value]) => `${key}=${String(value)}`).join(" ")
        console.log(`${indent}${name} (${ms} ms, ${Exit.isSuccess(exit) ? "ok" : "failed"}) ${attributes}`.trimEnd())
      }
      return span
    }
  })

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const { items } = yield* Workbooks.page({ pageSize: 5 })
  yield* Effect.logInfo(`Listed ${items.length} workbooks`)
}).pipe(Effect.withSpan("example.listWorkbooks"))

TableauRuntime.runMain(
  Effect.gen(function*() {
    const tracer = printingTracer(yield* Effect.tracer)
    yield* Effect.provide(program, TableauLive).pipe(Effect.withSpan("example.main"), Effect.withTracer(tracer))
  })
)
