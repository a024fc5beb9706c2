/**
 * Connected apps with direct trust: mint a JWT the way an application does, and verify one the
 * way Tableau does (HS256 with the secret value, `kid`, `iss`, `aud`, `exp`, `jti`, `sub`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { decodeProtectedHeader, jwtVerify, SignJWT } from "jose"
import { randomUUID } from "node:crypto"
import type * as Fixtures from "./Fixtures.js"

/**
 * What `mintJwt` needs: the connected app's ids and secret, the username, and optionally the
 * scopes (default `["tableau:content:read"]`), the lifetime in seconds (default 300; Tableau
 * accepts at most 600), the issue time (default: the Effect `Clock`), the `jti` (default: a
 * random UUID) and the audience (default `"tableau"`).
 *
 * @since 0.1.0
 * @category Models
 */
export interface MintOptions {
  readonly clientId: string
  readonly secretId: string
  readonly secretValue: string
  readonly username: string
  readonly scopes?: ReadonlyArray<string> | undefined
  readonly expiresInSeconds?: number | undefined
  readonly now?: Date | number | undefined
  readonly jti?: string | undefined
  readonly audience?: string | undefined
}

/**
 * Mints a connected-app JWT: HS256, header `kid` = secret id and `iss` = client id, claims
 * `iss`, `sub`, `aud`, `exp`, `jti` and `scp`.
 *
 * @example
 * ```ts
 * import { ConnectedApp, Fixtures } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const jwt = ConnectedApp.mintJwt({ ...Fixtures.defaults.connectedApp, username: "alice" })
 * Effect.runPromise(jwt).then(console.log)
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const mintJwt = (options: MintOptions): Effect.Effect<string> =>
  Effect.gen(function*() {
    const nowMillis = options.now === undefined
      ? yield* Clock.currentTimeMillis
      : typeof options.now === "number"
      ? options.now
      : options.now.getTime()
    const issuedAt = Math.floor(nowMillis / 1000)
    const jwt = new SignJWT({ scp: [...(options.scopes ?? ["tableau:content:read"])] })
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: options.secretId, iss: options.clientId })
      .setIssuer(options.clientId)
      .setSubject(options.username)
      .setAudience(options.audience ?? "tableau")
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 300))
      .setJti(options.jti ?? randomUUID())
    return yield* Effect.promise(() => jwt.sign(new TextEncoder().encode(options.secretValue)))
  })

/**
 * Why a JWT was refused (the server answers 401001 whatever the reason; the reason is for
 * tests and logs).
 *
 * @since 0.1.0
 * @category Errors
 */
export class JwtRejected extends Data.TaggedError("JwtRejected")<{ readonly reason: string }> {
  override get message(): string {
    return `The connected-app JWT was refused: ${this.reason}`
  }
}

/**
 * A verified JWT: the connected app that signed it, the username, the `jti` and the scopes.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Verified {
  readonly app: Fixtures.ConnectedApp
  readonly username: string
  readonly jti: string
  readonly scopes: ReadonlyArray<string>
}

/** Tableau refuses a JWT whose `exp` is more than ten minutes ahead. */
const MAX_LIFETIME_SECONDS = 600

/**
 * Verifies a JWT against the connected apps at time `nowMillis`: the app is found by header
 * `kid` (secret id) and `iss` (client id); the signature is HS256 with its secret value; `iss`,
 * `aud` = "tableau", `sub`, `jti` and `exp` are required; `exp` must be after now and at most
 * ten minutes ahead. `jti` reuse and `sub` are checked by the caller, against the server state.
 *
 * @since 0.1.0
 * @category Operations
 */
export const verify = (
  token: string,
  apps: ReadonlyArray<Fixtures.ConnectedApp>,
  nowMillis: number
): Effect.Effect<Verified, JwtRejected> =>
  Effect.gen(function*() {
    const header = yield* Effect.try({
      try: () => decodeProtectedHeader(token),
      catch: () => new JwtRejected({ reason: "the token is not a JWT" })
    })
    if (header.alg !== "HS256") return yield* new JwtRejected({ reason: `alg ${String(header.alg)} is not HS256` })
    const app = apps.find((candidate) => candidate.secretId === header.kid)
    if (app === undefined) return yield* new JwtRejected({ reason: "no connected app has this secret id (kid)" })
    if (header["iss"] !== app.clientId) {
      return yield* new JwtRejected({ reason: "the header iss is not the connected app's client id" })
    }
    const { payload } = yield* Effect.tryPromise({
      try: () =>
        jwtVerify(token, new TextEncoder().encode(app.secretValue), {
          algorithms: ["HS256"],
          issuer: app.clientId,
          audience: "tableau",
          currentDate: new Date(nowMillis),
          requiredClaims: ["exp", "sub", "jti"]
        }),
      catch: (cause) => new JwtRejected({ reason: cause instanceof Error ? cause.message : "invalid JWT" })
    })
    const exp = payload.exp ?? 0
    if (exp - nowMillis / 1000 > MAX_LIFETIME_SECONDS) {
      return yield* new JwtRejected({ reason: "exp is more than 10 minutes ahead" })
    }
    const scp = payload["scp"]
    const scopes = Array.isArray(scp) ? scp.filter((scope): scope is string => typeof scope === "string") : []
    return { app, username: payload.sub ?? "", jti: payload.jti ?? "", scopes }
  })
