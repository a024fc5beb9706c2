/**
 * Where the examples run: the Tableau server named by TABLEAU_SERVER_URL (with the TABLEAU_*
 * credential variables), or else an emulator started in-process on a loopback port, signed in
 * to with its fixture credentials.
 */
import { FetchHttpClient } from "@effect/platform"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Context, Effect, Layer, Option } from "effect"
import { Config, type ConfigError } from "effect"
import { Credentials, type TableauError, TableauServer } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import * as url from "node:url"

export type Kind = "pat" | "password" | "jwt" | "impersonation"

export interface Service {
  /** The server's root URL. */
  readonly url: string
  /** The running emulator, when the examples run against one. */
  readonly emulator: Option.Option<EmulatorServer.Server>
  /** Credentials of a kind: from the environment, or the emulator's fixtures. */
  readonly credentials: (kind: Kind) => Effect.Effect<Credentials.Credentials, Error | ConfigError.ConfigError>
  /** The HTTP client to use (plain fetch; the custom-CA example brings its own). */
  readonly http: Layer.Layer<HttpClient.HttpClient>
}

export class Target extends Context.Tag("examples/Target")<Target, Service>() {}

const fixtureCredentials = (kind: Kind, site = ""): Credentials.Credentials => {
  const { admin, alice, connectedApp } = Fixtures.defaults
  switch (kind) {
    case "pat":
      return Credentials.personalAccessToken({ tokenName: admin.patName, tokenSecret: admin.patSecret, site })
    case "password":
      return Credentials.usernamePassword({ username: alice.username, password: alice.password, site })
    case "jwt":
      return Credentials.connectedApp({ ...connectedApp, username: alice.username, site })
    case "impersonation":
      return Credentials.usernamePassword({
        username: admin.username,
        password: admin.password,
        site,
        impersonateUserId: Fixtures.ids.users.alice
      })
  }
}

/** The target of an emulator that is already running (the integration tests use this). */
export const fromEmulator = (server: EmulatorServer.Server): Service => ({
  url: server.url,
  emulator: Option.some(server),
  credentials: (kind) => Effect.succeed(fixtureCredentials(kind)),
  http: FetchHttpClient.layer
})

/** TABLEAU_SERVER_URL and the credential variables when set; else a fresh emulator on loopback. */
export const layer: Layer.Layer<Target, EmulatorServer.ServeError> = Layer.scoped(
  Target,
  Effect.gen(function*() {
    const serverUrl = yield* Effect.orDie(Config.option(Config.string("TABLEAU_SERVER_URL")))
    if (Option.isSome(serverUrl)) {
      return Target.of({
        url: serverUrl.value,
        emulator: Option.none(),
        credentials: (kind) =>
          kind === "impersonation"
            ? Effect.flatMap(Credentials.config, (c) =>
              c.impersonateUserId === undefined
                ? Effect.fail(new Error("set TABLEAU_IMPERSONATE_USER_ID to the LUID of the user to impersonate"))
                : Effect.succeed(c))
            : Credentials.config,
        http: FetchHttpClient.layer
      })
    }
    const server = yield* EmulatorServer.serve({ port: 0 })
    yield* Effect.logDebug(`No TABLEAU_SERVER_URL: using the embedded Tableau emulator at ${server.url}`)
    return Target.of(fromEmulator(server))
  })
)

/** The server layer of the target, with the given options on top. */
export const serverLayer = (
  options: Partial<TableauServer.Options> = {}
): Layer.Layer<TableauServer.TableauServer, TableauError.TableauError, Target> =>
  Layer.unwrapEffect(
    Effect.map(Target, (target) =>
      TableauServer.layer({ url: target.url, apiVersion: "auto", ...options }).pipe(Layer.provide(target.http)))
  )

/** Runs an example's program when its file is the one node was started with. */
export const runIfMain = <A, E>(moduleUrl: string, program: Effect.Effect<A, E, Target>): void => {
  if (process.argv[1] === undefined || url.pathToFileURL(process.argv[1]).href !== moduleUrl) return
  Effect.runPromiseExit(Effect.provide(program, layer)).then((exit) => {
    if (exit._tag === "Failure") {
      console.error(String(exit.cause))
      process.exitCode = 1
    }
  })
}
