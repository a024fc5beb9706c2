import { afterEach, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import { Effect } from "effect"
import { EmulatorServer } from "@tableau-effect/emulator"
import * as undici from "undici"
import * as CustomCa from "../custom-ca.js"
import * as Impersonation from "../impersonation.js"
import * as Jwt from "../jwt.js"
import * as Pat from "../pat.js"
import * as Redirect405 from "../redirect-405.js"
import * as ScopedBlock from "../scoped-block.js"
import * as SignOut from "../sign-out.js"
import * as SwitchSite from "../switch-site.js"
import { fromEmulator, Target } from "../support/Target.js"
import * as UsernamePassword from "../username-password.js"

// Every example, over real loopback sockets against the emulator; afterwards the emulator must
// have no session left.
let printed: Array<string> = []
beforeEach(() => {
  printed = []
  vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
    printed.push(args.map(String).join(" "))
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const onEmulator = <A, E>(main: Effect.Effect<A, E, Target>) =>
  Effect.gen(function*() {
    const server = yield* EmulatorServer.serve({ port: 0 })
    yield* Effect.provideService(main, Target, fromEmulator(server))
    const answer = yield* Effect.promise(() => fetch(`${server.url}/_emulator/sessions`).then((r) => r.json()))
    expect(answer).toEqual({ active: 0 })
    const stats = yield* server.emulator.stats
    return { signIns: stats.signIns, output: printed.join("\n") }
  })

describe("examples against the emulator on loopback", () => {
  it.scopedLive("pat", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* onEmulator(Pat.main)
      expect(output).toMatch(/Signed in with a personal access token to site "" \(id [0-9a-f-]{36}\)/)
      expect(signIns).toBe(1)
    }))

  it.scopedLive("username-password", () =>
    Effect.gen(function*() {
      expect((yield* onEmulator(UsernamePassword.main)).output).toContain("Signed in with a password")
    }))

  it.scopedLive("jwt (a connected app JWT minted by the SDK, verified by the emulator)", () =>
    Effect.gen(function*() {
      expect((yield* onEmulator(Jwt.main)).output).toContain("Signed in with a connected-app JWT")
    }))

  it.scopedLive("impersonation", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* onEmulator(Impersonation.main)
      expect(output).toMatch(/Signed in as the impersonated user [0-9a-f-]{36}/)
      expect(signIns).toBe(2)
    }))

  it.scopedLive("sign-out", () =>
    Effect.gen(function*() {
      const { output } = yield* onEmulator(SignOut.main)
      expect(output).toContain("Inside the scope, active sessions: 1")
      expect(output).toContain("After the scope, active sessions: 0")
    }))

  it.scopedLive("switch-site", () =>
    Effect.gen(function*() {
      expect((yield* onEmulator(SwitchSite.main)).output).toMatch(/Switched from site "" .* to "MarketingTeam"/)
    }))

  it.scopedLive("scoped-block, the main job", () =>
    Effect.gen(function*() {
      const { output } = yield* onEmulator(ScopedBlock.main)
      const lines = output.split("\n")
      expect(lines[0]).toBe("There are 25 workbooks on site: (Default)")
      expect(lines[1]).toMatch(/^[0-9a-f-]{36} Superstore$/)
      const marketing = lines.findIndex((l) => l.startsWith("There are") && l.endsWith("MarketingTeam"))
      expect(marketing).toBe(26)
    }))

  // These two bring emulators of their own (a redirecting http listener, a self-signed https one).
  const noSessionLeft = (server: EmulatorServer.Server) =>
    Effect.promise(() =>
      undici.fetch(`${server.url}/_emulator/sessions`, { dispatcher: new undici.Agent({ connect: { ca: server.caPem! } }) })
        .then((r) => r.json())
    ).pipe(Effect.map((answer) => expect(answer).toEqual({ active: 0 })))

  it.scopedLive("redirect-405 reproduces the trap, then the typed error, then the fix", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ redirectHttp: true })
      yield* Redirect405.onServer(server)
      yield* noSessionLeft(server)
      const output = printed.join("\n")
      expect(output).toContain("HTTP 405, error 405000")
      expect(output).toContain("TableauRedirectError")
      expect(output).toMatch(/sign-in works: site id [0-9a-f-]{36}/)
    }))

  it.scopedLive("custom-ca fails without the CA and works with it", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ https: "self-signed" })
      yield* CustomCa.onServer(server)
      yield* noSessionLeft(server)
      const output = printed.join("\n")
      expect(output).toContain("DEPTH_ZERO_SELF_SIGNED_CERT")
      expect(output).toMatch(/With tls.ca = .*ca.pem: signed in/)
    }))
})
