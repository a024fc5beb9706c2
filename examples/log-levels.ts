/**
 * Logging levels. The SDK logs through Effect's logger, never a secret: sign-in, site switches,
 * re-sign-ins and sign-out, and with Debug more detail. `Logger.withMinimumLogLevel` sets how
 * much is printed, for the whole program or a part of it. The level here comes from
 * TABLEAU_LOG_LEVEL (All, Trace, Debug, Info, Warning, Error, Fatal, None; default Info).
 *
 *   TABLEAU_LOG_LEVEL=Debug TABLEAU_SERVER_URL=https://tableau.example.com \
 *   TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... npx tsx log-levels.ts
 *   (or, against the bundled emulator: npm run example -w examples -- log-levels)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Effect, Layer, Logger, LogLevel } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const listed = Effect.gen(function*() {
  const { pagination } = yield* Workbooks.page({ pageSize: 10 })
  yield* Effect.logDebug(`asked for 10 workbooks, the site has ${pagination.totalAvailable}`)
  yield* Effect.logInfo(`${pagination.totalAvailable} workbooks`)
})

const program = Effect.gen(function*() {
  const level = yield* Config.withDefault(Config.logLevel("TABLEAU_LOG_LEVEL"), LogLevel.Info)
  yield* Effect.logInfo(`Minimum log level: ${level.label}`)

  // The session and the listing log at the chosen level...
  yield* listed.pipe(Effect.provide(TableauLive), Logger.withMinimumLogLevel(level))

  // ...and a part of the program can ask for more (Debug) or less (Warning) than the rest.
  yield* Effect.logInfo("The same again, with Debug for this part only:")
  yield* listed.pipe(Effect.provide(TableauLive), Logger.withMinimumLogLevel(LogLevel.Debug))
  yield* Effect.logInfo("And with Warning: nothing below it is printed")
  yield* listed.pipe(Effect.provide(TableauLive), Logger.withMinimumLogLevel(LogLevel.Warning))
})

TableauRuntime.runMain(program)
