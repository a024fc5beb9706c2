/**
 * What `npm start` and `npm run examples` do, and what the tests reuse: run an example in its
 * own Node process, either against the server in TABLEAU_SERVER_URL (with the caller's TABLEAU_*
 * variables, untouched) or against a fresh bundled emulator on a loopback port, with the
 * variables that sign in to its fixtures set for the child. The examples themselves know
 * nothing of this: they read TABLEAU_* like any program would.
 */
import { Fixtures } from "@tableau-effect/emulator"
import { EmulatorServer } from "@tableau-effect/emulator"
import { Data, Effect, Either } from "effect"
import type { Scope } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import * as url from "node:url"
import { bundle } from "./Bundle.js"

/** Every example, in the order `npm run examples` runs them. */
export const examples = [
  "hello-server.ts",
  "pat.ts",
  "username-password.ts",
  "jwt.ts",
  "impersonation.ts",
  "layer-config.ts",
  "credentials-file.ts",
  "sign-out.ts",
  "scoped-block.ts",
  "switch-site.ts",
  "workbooks-stream.ts",
  "users.ts",
  "projects.ts",
  "log-levels.ts",
  "tracing.ts",
  "redirect-405.ts",
  "custom-ca.ts"
] as const

export type Example = (typeof examples)[number]

export const directory = path.dirname(path.dirname(url.fileURLToPath(import.meta.url)))

/** "pat", "pat.ts" or "examples/pat.ts" to the example's file name. */
export const resolve = (name: string): Example | undefined => {
  const base = path.basename(name)
  const file = base.endsWith(".ts") ? base : `${base}.ts`
  return examples.find((example) => example === file)
}

// ---------------------------------------------------------------------------------------------
// The emulator's side of each example
// ---------------------------------------------------------------------------------------------

const { admin, alice, connectedApp } = Fixtures.defaults

const pat = { TABLEAU_PAT_NAME: admin.patName, TABLEAU_PAT_SECRET: admin.patSecret }

/** The variables a user may set to change what the emulator run does, kept when set. */
const tunable = ["TABLEAU_SWITCH_SITE", "TABLEAU_LOG_LEVEL"] as const

interface Setup {
  readonly serve?: EmulatorServer.ServeOptions
  /** The credential (and other) variables of the example, on top of TABLEAU_SERVER_URL. */
  readonly env: Readonly<Record<string, string>>
  /** The https examples: TABLEAU_SERVER_URL is the redirecting http listener, TABLEAU_CA_FILE is set. */
  readonly redirecting?: boolean
}

const setups: Record<Example, Setup> = {
  "hello-server.ts": { env: {} },
  "pat.ts": { env: pat },
  "username-password.ts": { env: { TABLEAU_USERNAME: alice.username, TABLEAU_PASSWORD: alice.password } },
  "jwt.ts": {
    env: {
      TABLEAU_CONNECTED_APP_CLIENT_ID: connectedApp.clientId,
      TABLEAU_CONNECTED_APP_SECRET_ID: connectedApp.secretId,
      TABLEAU_CONNECTED_APP_SECRET_VALUE: connectedApp.secretValue,
      TABLEAU_USERNAME: alice.username
    }
  },
  "impersonation.ts": {
    env: {
      TABLEAU_USERNAME: admin.username,
      TABLEAU_PASSWORD: admin.password,
      TABLEAU_IMPERSONATE_USERNAME: alice.username
    }
  },
  "layer-config.ts": { env: pat },
  "credentials-file.ts": { env: {} }, // its default file holds the emulator's admin PAT
  "sign-out.ts": { env: pat },
  "scoped-block.ts": { env: { ...pat, TABLEAU_SWITCH_SITE: Fixtures.defaults.sites.marketing } },
  "switch-site.ts": { env: { ...pat, TABLEAU_SWITCH_SITE: Fixtures.defaults.sites.marketing } },
  "workbooks-stream.ts": { env: pat },
  "users.ts": { env: pat },
  "projects.ts": { env: pat },
  "log-levels.ts": { env: pat },
  "tracing.ts": { env: pat },
  "redirect-405.ts": { serve: { redirectHttp: true }, env: pat, redirecting: true },
  "custom-ca.ts": { serve: { https: "self-signed" }, env: pat }
}

const isTableauVariable = (name: string) => name.startsWith("TABLEAU_") || name === "NODE_EXTRA_CA_CERTS"

/** The caller's environment without any TABLEAU_* variable, but with those in `keep`. */
const withoutTableau = (env: NodeJS.ProcessEnv, keep: ReadonlyArray<string>): Record<string, string> => {
  const clean: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (!isTableauVariable(name) || keep.includes(name))) clean[name] = value
  }
  return clean
}

