/**
 * Running a program as a Node process: `runMain` prints a failure as its message, sets the exit
 * code, and turns Ctrl-C (SIGINT) and SIGTERM into an interruption, so that every finalizer,
 * the session's sign-out among them, runs before the process exits.
 *
 * @since 0.1.0
 */
import * as Runtime from "@effect/platform/Runtime"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * Options of `runMain`:
 * - `disablePrettyLogger`: keep Effect's default logger (logfmt lines) instead of the pretty one;
 * - `disableErrorReporting`: print nothing on failure (the exit code is still set).
 *
 * @since 0.1.0
 * @category Models
 */
export interface RunMainOptions {
  readonly disablePrettyLogger?: boolean | undefined
  readonly disableErrorReporting?: boolean | undefined
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

// "@tableau-effect/client/TableauApiError" reads as "TableauApiError".
const shortTag = (tag: string): string => tag.slice(tag.lastIndexOf("/") + 1)

const describeFailure = (error: unknown): string => {
  if (typeof error === "object" && error !== null) {
    const tag = (error as { readonly _tag?: unknown })._tag
    const message = (error as { readonly message?: unknown }).message
    const name = typeof tag === "string" ? shortTag(tag) : (error as { readonly name?: unknown }).name
    if (typeof message === "string" && message.length > 0) {
      return typeof name === "string" ? `${name}: ${message}` : message
    }
  }
  return String(error)
}

/**
 * What `runMain` prints for a failed program: nothing when it was only interrupted; each typed
 * failure (a `TableauError`, a `ConfigError`, any `E`) as its tag and message, without stack
 * frames, since the message already says what to do; the whole cause, pretty printed, when a
 * defect is in it, because a defect is a bug whose stack is the useful part.
 *
 * @example
 * ```ts
 * import { Cause } from "effect"
 * import { TableauRuntime } from "@tableau-effect/node"
 *
 * console.log(TableauRuntime.report(Cause.fail({ _tag: "Oops", message: "try again" }))) // "Oops: try again"
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const report = <E>(cause: Cause.Cause<E>): string => {
  if (Cause.isInterruptedOnly(cause)) return ""
  if (Cause.isDie(cause)) return Cause.pretty(cause, { renderErrorCause: true })
  return Array.from(Cause.failures(cause), describeFailure).join("\n")
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

// Node's convention for a process ended by a signal: 128 + the signal's number.
const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const

type Signal = keyof typeof signalExitCodes

// @effect/platform-node's runMain, without depending on it: the same keep-alive, signals and
// teardown, with the exit code of the signal that ended the program.
const nodeRunMain: Runtime.RunMain = Runtime.makeRunMain(({ fiber, teardown }) => {
  // The fiber alone does not keep Node's event loop alive while it waits (Effect.never, a long
  // sleep): this timer does, until the fiber ends.
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1)
  let received: Signal | undefined
  const onSignal = (signal: Signal) => {
    received = signal
    // A second Ctrl-C gets Node's default: the process ends at once.
    removeListeners()
    fiber.unsafeInterruptAsFork(fiber.id())
  }
  const onSigint = () => onSignal("SIGINT")
  const onSigterm = () => onSignal("SIGTERM")
  const removeListeners = () => {
    process.removeListener("SIGINT", onSigint)
    process.removeListener("SIGTERM", onSigterm)
  }
  process.on("SIGINT", onSigint)
  process.on("SIGTERM", onSigterm)
  fiber.addObserver((exit) => {
    clearInterval(keepAlive)
    removeListeners()
    teardown(exit, (code) => {
      const exitCode = received === undefined ? code : signalExitCodes[received]
      process.exitCode = exitCode
      // After a signal or a failure nothing may keep the process alive (an open socket, a
      // timer of the program's), but what was printed must still get out first (a pipe is
      // asynchronous on some systems); after a success Node ends on its own.
      if (exitCode !== 0) process.stdout.write("", () => process.stderr.write("", () => process.exit(exitCode)))
    })
  })
})

/**
 * Runs a program as the process's main program: a failure is printed as its message on stderr
 * (`TableauApiError: ...`, one or two lines, no FiberFailure and no stack frames; a defect is
 * still printed in full) and sets the exit code to 1; SIGINT and SIGTERM interrupt the program,
 * so that its scopes close (the session signs out) before the process exits with 130 or 143.
 * Logs go through Effect's pretty logger unless `disablePrettyLogger` is set.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Logger, LogLevel } from "effect"
 * import { TableauServer, TableauSession } from "@tableau-effect/client"
 * import { TableauRuntime } from "@tableau-effect/node"
 *
 * const TableauLive = TableauSession.layerConfig().pipe(
 *   Layer.provide(TableauServer.layerConfig()),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * const program = Effect.gen(function*() {
 *   const { userId } = yield* TableauSession.state
 *   yield* Effect.logInfo(`signed in as ${userId}`)
 * })
 *
 * program.pipe(
 *   Effect.provide(TableauLive),
 *   Logger.withMinimumLogLevel(LogLevel.Info),
 *   TableauRuntime.runMain
 * )
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const runMain = <A, E>(program: Effect.Effect<A, E>, options: RunMainOptions = {}): void => {
  const reported = options.disableErrorReporting === true ? program : Effect.tapErrorCause(program, (cause) => {
    const text = report(cause)
    return text === "" ? Effect.void : Console.error(text)
  })
  nodeRunMain(reported, { disableErrorReporting: true, disablePrettyLogger: options.disablePrettyLogger })
}
