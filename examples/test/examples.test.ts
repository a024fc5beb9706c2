import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import type { EmulatorServer } from "@tableau-effect/emulator"
import { Fixtures } from "@tableau-effect/emulator"
import { Effect, FiberRef, HashSet, Logger } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { vi } from "vitest"
import { directory, type Example, examples } from "../support/Runner.js"
import { loadPrograms, withExampleEnv } from "./support/programs.js"

// Every example, in this process for speed (test/processes.test.ts runs them as processes):
// its program, as handed to runMain, run with the TABLEAU_* variables the runner would give the
// process, against a fresh emulator on loopback. Afterwards the emulator must have no session
// left, and no fixture secret may have reached the output.
vi.mock("@tableau-effect/node", (original) => import("./support/programs.js").then((p) => p.recordRunMain(original)))

const programs = await loadPrograms()

// What the program printed: log lines as "LEVEL message", console.log lines as they are.
let printed: Array<string> = []
const capture = Logger.make(({ logLevel, message }) => {
  printed.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
})
beforeEach(() => {
  printed = []
  vi.spyOn(console, "log").mockImplementation((...args: Array<unknown>) => {
    printed.push(args.map(String).join(" "))
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const { admin, alice, bob, connectedApp } = Fixtures.defaults
const secrets = [
  admin.patSecret,
  admin.password,
  alice.password,
  alice.patSecret,
  bob.password,
  connectedApp.secretValue
]

const runWith = (
  example: Example,
  options: { readonly args?: ReadonlyArray<string>; readonly base?: NodeJS.ProcessEnv } = {}
) =>
  Effect.gen(function*() {
    const { server } = yield* withExampleEnv(example, options)
    yield* programs.get(example)!.pipe(Effect.locally(FiberRef.currentLoggers, HashSet.make(capture)))
    const output = printed.join("\n")
    for (const secret of secrets) expect(output).not.toContain(secret)
    expect(yield* server.emulator.activeSessions).toBe(0)
    const stats = yield* server.emulator.stats
    return { server, signIns: stats.signIns, output, lines: printed }
  })

const run = (example: Example, args: ReadonlyArray<string> = []) => runWith(example, { args })

const requested = (server: EmulatorServer.Server) =>
  Effect.map(server.emulator.requests, (requests) => requests.map((r) => `${r.method} ${r.path} ${r.status}`))

describe("every example against the emulator on loopback", () => {
  it("covers every example file, each a program that imports only published packages", () => {
    const files = fs.readdirSync(directory).filter((f) =>
      f.endsWith(".ts") && f !== "run-all.ts" && f !== "vitest.config.ts"
    )
    expect([...files].sort()).toEqual([...examples].sort())
    expect(examples.length).toBe(17)
    for (const example of examples) {
      const source = fs.readFileSync(path.join(directory, example), "utf8")
      const imported = Array.from(source.matchAll(/^import [^"]+"([^"]+)"/gm), (m) => m[1]!)
      const foreign = imported.filter((from) =>
        !/^(effect|@effect\/platform|@tableau-effect\/(client|node)|undici|node:.+)$/.test(from)
      )
      expect(foreign, example).toEqual([])
      expect(source, example).toContain("TableauRuntime.runMain(")
    }
  })

  it.scopedLive("hello-server: serverinfo only, no sign-in", () =>
    Effect.gen(function*() {
      const { output, server, signIns } = yield* run("hello-server.ts")
      expect(output).toMatch(/Hello from Tableau \S+ \(build \S+\), REST API 3\.24; this client will speak API 3\.24/)
      expect(signIns).toBe(0)
      expect((yield* requested(server)).every((line) => line.includes("/serverinfo"))).toBe(true)
    }))

  it.scopedLive("pat", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* run("pat.ts")
      expect(output).toMatch(/Signed in with a personal access token to site "" \(id [0-9a-f-]{36}\)/)
      expect(output).toContain("Signed out.")
      expect(signIns).toBe(1)
    }))

  it.scopedLive("username-password", () =>
    Effect.gen(function*() {
      expect((yield* run("username-password.ts")).output).toContain("Signed in with a password")
    }))

  it.scopedLive("jwt (a connected app JWT minted by the SDK, verified by the emulator)", () =>
    Effect.gen(function*() {
      expect((yield* run("jwt.ts")).output).toContain("Signed in with a connected-app JWT")
    }))

  it.scopedLive("impersonation: the admin finds alice by name, then signs in as her", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* run("impersonation.ts")
      expect(output).toMatch(/Signed in as the impersonated user [0-9a-f-]{36}/)
      expect(output).toContain(`Signed in as the impersonated user ${Fixtures.ids.users.alice}`)
      expect(signIns).toBe(2)
    }))

  it.scopedLive("layer-config: from the environment, an empty one, a prefixed one", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* run("layer-config.ts")
      expect(output).toContain(`From the environment: signed in to site "" as user ${Fixtures.ids.users.admin}`)
      expect(output).toMatch(/With nothing set: .*TABLEAU_SERVER_URL/)
      expect(output).toContain("Through STAGING_TABLEAU_*")
      expect(signIns).toBe(2)
    }))

  it.scopedLive("credentials-file: decodes the sample file, signs in, shows a broken file's issues", () =>
    Effect.gen(function*() {
      const { output, signIns } = yield* run("credentials-file.ts")
      expect(output).toMatch(
        /Read PersonalAccessToken "admin-pat" on the Default site from .*credentials\.sample\.json/
      )
      expect(output).toContain(`Signed in as user ${Fixtures.ids.users.admin}`)
      expect(output).toMatch(/A broken file fails with TableauCredentialsError: .*tokenSecret/)
      expect(signIns).toBe(1)
    }))

  it.scopedLive("sign-out: the token works inside the scope and is refused after it", () =>
    Effect.gen(function*() {
      const { output } = yield* run("sign-out.ts")
      expect(output).toContain("Inside the scope, the session's token gets HTTP 200")
      expect(output).toContain("The program ended with: something went wrong in the program")
      expect(output).toMatch(/After the scope, the same token gets HTTP 401, error 40100[02]/)
    }))

  it.scopedLive("switch-site", () =>
    Effect.gen(function*() {
      expect((yield* run("switch-site.ts")).output).toMatch(/Switched from site "" .* to "MarketingTeam"/)
    }))

  it.scopedLive("scoped-block, the main job", () =>
    Effect.gen(function*() {
      const { lines } = yield* run("scoped-block.ts")
      const first = lines.findIndex((l) => l.endsWith("There are 25 workbooks on site: (Default)"))
      expect(first).toBeGreaterThan(0)
      expect(lines[first + 1]).toMatch(/^[0-9a-f-]{36} Superstore$/)
      const marketing = lines.findIndex((l) => l.includes("There are") && l.endsWith("MarketingTeam"))
      expect(marketing - first).toBe(27) // 25 workbooks and the switch between the two headers
      expect(lines.at(-1)).toMatch(/Signed out of Tableau$/)
    }))

  it.scopedLive("scoped-block with TABLEAU_SWITCH_SITE empty stays on the site", () =>
    Effect.gen(function*() {
      const { output, server } = yield* runWith("scoped-block.ts", { base: { TABLEAU_SWITCH_SITE: "" } })
      expect(output).toContain("TABLEAU_SWITCH_SITE is not set: no site switch")
      expect((yield* requested(server)).some((line) => line.includes("switchSite"))).toBe(false)
    }))

  it.scopedLive("workbooks-stream: the filter and sort on the wire, every page, in order", () =>
    Effect.gen(function*() {
      const { lines, output, server } = yield* run("workbooks-stream.ts")
      // 25 default workbooks cycle through 4 tag sets: sales (7) and finance (6).
      expect(output).toContain("13 workbooks tagged sales or finance, newest first")
      const dates = lines.filter((l) => /^\d{4}-/.test(l)).map((l) => l.slice(0, 20))
      expect(dates).toHaveLength(13)
      expect([...dates].sort().reverse()).toEqual(dates)
      const lists = (yield* requested(server)).filter((l) => l.includes("/workbooks"))
      expect(lists.filter((l) => l.includes("tags"))).toHaveLength(3) // pages of 5
      expect(output).toMatch(/The 3 newest workbooks: .+, .+, .+/)
    }))

  it.scopedLive("projects: create, create inside, rename, and the delete when the scope closes", () =>
    Effect.gen(function*() {
      const { output, server } = yield* run("projects.ts")
      expect(output).toMatch(/Created project tableau-effect example .+ \(([0-9a-f-]{36})\)/)
      expect(output).toContain("Created project Reports inside it")
      expect(output).toMatch(/Renamed it to tableau-effect example .+ \(renamed\)/)
      expect(output).toMatch(/Deleted project [0-9a-f-]{36} and what it held/)
      const writes = (yield* requested(server)).filter((line) => /^(POST|PUT|DELETE) .*\/projects/.test(line))
      expect(writes.map((line) => line.split(" ")[0] + " " + line.split(" ")[2])).toEqual([
        "POST 201",
        "POST 201",
        "PUT 200",
        "DELETE 204"
      ])
      const left = yield* server.emulator.fixtures
      expect(left.projects.some((project) => project.name.startsWith("tableau-effect example"))).toBe(false)
    }))

  it.scopedLive("users: a page by name, a stream, findByName", () =>
    Effect.gen(function*() {
      const { output } = yield* run("users.ts", ["alice"])
      expect(output).toMatch(/\d+ users on the site; the first page, by name:/)
      expect(output).toContain(`${Fixtures.ids.users.alice} alice`)
      expect(output).toContain(`Users.findByName("alice"): user ${Fixtures.ids.users.alice}`)
    }))

  it.scopedLive("log-levels: Debug for one part, Warning for another", () =>
    Effect.gen(function*() {
      const { lines } = yield* run("log-levels.ts")
      const debugAt = lines.findIndex((l) => l.includes("with Debug for this part only"))
      const warningAt = lines.findIndex((l) => l.includes("And with Warning"))
      expect(lines.slice(0, debugAt).some((l) => l.startsWith("DEBUG"))).toBe(false)
      expect(lines.slice(debugAt, warningAt).some((l) => l.startsWith("DEBUG") && l.includes("asked for 10"))).toBe(
        true
      )
      expect(lines.slice(warningAt + 1).some((l) => /^(DEBUG|INFO) /.test(l))).toBe(false)
    }))

  it.scopedLive("tracing: the SDK's spans, printed as they end, no token", () =>
    Effect.gen(function*() {
      const { output } = yield* run("tracing.ts")
      expect(output).toMatch(/^\s*tableau\.signIn \(/m)
      expect(output).toMatch(/^\s*example\.listWorkbooks \(/m)
      expect(output).toMatch(/^example\.main \(/m)
      expect(output).not.toMatch(/x-tableau-auth=|token=/i)
    }))

  it.scopedLive("redirect-405 reproduces the trap, then the typed error, then the fix", () =>
    Effect.gen(function*() {
      const { output } = yield* run("redirect-405.ts")
      expect(output).toContain("HTTP 405, error 405000")
      expect(output).toContain("TableauRedirectError")
      expect(output).toMatch(/sign-in works: site id [0-9a-f-]{36}/)
    }))

  it.scopedLive("custom-ca fails without the CA and works with it", () =>
    Effect.gen(function*() {
      const { output } = yield* run("custom-ca.ts")
      expect(output).toContain("DEPTH_ZERO_SELF_SIGNED_CERT")
      expect(output).toMatch(/With tls.ca = .*ca.pem: signed in/)
    }))
})
