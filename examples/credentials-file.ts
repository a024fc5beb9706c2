/**
 * Credentials from a JSON file, decoded with `Credentials.decode`: untrusted input becomes
 * typed credentials, or a `TableauCredentialsError` that lists every problem by path and never
 * quotes a value. The file is TABLEAU_CREDENTIALS_FILE, by default `credentials.sample.json`
 * beside this example (the bundled emulator's fake admin token). Keep real files out of git.
 *
 *   TABLEAU_SERVER_URL=https://tableau.example.com TABLEAU_CREDENTIALS_FILE=./tableau.json \
 *   npx tsx credentials-file.ts
 *   (or, against the bundled emulator: npm run example -w examples -- credentials-file)
 */
import { FetchHttpClient } from "@effect/platform"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauRuntime } from "@tableau-effect/node"
import { Config, Data, Effect, Layer } from "effect"
import * as fs from "node:fs/promises"
import * as url from "node:url"

class CredentialsFileError
  extends Data.TaggedError("CredentialsFileError")<{ readonly path: string; readonly reason: string }>
{
  override get message() {
    return `Cannot read the credentials file ${this.path}: ${this.reason}; set TABLEAU_CREDENTIALS_FILE to a JSON file`
  }
}

const sample = url.fileURLToPath(new URL("credentials.sample.json", import.meta.url))

const readJson = (path: string) =>
  Effect.tryPromise({
    try: async () => JSON.parse(await fs.readFile(path, "utf8")) as unknown,
    catch: (cause) => new CredentialsFileError({ path, reason: cause instanceof Error ? cause.message : String(cause) })
  })

const ServerLive = TableauServer.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))

const program = Effect.gen(function*() {
  const path = yield* Config.withDefault(Config.string("TABLEAU_CREDENTIALS_FILE"), sample)
  const credentials = yield* Effect.flatMap(readJson(path), Credentials.decode)
  // Secret-free: the kind, the name and the site.
  yield* Effect.logInfo(`Read ${Credentials.describe(credentials)} from ${path}`)

  const { userId } = yield* Effect.provide(TableauSession.state, TableauSession.layer(credentials))
  yield* Effect.logInfo(`Signed in as user ${userId}, and out again`)

  // What a broken file gives: every problem by path, no value quoted.
  const broken = yield* Effect.flip(Credentials.decode({ _tag: "PersonalAccessToken", tokenName: " ci ", site: 3 }))
  yield* Effect.logInfo(`A broken file fails with ${broken._tag}: ${broken.message}`)
})

TableauRuntime.runMain(Effect.provide(program, ServerLive))