/** A scoped emulator for the example and the child's environment that points at it. */
export const emulatorFor = (
  example: Example,
  base: NodeJS.ProcessEnv = process.env
): Effect.Effect<
  { readonly server: EmulatorServer.Server; readonly env: Record<string, string> },
  EmulatorServer.ServeError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const setup = setups[example]
    const server = yield* EmulatorServer.serve({ port: 0, ...setup.serve })
    const ca = server.caPem === undefined ? {} : { TABLEAU_CA_FILE: yield* writeCa(server.caPem) }
    const serverUrl = setup.redirecting === true && server.httpUrl !== undefined ? server.httpUrl : server.url
    const env = {
      ...setup.env,
      ...withoutTableau(base, tunable),
      TABLEAU_SERVER_URL: serverUrl,
      ...ca
    }
    return { server, env }
  })

const writeCa = (pem: string): Effect.Effect<string, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "tableau-examples-"))),
    (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
  ).pipe(Effect.flatMap((dir) =>
    Effect.as(Effect.promise(() => fs.writeFile(path.join(dir, "ca.pem"), pem)), path.join(dir, "ca.pem"))
  ))

// ---------------------------------------------------------------------------------------------
// Running one example
// ---------------------------------------------------------------------------------------------

/** How a child process ended, and what it printed. */
export interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the example in a child process with exactly `env`; `echo` forwards its output as it
 * comes. The example runs as a script bundled from its source beside build/ (Bundle.ts: the
 * workspace's sources in it, effect and the other packages from node_modules), which starts in
 * less than half the CPU time of `node --import tsx` on the .ts file. If the caller is
 * interrupted (Ctrl-C on the runner), the child gets SIGINT and the runner waits for it, so
 * that its sign-out reaches the server before the emulator closes.
 */
export const spawnExample = (
  example: Example,
  env: Record<string, string>,
  options: { readonly echo?: boolean; readonly args?: ReadonlyArray<string> } = {}
): Effect.Effect<Ended> =>
  Effect.acquireUseRelease(
    Effect.either(bundled(example)),
    Either.match({
      onLeft: (message) => {
        if (options.echo === true) process.stderr.write(`${message}\n`)
        return Effect.succeed<Ended>({ code: 1, signal: null, stdout: "", stderr: message })
      },
      onRight: (script) => spawnScript(script, env, options)
    }),
    (script) => Either.isRight(script) ? Effect.promise(() => fs.rm(script.right, { force: true })) : Effect.void
  )

const bundled = (example: Example): Effect.Effect<string, string> => {
  const script = path.join(directory, "build", `${path.basename(example, ".ts")}.${process.pid}.mjs`)
  return Effect.tryPromise({
    try: () => bundle(path.join(directory, example), script, { asIfAtSource: true }).then(() => script),
    catch: (error) => `${example} does not compile: ${error instanceof Error ? error.message : String(error)}`
  })
}

const spawnScript = (
  script: string,
  env: Record<string, string>,
  options: { readonly echo?: boolean; readonly args?: ReadonlyArray<string> }
): Effect.Effect<Ended> =>
  Effect.async<Ended>((resume) => {
    const child = spawn(process.execPath, [script, ...(options.args ?? [])], {
      cwd: directory,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a Ctrl-C in the terminal reaches the runner only, which passes one
      // SIGINT on. Two (the terminal's and the runner's) would end the child before its sign-out.
      detached: true
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (options.echo === true) process.stdout.write(chunk)
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
      if (options.echo === true) process.stderr.write(chunk)
    })
    const ended = new Promise<Ended>((done) =>
      child.on("close", (code, signal) => done({ code, signal, stdout, stderr }))
    )
    void ended.then((result) => resume(Effect.succeed(result)))
    return Effect.promise(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT")
      return ended
    })
  })

/** An example that exited with something else than 0. */
export class ExamplesFailed extends Data.TaggedError("ExamplesFailed")<{ readonly failed: ReadonlyArray<string> }> {
  override get message(): string {
    return `${this.failed.length} example(s) failed: ${this.failed.join(", ")}`
  }
}

/**
 * Runs the example against a fresh emulator, inside the caller's scope (which keeps the
 * emulator open so that a test can look at it afterwards).
 */
export const runOnEmulator = (
  example: Example,
  options: { readonly echo?: boolean; readonly base?: NodeJS.ProcessEnv; readonly args?: ReadonlyArray<string> } = {}
): Effect.Effect<
  { readonly server: EmulatorServer.Server; readonly env: Record<string, string>; readonly ended: Ended },
  EmulatorServer.ServeError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const { env, server } = yield* emulatorFor(example, options.base)
    const ended = yield* spawnExample(example, env, options)
    return { server, env, ended }
  })
