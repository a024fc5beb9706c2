import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { SignJWT } from "jose"

/** @internal */
export interface ConnectedAppSettings {
  readonly clientId: string
  readonly secretId: string
  readonly secretValue: Redacted.Redacted<string>
  readonly username: string
  readonly scopes: ReadonlyArray<string>
  readonly expiresInSeconds: number
}

const encoder = new TextEncoder()

/**
 * Mints one JWT for a connected app's direct trust: HS256 with the secret value, header `kid`
 * (secret id) and `iss` (client id); claims `iss`, `sub`, `aud: "tableau"`, `exp`, a random `jti`
 * and `scp` as an array. Time comes from Effect's Clock, so tests control it.
 *
 * @internal
 */
export const mintConnectedAppJwt = (settings: ConnectedAppSettings): Effect.Effect<Redacted.Redacted<string>, Error> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.tryPromise({
      try: () => {
        const issuedAt = Math.floor(now / 1000)
        return new SignJWT({ scp: [...settings.scopes] })
          .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: settings.secretId, iss: settings.clientId })
          .setIssuer(settings.clientId)
          .setSubject(settings.username)
          .setAudience("tableau")
          .setIssuedAt(issuedAt)
          .setExpirationTime(issuedAt + settings.expiresInSeconds)
          .setJti(globalThis.crypto.randomUUID())
          .sign(encoder.encode(Redacted.value(settings.secretValue)))
      },
      catch: (cause) => new Error("could not sign the connected-app JWT", { cause })
    })).pipe(Effect.map(Redacted.make))
