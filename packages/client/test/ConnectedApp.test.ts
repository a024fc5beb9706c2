import { describe, expect, it } from "@effect/vitest"
import { Credentials } from "@tableau-effect/client"
import { Effect, Redacted, TestClock } from "effect"
import { decodeProtectedHeader, jwtVerify } from "jose"
import * as util from "node:util"

const app = (overrides: Partial<Parameters<typeof Credentials.connectedApp>[0]> = {}) =>
  Credentials.connectedApp({
    clientId: "client-id",
    secretId: "secret-id",
    secretValue: "a-long-enough-secret-value-for-hs256",
    username: "alice",
    scopes: ["tableau:content:read", "tableau:views:embed"],
    site: "acme",
    ...overrides
  })

describe("Credentials.connectedApp", () => {
  it.effect("mints an HS256 JWT with Tableau's header and claims", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_800_000_000_000)
      const jwt = Redacted.value(yield* Credentials.resolveJwt(app()))
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: "HS256", typ: "JWT", kid: "secret-id", iss: "client-id" })
      const { payload } = yield* Effect.promise(() =>
        jwtVerify(jwt, new TextEncoder().encode("a-long-enough-secret-value-for-hs256"), {
          currentDate: new Date(1_800_000_000_000),
          audience: "tableau",
          issuer: "client-id"
        })
      )
      expect(payload.sub).toBe("alice")
      expect(payload.scp).toEqual(["tableau:content:read", "tableau:views:embed"])
      expect(payload.exp! - payload.iat!).toBe(300)
      expect(payload.iat).toBe(1_800_000_000)
      expect(typeof payload.jti).toBe("string")
    }))

  it.effect("every sign-in gets a new jti", () =>
    Effect.gen(function*() {
      const credentials = app()
      const a = Redacted.value(yield* Credentials.resolveJwt(credentials))
      const b = Redacted.value(yield* Credentials.resolveJwt(credentials))
      const jti = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()).jti
      expect(jti(a)).not.toBe(jti(b))
    }))

  it.effect("refuses an expiry over 10 minutes and empty ids, as a credentials error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Credentials.resolveJwt(app({ expiresIn: "11 minutes", clientId: " " })))
      expect(error._tag).toBe("TableauCredentialsError")
      expect(error.issues.map((i) => i.path.join("."))).toEqual(["clientId", "expiresIn"])
    }))

  it("never prints the secret value", () => {
    const text = JSON.stringify(app()) + String(app()) + util.inspect(app(), { depth: 20, showHidden: true })
    expect(text).not.toContain("a-long-enough-secret-value")
  })
})
