import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { compileOnce } from "../../../test-support/compile.js"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

// The CLI's sources compiled once for the file into one script (see test-support/compile.ts),
// in build/ so that `../package.json` from the script is the package's, as it is from src/bin.ts.
const compiled = compileOnce(path.join(packageDir, "src", "bin.ts"), path.join(packageDir, "build"))

/** The first line the CLI prints, and the child process. */
const start = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly group?: boolean } = {}
) =>
  Effect.acquireRelease(
    Effect.async<{ readonly child: ChildProcess; readonly firstLine: string; readonly output: () => string }, Error>(
      (resume) => {
        // With `group`, the child leads its own process group, so a signal can reach the whole tree
        // (npx, tsx, node) as Ctrl+C in a terminal does.
        const child = spawn(command, args, {
          cwd: packageDir,
          stdio: ["ignore", "pipe", "pipe"],
          detached: options.group === true
        })
        let output = ""
        let errors = ""
        let resolved = false
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString("utf8")
          const newline = output.indexOf("\n")
          if (!resolved && newline >= 0) {
            resolved = true
            resume(Effect.succeed({ child, firstLine: output.slice(0, newline), output: () => output }))
          }
        })
        child.stderr!.on("data", (chunk: Buffer) => {
          errors += chunk.toString("utf8")
        })
        child.on("exit", (code) => {
          if (!resolved) resume(Effect.fail(new Error(`the CLI exited with ${code}: ${errors}`)))
        })
      }
    ),
    ({ child }) =>
      Effect.sync(() => {
        if (child.pid === undefined) return
        if (options.group === true) {
          // The whole group, even when its leader has exited: an orphan left by a shell stays in it.
          try {
            process.kill(-child.pid, "SIGKILL")
          } catch {
            // ESRCH: nothing left.
          }
        } else if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      })
  )

const exitOf = (child: ChildProcess) =>
  Effect.async<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resume(Effect.succeed({ code: child.exitCode, signal: child.signalCode }))
    } else child.once("exit", (code, signal) => resume(Effect.succeed({ code, signal })))
  })

/**
 * Answers "refused" once nothing listens at `url` any more, polling for up to ten seconds. A
 * request caught by the server's shutdown may never be answered (kept alive, it would hold that
 * shutdown up): after a second it is given up, which closes its connection, and asked again.
 */
const stopsAnswering = (url: string) =>
  Effect.promise(() =>
    fetch(`${url}/api/2.4/serverinfo`, { signal: AbortSignal.timeout(1_000) }).then(
      () => "served" as const,
      (error: unknown) =>
        error instanceof Error && error.name === "TimeoutError" ? "no answer" as const : "refused" as const
    )
  ).pipe(
    Effect.filterOrFail((answer) => answer === "refused", (answer) => answer),
    Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 100 }),
    Effect.merge
  )

/** Waits, for up to ten seconds, until the output so far contains `text`. */
const printed = (output: () => string, text: string) =>
  Effect.suspend(() => output().includes(text) ? Effect.void : Effect.fail("not yet" as const)).pipe(
    Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 200 }),
    Effect.ignore
  )

// Side by side, each case takes about as long as all of them: a busy machine stretches that,
// never into a hang.
const CHILD_TIMEOUT = 90_000

// Each case is its own processes (on ports of their own, signals to their own process groups):
// they run side by side, as most of their time is Node starting and loading modules.
describe.concurrent("the tableau-emulator CLI", () => {
  it.scopedLive(
    "prints its URL first, serves serverinfo and the credentials, and exits 0 on SIGTERM",
    () =>
      Effect.gen(function*() {
        const { child, firstLine, output } = yield* start(process.execPath, [compiled, "--port", "0"])
        const url = /^Tableau emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1]
        expect(url).toBeDefined()
        const response = yield* Effect.promise(() => fetch(`${url}/api/2.4/serverinfo`))
        expect(response.status).toBe(200)
        // The credentials follow the first line; on a busy machine a while after it.
        yield* printed(output, "client id ")
        expect(output()).toContain("admin / admin-password / admin-pat / admin-pat-secret")
        expect(output()).toContain("client id    0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b")
        child.kill("SIGTERM")
        expect(yield* exitOf(child)).toEqual({ code: 0, signal: null })
        const refused = yield* Effect.promise(() =>
          fetch(`${url}/api/2.4/serverinfo`).then(() => "served", () => "refused")
        )
        expect(refused).toBe("refused")
      }),
    CHILD_TIMEOUT
  )

  it.scopedLive(
    "runs as `npx tsx --conditions=@tableau-effect/source src/bin.ts --port 0` and stops on Ctrl+C (SIGINT to the group)",
    () =>
      Effect.gen(function*() {
        const { child, firstLine } = yield* start(
          "npx",
          ["tsx", "--conditions=@tableau-effect/source", "src/bin.ts", "--port", "0", "--cloud", "--workbooks", "3"],
          { group: true }
        )
        const url = /listening on (\S+)/.exec(firstLine)?.[1]
        const body =
          `<tsRequest><credentials personalAccessTokenName="alice-pat" personalAccessTokenSecret="alice-pat-secret"><site contentUrl=""/></credentials></tsRequest>`
        const response = yield* Effect.promise(() => fetch(`${url}/api/3.24/auth/signin`, { method: "POST", body }))
        // --cloud: a site is required.
        expect(response.status).toBe(401)
        process.kill(-child.pid!, "SIGINT")
        const exit = yield* exitOf(child)
        // npm re-raises the signal it forwarded, so npx itself ends by the signal or with code 0.
        expect(exit.code === 0 || exit.signal === "SIGINT").toBe(true)
        // The emulator under npx ends with it or just after.
        expect(yield* stopsAnswering(url!)).toBe("refused")
      }),
    CHILD_TIMEOUT
  )

  it.scopedLive("prints help, and refuses an unknown flag with exit code 2", () =>
    Effect.gen(function*() {
      // Both at once: neither waits for the other to start.
      const bad = spawn(process.execPath, [compiled, "--nope"], { cwd: packageDir })
      const help = yield* start(process.execPath, [compiled, "--help"])
      expect(help.firstLine).toBe("Usage: tableau-emulator [options]")
      expect((yield* exitOf(bad)).code).toBe(2)
    }), CHILD_TIMEOUT)

  it.scopedLive(
    "stops when the shell that started it dies of SIGTERM without passing the signal on (npx)",
    () =>
      Effect.gen(function*() {
        // `"$@"; exit` keeps sh from exec-ing node in its place, as npm's `sh -c` does for a bin.
        const { child, firstLine } = yield* start(
          "sh",
          ["-c", "\"$@\"; exit $?", "sh", process.execPath, compiled, "--port", "0"],
          { group: true }
        )
        const url = /listening on (\S+)/.exec(firstLine)?.[1]
        expect(url).toBeDefined()
        child.kill("SIGTERM")
        expect((yield* exitOf(child)).signal).toBe("SIGTERM")
        expect(yield* stopsAnswering(url!)).toBe("refused")
      }),
    CHILD_TIMEOUT
  )

  it.scopedLive("prints the package's version with --version and exits 0", () =>
    Effect.gen(function*() {
      const { child, firstLine } = yield* start(process.execPath, [compiled, "--version"])
      const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }
      expect(firstLine).toBe(manifest.version)
      expect((yield* exitOf(child)).code).toBe(0)
    }), CHILD_TIMEOUT)
})
