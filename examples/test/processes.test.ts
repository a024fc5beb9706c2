import { describe, expect, it } from "@effect/vitest"
import { EmulatorServer, Fault, Fixtures } from "@tableau-effect/emulator"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import { compileOnce } from "../../test-support/compile.js"
import { directory, type Ended } from "../support/Runner.js"

// The runner and the workspace sources it imports compiled once for the file into one script
// (see test-support/compile.ts); the examples it starts still run through tsx, as `npm start`
// runs the runner. In build/, so that the runner finds the examples one directory up, as from
// support/Runner.ts.
const runner = compileOnce(path.join(directory, "run-all.ts"), path.join(directory, "build"))

// The examples as real processes: what `npm start` prints, the runner against a server given in
// TABLEAU_SERVER_URL. (What runMain makes of a failure or a signal: packages/node/test/TableauRuntime.test.ts.)
const withoutTableau = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] =>
      entry[1] !== undefined && !entry[0].startsWith("TABLEAU_")
    )
  )

/** Runs a command; when its stdout first contains `signalOn.text`, sends it `signalOn.signal`. */
const spawned = (
  command: string,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  cwd: string,
  signalOn?: { readonly text: string; readonly signal: NodeJS.Signals }
) =>
  Effect.async<Ended>((resume) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let sent = false
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (signalOn !== undefined && !sent && stdout.includes(signalOn.text)) {
        sent = true
        child.kill(signalOn.signal)
      }
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("close", (code, signal) => resume(Effect.succeed({ code, signal, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGINT"))
  })

/** Times, fiber ids, ports and LUIDs vary from run to run. */
const normalise = (text: string) =>
  text
    .replace(/^\[\d\d:\d\d:\d\d\.\d{3}\]/gm, "[hh:mm:ss.sss]")
    .replace(/\(#\d+\)/g, "(#n)")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<luid>")

describe.concurrent("the examples as processes", () => {
  it.live("npm start narrates every step against the bundled emulator", (context) =>
    Effect.gen(function*() {
      const ended = yield* spawned("npm", ["start", "--silent"], withoutTableau(), path.dirname(directory))
      expect(ended.stderr).toBe("")
      expect(ended.code).toBe(0)
      context.expect(normalise(ended.stdout)).toMatchSnapshot()
    }), 120_000)

  it.scopedLive(
    "the runner uses the server in TABLEAU_SERVER_URL, with the caller's variables as they are",
    () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0 })
        const { admin } = Fixtures.defaults
        const ended = yield* spawned(process.execPath, [runner, "pat"], {
          ...withoutTableau(),
          TABLEAU_SERVER_URL: server.url,
          TABLEAU_PAT_NAME: admin.patName,
          TABLEAU_PAT_SECRET: admin.patSecret
        }, directory)
        expect(ended.code).toBe(0)
        expect(ended.stdout).toContain(`Using the server in TABLEAU_SERVER_URL: ${server.url}`)
        expect(ended.stdout).not.toContain("bundled Tableau emulator")
        expect(yield* server.emulator.signIns).toBe(1)
        expect(yield* server.emulator.activeSessions).toBe(0)
      }),
    120_000
  )

  it.scopedLive(
    "Ctrl-C on the runner interrupts the example, whose sign-out still reaches the server",
    () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0 })
        // The listing never comes back in time: the example is still inside its session.
        yield* server.emulator.failNext(1, Fault.Delay({ millis: 600_000 }), { path: /\/workbooks/ })
        const { admin } = Fixtures.defaults
        const ended = yield* spawned(
          process.execPath,
          [runner, "scoped-block"],
          {
            ...withoutTableau(),
            TABLEAU_SERVER_URL: server.url,
            TABLEAU_PAT_NAME: admin.patName,
            TABLEAU_PAT_SECRET: admin.patSecret
          },
          directory,
          { text: "Signed in to Tableau", signal: "SIGINT" }
        )
        expect(ended.code).toBe(130)
        expect(ended.stdout).not.toContain("There are")
        const requests = yield* server.emulator.requests
        expect(requests.filter((r) => r.path.endsWith("/auth/signout")).map((r) => r.status)).toEqual([204])
        expect(yield* server.emulator.activeSessions).toBe(0)
      }),
    120_000
  )
})
