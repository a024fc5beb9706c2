/**
 * The examples' runner. `npm start` runs scoped-block.ts, `npm run examples` every example,
 * `npm run example -w examples -- NAME [ARGS]` one of them; each in its own Node process.
 *
 * Without TABLEAU_SERVER_URL each example gets a fresh bundled emulator on a loopback port, and
 * the child process gets the TABLEAU_* variables that sign in to it (TABLEAU_SWITCH_SITE and
 * TABLEAU_LOG_LEVEL are kept when you set them). With TABLEAU_SERVER_URL set, the examples run
 * against that server with your TABLEAU_* variables as they are.
 */
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Console, Effect, Option } from "effect"
import { emulatorFor, type Example, examples, ExamplesFailed, resolve, spawnExample } from "./support/Runner.js"

const realServerHint = "set TABLEAU_SERVER_URL, TABLEAU_SITE and credentials " +
  "(TABLEAU_PAT_NAME + TABLEAU_PAT_SECRET, or TABLEAU_USERNAME + TABLEAU_PASSWORD) to use a real server"

const runOne = (example: Example, target: Option.Option<string>, args: ReadonlyArray<string>) =>
  Option.match(target, {
    onSome: () => spawnExample(example, { ...(process.env as Record<string, string>) }, { echo: true, args }),
    onNone: () =>
      Effect.scoped(Effect.gen(function*() {
        const { env } = yield* emulatorFor(example)
        yield* Effect.logInfo(`Using the bundled Tableau emulator at ${env.TABLEAU_SERVER_URL}; ${realServerHint}`)
        return yield* spawnExample(example, env, { echo: true, args })
      }))
  })

const program = Effect.gen(function*() {
  const [first, ...rest] = process.argv.slice(2)
  const chosen = first === undefined || first === "all" ? undefined : resolve(first)
  if (first !== undefined && first !== "all" && chosen === undefined) {
    return yield* new ExamplesFailed({ failed: [`${first} (no such example; one of ${examples.join(", ")})`] })
  }
  const selected: ReadonlyArray<Example> = chosen === undefined ? examples : [chosen]
  const target = yield* Config.option(Config.nonEmptyString("TABLEAU_SERVER_URL"))
  if (Option.isSome(target)) yield* Effect.logInfo(`Using the server in TABLEAU_SERVER_URL: ${target.value}`)

  const failed: Array<string> = []
  for (const example of selected) {
    if (selected.length > 1) yield* Console.log(`\n=== ${example}`)
    const ended = yield* runOne(example, target, chosen === undefined ? [] : rest)
    if (ended.code !== 0) failed.push(`${example} (exit ${ended.code ?? ended.signal})`)
  }
  if (failed.length > 0) return yield* new ExamplesFailed({ failed })
  if (selected.length > 1) yield* Console.log(`\nAll ${selected.length} examples passed.`)
})

TableauRuntime.runMain(program)
