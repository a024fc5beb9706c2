import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Cause, Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import * as util from "node:util"
import { apiError, BASE, fake, happyServer, signedIn } from "./support/FakeTableau.js"

const SECRETS = ["PAT-SECRET-7f3a", "PASSWORD-9c1e", "JWT-5b2d.e.f", "SESSION-TOKEN-4411"]
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s))

describe("secrets never reach logs, errors or inspect output", () => {
  it.effect("a whole session run at Debug level, with a failing sign-out and a failing call", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ annotations, cause, message, spans }) => {
        lines.push(util.inspect({ message, annotations, spans, cause: Cause.pretty(cause) }, { depth: 10 }))
      })
      const errors: Array<string> = []
      const credentials = [
        Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: SECRETS[0]! }),
        Credentials.usernamePassword({ username: "admin", password: SECRETS[1]! }),
        Credentials.jwt({ jwt: SECRETS[2]! })
      ]
      for (const c of credentials) {
        const s = fake(happyServer((r) => {
          if (r.path.endsWith("/signin")) return { body: signedIn(SECRETS[3]!) }
          if (r.path.endsWith("/signout")) return apiError(401, "401002", "Unauthorized", "Invalid token")
          return undefined
        }))
        const program = Effect.gen(function*() {
          const session = yield* TableauSession.TableauSession
          const state = yield* session.state
          yield* Effect.logDebug("state", state)
          lines.push(
            util.inspect(state, { depth: 10 }),
            JSON.stringify(state),
            String(Redacted.value(state.token)).length.toString()
          )
          return yield* Effect.fail(new Error("program failed"))
        })
        const exit = yield* Effect.exit(
          program.pipe(
            Effect.provide(
              TableauSession.layer(c).pipe(
                Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
                Layer.provide(s.layer)
              )
            ),
            Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
            Logger.withMinimumLogLevel(LogLevel.All)
          )
        )
        errors.push(util.inspect(exit, { depth: 10 }), JSON.stringify(exit))
        // the secrets did cross the wire, where they belong
        expect(s.recorded[0]!.body).toMatch(/PAT-SECRET-7f3a|PASSWORD-9c1e|JWT-5b2d/)
      }
      expect(lines.some((l) => l.includes("sign-out failed"))).toBe(true)
      expect(lines.some((l) => l.includes("Signed in to Tableau"))).toBe(true)
      expect(leaks(lines.join("\n"))).toEqual([])
      expect(leaks(errors.join("\n"))).toEqual([])
    }))

  it.effect("a sign-in answer of the wrong shape does not quote its token", () =>
    Effect.gen(function*() {
      const s = fake(() => ({
        body: `<tsResponse><credentials token="${SECRETS[3]}"><site/></credentials></tsResponse>`
      }))
      const error = yield* Effect.flip(
        Effect.provide(
          Effect.void,
          TableauSession.layer(Credentials.usernamePassword({ username: "a", password: SECRETS[1]! })).pipe(
            Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
            Layer.provide(s.layer)
          )
        )
      )
      expect(error._tag).toBe("TableauDecodeError")
      expect(leaks([error.message, util.inspect(error), JSON.stringify(error)].join("\n"))).toEqual([])
    }))
})
