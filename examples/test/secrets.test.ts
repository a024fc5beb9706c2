/**
 * R3, secrets, for the examples (moved here from packages/client/test/reliability/R3-secrets
 * when the examples became programs of their own): every example's program, run with Debug
 * logging (a logger that keeps every line, formatted the string, logfmt and JSON ways), spans
 * kept in memory and the console captured. No secret may appear in any of that, nor in any
 * rendering of the program's exit.
 *
 * The secrets searched for: the fixtures' passwords, PAT secrets and connected-app secret
 * value, every JWT the SDK minted and every session token the emulator handed out. The last two
 * are noted by the `fetch` the examples' FetchHttpClient is given: JWTs and secrets from the
 * sign-in bodies, tokens from `X-Tableau-Auth`, from sign-in answers and from the emulator's
 * sessions after every request. Two examples (custom-ca, redirect-405) go through undici, out of
 * that fetch's reach: for them the output is also searched for anything shaped like an emulator
 * token or a JWT.
 */
import { FetchHttpClient } from "@effect/platform"
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { Fixtures } from "@tableau-effect/emulator"
import type { EmulatorServer } from "@tableau-effect/emulator"
import { Effect, Logger, LogLevel } from "effect"
import { vi } from "vitest"
import { examples } from "../support/Runner.js"
import { captureLogs, leaks, memoryTracer, renderings } from "./support/capture.js"
import { loadPrograms, withExampleEnv } from "./support/programs.js"

vi.mock("@tableau-effect/node", (original) => import("./support/programs.js").then((p) => p.recordRunMain(original)))

const programs = await loadPrograms()

let printed: Array<string> = []
beforeEach(() => {
  printed = []
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: Array<unknown>) => {
      printed.push(args.map((a) => typeof a === "string" ? a : renderings(a)).join(" "))
    })
  }
})
afterEach(() => {
  vi.restoreAllMocks()
})

/** The fetch as the examples get it, noting every secret that crosses it. */
const notingFetch = (server: EmulatorServer.Server, secrets: Set<string>): typeof globalThis.fetch => {
  const note = (text: string) => {
    for (const match of text.matchAll(/(?:jwt|password|personalAccessTokenSecret|token)="([^"]+)"/g)) {
      secrets.add(match[1]!)
    }
  }
  return async (input, init) => {
    const headers = new Headers(init?.headers)
    const token = headers.get("x-tableau-auth")
    if (token !== null) secrets.add(token)
    if (init?.body instanceof Uint8Array) note(new TextDecoder().decode(init.body))
    else if (typeof init?.body === "string") note(init.body)
    const response = await globalThis.fetch(input, init)
    note(await response.clone().text())
    for (const session of await Effect.runPromise(server.emulator.sessions)) secrets.add(session.token)
    return response
  }
}

// Anything shaped like an emulator session token (base64url(16)|base64url(24)|site) or a JWT.
const TOKEN_SHAPE = /[A-Za-z0-9_-]{22}\|[A-Za-z0-9_-]{32}\|/
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/

const { admin, alice, bob, connectedApp } = Fixtures.defaults
const DEFAULT_SECRETS = [
  admin.password,
  admin.patSecret,
  alice.password,
  alice.patSecret,
  bob.password,
  bob.patSecret,
  connectedApp.secretValue
]

// Through undici (no fetch to note tokens with), or without any session at all.
const noTokensNoted = new Set(["redirect-405.ts", "custom-ca.ts", "hello-server.ts"])

describe("R3 secrets: the examples", () => {
  for (const example of examples) {
    it.scopedLive(`${example}: Debug logs, spans, console and exit quote no secret`, () =>
      Effect.gen(function*() {
        const { server } = yield* withExampleEnv(example)
        const logs = captureLogs()
        const tracer = memoryTracer()
        const secrets = new Set<string>()
        const exit = yield* programs.get(example)!.pipe(
          Effect.provideService(FetchHttpClient.Fetch, notingFetch(server, secrets)),
          Effect.provide(Logger.replace(Logger.defaultLogger, logs.logger)),
          Logger.withMinimumLogLevel(LogLevel.All),
          Effect.withTracer(tracer.tracer),
          Effect.exit
        )
        const text = [...logs.lines, tracer.text(), renderings(exit), ...printed].join("\n")
        expect(exit._tag, text.slice(0, 2000)).toBe("Success")
        // The capture saw something: the example logged or printed, and made requests in spans.
        expect(logs.lines.length + printed.length).toBeGreaterThan(0)
        expect(tracer.spans.some((s) => s.name === "tableau.request")).toBe(true)
        if (example === "jwt.ts") {
          expect([...secrets].some((s) => s.startsWith("eyJ")), "the minted JWT was captured").toBe(true)
        }
        if (!noTokensNoted.has(example)) expect(secrets.size, "tokens were captured").toBeGreaterThan(0)
        expect(yield* server.emulator.activeSessions).toBe(0)
        expect(leaks(text, [...DEFAULT_SECRETS, ...secrets]), "secrets in logs, spans, errors, exits or console")
          .toEqual([])
        expect(TOKEN_SHAPE.exec(text)?.[0], "something shaped like a session token").toBeUndefined()
        expect(JWT_SHAPE.exec(text)?.[0], "something shaped like a JWT").toBeUndefined()
      }), 30_000)
  }
})
