/**
 * Captures the log lines of the current scope with a logger added for it.
 */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import type * as Scope from "effect/Scope"

export interface LogLine {
  readonly level: string
  readonly message: string
}

const render = (message: unknown): string =>
  Array.isArray(message) ? message.map((part) => String(part)).join(" ") : String(message)

/** Adds a logger for the rest of the scope; returns the lines it saw (a live array). */
export const captureLogs: Effect.Effect<ReadonlyArray<LogLine>, never, Scope.Scope> = Effect.gen(function*() {
  const lines: Array<LogLine> = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push({ level: logLevel.label, message: render(message) })
  })
  yield* Effect.locallyScopedWith(FiberRef.currentLoggers, HashSet.add(logger))
  return lines
})

export const warnings = (lines: ReadonlyArray<LogLine>): ReadonlyArray<string> =>
  lines.filter((line) => line.level === "WARN").map((line) => line.message)
