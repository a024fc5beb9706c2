#!/usr/bin/env node
/**
 * `tableau-emulator`: serves an emulated Tableau Server on loopback and prints its URL and the
 * fixtures' credentials. Stops cleanly on SIGINT and SIGTERM, and when the process that started it
 * is gone: `npx` runs a bin through `sh -c`, and a shell that dies of SIGTERM does not pass the
 * signal on, so without this a killed `npx tableau-emulator` would leave its server listening.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as fs from "node:fs"
import { parseArgs } from "node:util"
import * as EmulatorServer from "./EmulatorServer.js"
import * as Fault from "./Fault.js"
import * as Fixtures from "./Fixtures.js"

const USAGE = `Usage: tableau-emulator [options]

Serves an emulated Tableau Server REST API (in memory) on loopback.

Options:
  --port N               port of the first listener (default 8080; 0 = a free port)
  --host HOST            address to listen on (default 127.0.0.1)
  --https                serve https (self-signed for localhost and 127.0.0.1 unless --key/--cert)
  --key FILE --cert FILE PEM key and certificate for https
  --ca-out FILE          write the certificate PEM there, for clients to trust
  --redirect-http        http listener on --port redirects every request to the https listener
  --https-port N         port of the https listener with --redirect-http (default 8443; 0 with --port 0)
  --redirect-status S    301, 302 (default), 307 or 308
  --cloud                Tableau Cloud rules (site required, no impersonation/switchSite/site list,
                         no username/password sign-in)
  --api-version V        REST API version of the emulated server (default 3.24)
  --workbooks N          default workbooks on the Default site (default 25)
  --fixtures FILE        load fixtures from a JSON file (see --print-fixtures for the shape)
  --print-fixtures       print the fixtures as JSON and exit
  --session-ttl MINUTES  session idle limit (default 240)
  --slow MS              delay every answer by MS milliseconds
  --fail-next N          answer the next N requests with --fail-status
  --fail-status S        status for --fail-next and --fail-rate (default 503)
  --retry-after SECONDS  Retry-After header for those answers (e.g. with --fail-status 429)
  --fail-rate R          answer a share R (0..1) of requests with --fail-status
  --drop-next N          drop the connection of the next N requests
  --malformed-next N     answer the next N requests with 200 and a malformed body
  --fail-path TEXT       apply the faults above only to paths containing TEXT
  --version              print the version and exit
  --help                 show this help

It stops on SIGINT or SIGTERM, and when the process that started it exits.`

class UsageError extends Error {}

const integer = (name: string, value: string | undefined, min: number, max: number): number | undefined => {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer between ${min} and ${max}, not "${value}"`)
  }
  return number
}

const parse = () =>
  parseArgs({
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      https: { type: "boolean" },
      key: { type: "string" },
      cert: { type: "string" },
      "ca-out": { type: "string" },
      "redirect-http": { type: "boolean" },
      "https-port": { type: "string" },
      "redirect-status": { type: "string" },
      cloud: { type: "boolean" },
      "api-version": { type: "string" },
      workbooks: { type: "string" },
      fixtures: { type: "string" },
      "print-fixtures": { type: "boolean" },
      "session-ttl": { type: "string" },
      slow: { type: "string" },
      "fail-next": { type: "string" },
      "fail-status": { type: "string" },
      "retry-after": { type: "string" },
      "fail-rate": { type: "string" },
      "drop-next": { type: "string" },
      "malformed-next": { type: "string" },
      "fail-path": { type: "string" },
      version: { type: "boolean" },
      help: { type: "boolean" }
    }
  }).values

type Values = ReturnType<typeof parse>

const loadFixtures = (values: Values): Effect.Effect<Fixtures.Fixtures, Error> => {
  const file = values.fixtures
  if (file === undefined) {
    return Effect.succeed(Fixtures.make({ workbooks: integer("workbooks", values.workbooks, 0, 1_000_000) }))
  }
  return Effect.try({
    try: (): unknown => JSON.parse(fs.readFileSync(file, "utf8")),
    catch: (cause) => new Error(`cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`)
  }).pipe(
    Effect.flatMap(Fixtures.fromJson),
    Effect.mapError((error) => new Error(`invalid fixtures in ${file}: ${error.message}`))
  )
}

const describe = (fixtures: Fixtures.Fixtures): string => {
  const lines: Array<string> = []
  lines.push("Sites:")
  for (const site of fixtures.sites) {
    const count = fixtures.workbooks.filter((workbook) => workbook.siteId === site.id).length
    lines.push(`  contentUrl "${site.contentUrl}" (${site.name}), id ${site.id}, ${count} workbooks`)
  }
  lines.push("Users (username / password / PAT name / PAT secret):")
  for (const user of fixtures.users) {
    const pats = user.personalAccessTokens.map((pat) => `${pat.name} / ${pat.secret}`).join(", ")
    lines.push(`  ${user.name} / ${user.password ?? "(no password)"} / ${pats || "(no PAT)"}  [${user.siteRole}]`)
  }
  for (const app of fixtures.connectedApps) {
    lines.push("Connected app (direct trust, HS256):")
    lines.push(`  client id    ${app.clientId}`)
    lines.push(`  secret id    ${app.secretId}`)
    lines.push(`  secret value ${app.secretValue}`)
  }
  return lines.join("\n")
}

/** The version in the package's package.json: one directory up from both src/bin.ts and dist/bin.js. */
const version = (): string => {
  const manifest: unknown = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  return typeof manifest === "object" && manifest !== null && "version" in manifest &&
      typeof manifest.version === "string"
    ? manifest.version
    : "unknown"
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Completes when the parent process, `parent` as the CLI started, is gone. On POSIX an orphan is
 * adopted at once, so `ppid` changes; on Windows it does not, hence the liveness check (skipped
 * for init and pid 0, where a signal 0 would test a process group or always succeed).
 */
const parentExited = (parent: number): Effect.Effect<void> =>
  Effect.sync(() => process.ppid !== parent || (parent > 1 && !isAlive(parent))).pipe(
    Effect.repeat({ schedule: Schedule.spaced("250 millis"), until: (gone) => gone }),
    Effect.asVoid
  )

const program = (values: Values, parent: number) =>
  Effect.gen(function*() {
    const fixtures = yield* loadFixtures(values)
    if (values["print-fixtures"] === true) {
      const json = yield* Fixtures.toJson(fixtures)
      console.log(JSON.stringify(json, null, 2))
      return
    }
    const port = integer("port", values.port, 0, 65535) ?? 8080
    const redirectStatus = integer("redirect-status", values["redirect-status"], 301, 308)
    if (redirectStatus !== undefined && ![301, 302, 307, 308].includes(redirectStatus)) {
      throw new UsageError("--redirect-status must be 301, 302, 307 or 308")
    }
    if ((values.key === undefined) !== (values.cert === undefined)) {
      throw new UsageError("--key and --cert go together")
    }
    const https = values.key !== undefined && values.cert !== undefined
      ? { key: fs.readFileSync(values.key, "utf8"), cert: fs.readFileSync(values.cert, "utf8") }
      : values.https === true
      ? "self-signed" as const
      : undefined
    const ttl = integer("session-ttl", values["session-ttl"], 1, 525_600)
    const server = yield* EmulatorServer.serve({
      fixtures,
      port,
      httpsPort: integer("https-port", values["https-port"], 0, 65535) ?? (port === 0 ? 0 : 8443),
      host: values.host,
      https,
      redirectHttp: values["redirect-http"],
      redirectStatus: redirectStatus as 301 | 302 | 307 | 308 | undefined,
      cloud: values.cloud,
      apiVersion: values["api-version"],
      sessionTtl: ttl === undefined ? undefined : `${ttl} minutes`
    })
    const { emulator } = server
    const failStatus = integer("fail-status", values["fail-status"], 100, 599) ?? 503
    const retryAfterSeconds = integer("retry-after", values["retry-after"], 0, 86_400)
    const selector = { path: values["fail-path"] }
    const failNext = integer("fail-next", values["fail-next"], 1, Number.MAX_SAFE_INTEGER)
    if (failNext !== undefined) {
      yield* emulator.failNext(failNext, Fault.Status({ status: failStatus, retryAfterSeconds }), selector)
    }
    const dropNext = integer("drop-next", values["drop-next"], 1, Number.MAX_SAFE_INTEGER)
    if (dropNext !== undefined) yield* emulator.failNext(dropNext, Fault.Drop(), selector)
    const malformedNext = integer("malformed-next", values["malformed-next"], 1, Number.MAX_SAFE_INTEGER)
    if (malformedNext !== undefined) yield* emulator.failNext(malformedNext, Fault.Malformed(), selector)
    if (values["fail-rate"] !== undefined) {
      const rate = Number(values["fail-rate"])
      if (!(rate >= 0 && rate <= 1)) throw new UsageError("--fail-rate must be between 0 and 1")
      yield* emulator.failNext(Infinity, Fault.Status({ status: failStatus, retryAfterSeconds }), {
        ...selector,
        probability: rate
      })
    }
    const slow = integer("slow", values.slow, 0, 3_600_000)
    if (slow !== undefined) yield* emulator.failNext(Infinity, Fault.Delay({ millis: slow }), selector)
    const caOut = values["ca-out"]
    const certificate = server.caPem ?? (typeof https === "object" ? https.cert : undefined)
    if (caOut !== undefined && certificate !== undefined) fs.writeFileSync(caOut, certificate)
    console.log(`Tableau emulator listening on ${server.httpUrl ?? server.url}`)
    if (server.httpUrl !== undefined) console.log(`  (every request there is redirected to ${server.url})`)
    if (server.httpsUrl !== undefined && server.httpUrl !== undefined) {
      console.log(`Tableau emulator listening on ${server.httpsUrl}`)
    }
    if (caOut !== undefined && certificate !== undefined) console.log(`Certificate written to ${caOut}`)
    const { settings } = emulator
    console.log(
      `${
        settings.cloud ? "Tableau Cloud" : "Tableau Server"
      } ${settings.productVersion}, REST API ${settings.apiVersion}`
    )
    console.log(describe(fixtures))
    console.log("Test hooks: GET /_emulator/sessions, GET /_emulator/stats, POST /_emulator/reset")
    console.log("Press Ctrl+C to stop.")
    // Serve until the parent goes away (or an interruption from a signal); then the scope closes
    // the listeners.
    return yield* parentExited(parent)
  }).pipe(Effect.scoped)

const main = (): void => {
  // Read first: a parent that dies while the servers start must still be noticed.
  const parent = process.ppid
  let values: Values
  try {
    values = parse()
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    console.error(USAGE)
    process.exitCode = 2
    return
  }
  if (values.help === true) {
    console.log(USAGE)
    return
  }
  if (values.version === true) {
    console.log(version())
    return
  }
  const fiber = Effect.runFork(program(values, parent))
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    process.off("SIGINT", stop)
    process.off("SIGTERM", stop)
    if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
      const error = Cause.squash(exit.cause)
      console.error(`tableau-emulator: ${error instanceof Error ? error.message : String(error)}`)
      if (error instanceof UsageError) console.error(USAGE)
      process.exitCode = error instanceof UsageError ? 2 : 1
    }
  })
}

main()
