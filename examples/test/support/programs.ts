/**
 * The examples' programs, in the test's own process. Importing an example hands its program to
 * `TableauRuntime.runMain`; a test file replaces that with `recordRunMain`'s recorder:
 *
 *   vi.mock("@tableau-effect/node", (original) => import("./support/programs.js").then((p) => p.recordRunMain(original)))
 *
 * and `withExampleEnv` gives the program what the runner would give its process: a fresh
 * emulator, the TABLEAU_* variables that point at it, and the arguments.
 */
import type { EmulatorServer } from "@tableau-effect/emulator"
import type * as TableauNodePackage from "@tableau-effect/node"
import { Effect } from "effect"
import type { Scope } from "effect"
import { vi } from "vitest"
import { emulatorFor, type Example, examples } from "../../support/Runner.js"

type Program = Effect.Effect<unknown, unknown>

const recorded: Array<Program> = []

/** The module `@tableau-effect/node` with a `TableauRuntime.runMain` that only records the program. */
export const recordRunMain = async (importOriginal: <T>() => Promise<T>) => {
  const original = await importOriginal<typeof TableauNodePackage>()
  return {
    ...original,
    TableauRuntime: {
      ...original.TableauRuntime,
      runMain: (program: Program) => {
        recorded.push(program)
      }
    }
  }
}

/** Imports every example and keeps the program it handed to runMain. */
export const loadPrograms = async (): Promise<ReadonlyMap<Example, Program>> => {
  const programs = new Map<Example, Program>()
  for (const example of examples) {
    recorded.length = 0
    await import(/* @vite-ignore */ `../../${example}`)
    const program = recorded.pop()
    if (program === undefined) throw new Error(`${example} did not call TableauRuntime.runMain`)
    programs.set(example, program)
  }
  return programs
}

/**
 * For the scope: an emulator for the example, the process environment holding exactly the
 * TABLEAU_* variables the runner would set (on top of `base`), and `args` as the arguments.
 */
export const withExampleEnv = (
  example: Example,
  options: { readonly args?: ReadonlyArray<string>; readonly base?: NodeJS.ProcessEnv } = {}
): Effect.Effect<
  { readonly server: EmulatorServer.Server; readonly env: Record<string, string> },
  EmulatorServer.ServeError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const prepared = yield* emulatorFor(example, options.base ?? {})
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const argv = process.argv
        for (const name of Object.keys(process.env)) if (name.startsWith("TABLEAU_")) vi.stubEnv(name, undefined)
        for (const [name, value] of Object.entries(prepared.env)) vi.stubEnv(name, value)
        process.argv = [argv[0] ?? "node", example, ...(options.args ?? [])]
        return argv
      }),
      (argv) =>
        Effect.sync(() => {
          process.argv = argv
          vi.unstubAllEnvs()
        })
    )
    return prepared
  })
