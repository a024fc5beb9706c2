import { describe, expect, it } from "@effect/vitest"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauRuntime } from "@tableau-effect/node"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import { spawn } from "node:child_process"
import * as path from "node:path"
import * as url from "node:url"
import { compileOnce } from "../../../test-support/compile.js"

const testDir = path.dirname(url.fileURLToPath(import.meta.url))
const fixture = path.join(testDir, "fixtures", "waitsSignedIn.ts")

// The fixture and the workspace sources it imports compiled once for the file into one script
// (see test-support/compile.ts).
const compiled = compileOnce(fixture, path.join(testDir, "..", "build"))

interface Ended {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the fixture in its own Node process with the given environment; when its stdout first
 * contains `ready`, sends it `signal`. The child is killed if the test is interrupted.
 */
const runFixture = (env: Record<string, string>, signal?: NodeJS.Signals) =>
  Effect.async<Ended>((resume) => {
    const child = spawn(process.execPath, [compiled], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    let sent = false
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
      if (signal !== undefined && !sent && stdout.includes("ready")) {
        sent = true
        child.kill(signal)
      }
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    child.on("close", (code, endedBy) => resume(Effect.succeed({ code, signal: endedBy, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

// A child process starts Node and loads the modules: slow on a busy machine, never a hang.
const CHILD_TIMEOUT = 90_000

const { admin } = Fixtures.defaults
const patEnv = (server: EmulatorServer.Server, secret: string = admin.patSecret) => ({
  TABLEAU_SERVER_URL: server.url,
  TABLEAU_PAT_NAME: admin.patName,
  TABLEAU_PAT_SECRET: secret
})

// Each case is its own process, one after the other: three Node processes starting at once take
// both cores, and starve the file the other worker runs (Redirects.test.ts has 300 ms for a TLS
// handshake and a redirect) of what it needs.
describe("TableauRuntime.runMain in a Node process", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it.scopedLive(`on ${signal} interrupts the program, signs out, then exits`, () =>
      Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0 })
        const ended = yield* runFixture(patEnv(server), signal)

        expect(ended.stdout).toMatch(/ready as [0-9a-f-]{36}/)
        expect(ended).toMatchObject({ code: signal === "SIGINT" ? 130 : 143, signal: null, stderr: "" })
        const requests = yield* server.emulator.requests
        const signIn = requests.findIndex((r) => r.method === "POST" && r.path.endsWith("/auth/signin"))
        const signOut = requests.findIndex((r) => r.method === "POST" && r.path.endsWith("/auth/signout"))
        expect(signIn).toBeGreaterThanOrEqual(0)
        expect(signOut).toBeGreaterThan(signIn)
        expect(requests[signOut]?.status).toBe(204)
        expect(yield* server.emulator.activeSessions).toBe(0)
      }), CHILD_TIMEOUT)
  }

  it.scopedLive("prints a wrong secret's error as its message only, and exits 1", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0 })
      const ended = yield* runFixture(patEnv(server, "not-the-secret"))

      expect(ended.code).toBe(1)
      expect(ended.stdout).toBe("")
      const lines = ended.stderr.trimEnd().split("\n")
      expect(lines.length).toBeLessThanOrEqual(2)
      expect(lines[0]).toMatch(/^TableauApiError: /)
      expect(ended.stderr).toContain("401001")
      expect(ended.stderr).not.toContain("FiberFailure")
      expect(ended.stderr).not.toMatch(/^\s+at /m)
      expect(ended.stderr).not.toContain("not-the-secret")
      expect(yield* server.emulator.activeSessions).toBe(0)
    }), CHILD_TIMEOUT)
})

describe("TableauRuntime.report", () => {
  it("prints a typed failure as its short tag and message", () => {
    const error = { _tag: "@tableau-effect/client/TableauApiError", message: "Signing in failed; check the PAT" }
    expect(TableauRuntime.report(Cause.fail(error))).toBe("TableauApiError: Signing in failed; check the PAT")
  })

  it("prints a ConfigError as its message, naming the variable", () => {
    const missing = ConfigError.MissingData(["TABLEAU_SERVER_URL"], "Expected TABLEAU_SERVER_URL to exist")
    const text = TableauRuntime.report(Cause.fail(missing))
    expect(text).toContain("TABLEAU_SERVER_URL")
    expect(text).not.toMatch(/^\s+at /m)
  })

  it("prints nothing for an interruption", () => {
    expect(TableauRuntime.report(Cause.interrupt(FiberId.none))).toBe("")
  })

  it("prints a defect in full, with its stack", () => {
    const text = TableauRuntime.report(Cause.die(new Error("a bug")))
    expect(text).toContain("Error: a bug")
    expect(text).toMatch(/^\s+at /m)
  })
})
