/**
 * Configuration from the environment: `TableauServer.layerConfig()` reads TABLEAU_SERVER_URL and
 * TABLEAU_API_VERSION, `TableauSession.layerConfig()` TABLEAU_SITE and one kind of credentials.
 * A missing or ambiguous setting is a `ConfigError` in the layer's error channel, never a crash.
 * The same layers read any other `ConfigProvider`: here a map, to show what an empty
 * environment gives, and a prefixed environment (STAGING_TABLEAU_SERVER_URL, ...).
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... \
 *   npx tsx layer-config.ts
 *   (or, against the bundled emulator: npm run example -w examples -- layer-config)
 */
import { FetchHttpClient } from "@effect/platform"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { ConfigProvider, Effect, Layer } from "effect"

const TableauLive = TableauSession.layerConfig().pipe(
  Layer.provide(TableauServer.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const signedIn = Effect.provide(TableauSession.state, TableauLive)

const program = Effect.gen(function*() {
  // 1. The process environment (Effect's default ConfigProvider).
  const { site, userId } = yield* signedIn
  yield* Effect.logInfo(`From the environment: signed in to site "${site}" as user ${userId}, and out again`)

  // 2. Nothing set: the ConfigError says which variables to set.
  const empty = yield* signedIn.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())), Effect.flip)
  yield* Effect.logInfo(`With nothing set: ${empty._tag}: ${empty.message}`)

  // 3. Two servers in one environment: STAGING_TABLEAU_* for the second (unset here, so it
  //    falls back to the process environment's own variables).
  const staging = ConfigProvider.fromEnv().pipe(
    ConfigProvider.nested("STAGING"),
    ConfigProvider.orElse(() => ConfigProvider.fromEnv())
  )
  const other = yield* signedIn.pipe(Effect.withConfigProvider(staging))
  yield* Effect.logInfo(`Through STAGING_TABLEAU_* (or the plain variables): signed in as user ${other.userId}`)
})

TableauRuntime.runMain(program)
