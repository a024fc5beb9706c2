/**
 * The three ways to sign in to Tableau, as a Schema tagged union: personal access token,
 * username and password, and JWT (connected apps, unified access tokens).
 *
 * Secrets are `Redacted`: `String(c)`, `JSON.stringify(c)` and `util.inspect(c)` show
 * `<redacted>`. The constructors take named fields only (TSC's positional `JWTAuth(jwt, site)`
 * silently sends the site as `isUat`); they do not throw: validation runs when the credentials
 * are used (sign-in) or decoded from untrusted input, and fails with `TableauCredentialsError`.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { mintConnectedAppJwt } from "./internal/connectedAppJwt.js"
import * as Luids from "./internal/luid.js"
import { TableauCredentialsError } from "./TableauError.js"

const trimmed = (what: string) =>
  Schema.String.annotations({ message: () => `${what} must be a string` }).pipe(
    Schema.nonEmptyString({ message: () => `${what} must not be empty` }),
    Schema.filter((s) => s.trim() === s || `${what} must not start or end with whitespace`)
  )

const secret = (what: string) =>
  Schema.Redacted(trimmed(what)).annotations({ message: () => `${what} must be a string` })

/**
 * A Tableau LUID (the UUID form of every Tableau id), e.g. a user id to impersonate.
 *
 * @since 0.1.0
 * @category Models
 */
export const Luid = Luids.Luid

const site = Schema.optionalWith(
  Schema.String.annotations({ message: () => "site must be a string (the contentUrl; \"\" is the Default site)" }).pipe(
    Schema.filter((s) => s.trim() === s || "site must not start or end with whitespace")
  ),
  { default: () => "" }
)
const impersonateUserId = Schema.optional(Luid)

/**
 * Sign in with a personal access token (API 3.6+). One PAT allows one session at a time.
 *
 * @since 0.1.0
 * @category Models
 */
export class PersonalAccessToken extends Schema.TaggedClass<PersonalAccessToken>()("PersonalAccessToken", {
  tokenName: trimmed("tokenName"),
  tokenSecret: secret("tokenSecret"),
  site,
  impersonateUserId
}) {}

/**
 * Sign in with a username and password (blocked on Tableau Cloud sites with MFA).
 *
 * @since 0.1.0
 * @category Models
 */
export class UsernamePassword extends Schema.TaggedClass<UsernamePassword>()("UsernamePassword", {
  username: trimmed("username"),
  password: secret("password"),
  site,
  impersonateUserId
}) {}

/**
 * An Effect that yields a fresh JWT for each sign-in: a JWT is good for one sign-in only, so a
 * session that signs in again (after expiry) needs a new one.
 *
 * @since 0.1.0
 * @category Models
 */
export type JwtSource = Effect.Effect<string | Redacted.Redacted<string>, unknown>

const JwtSource = Schema.declare(
  (u: unknown): u is JwtSource => Effect.isEffect(u),
  { identifier: "JwtSource", message: () => "jwt must be a string or an Effect that yields one" }
)

/**
 * Sign in with a JWT from a connected app (API 3.17, 3.16 on Cloud), or a unified access token
 * when `isUat` is true (API 3.27).
 *
 * @since 0.1.0
 * @category Models
 */
export class Jwt extends Schema.TaggedClass<Jwt>()("Jwt", {
  jwt: Schema.Union(secret("jwt"), JwtSource),
  isUat: Schema.optionalWith(Schema.Boolean.annotations({ message: () => "isUat must be a boolean" }), {
    default: () => false
  }),
  site,
  impersonateUserId
}) {}

/**
 * Any of the three credential kinds.
 *
 * @since 0.1.0
 * @category Models
 */
export const Credentials = Schema.Union(PersonalAccessToken, UsernamePassword, Jwt)

/**
 * @since 0.1.0
 * @category Models
 */
export type Credentials = typeof Credentials.Type

/**
 * A secret as given to a constructor: a plain string (wrapped at once) or a `Redacted`.
 *
 * @since 0.1.0
 * @category Models
 */
export type SecretInput = string | Redacted.Redacted<string>

const toRedacted = (value: SecretInput): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

/**
 * The fields every credential kind shares.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Common {
  /** The site's contentUrl (the part after `/site/` in a browser URL); `""` is the Default site. */
  readonly site?: string
  /** The LUID of a user to impersonate (Tableau Server, server administrators only). */
  readonly impersonateUserId?: string
}

/**
 * Personal access token credentials. The secret may be a plain string or a `Redacted`.
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * const credentials = Credentials.personalAccessToken({
 *   tokenName: "ci-publisher",
 *   tokenSecret: process.env.TABLEAU_PAT_SECRET ?? "",
 *   site: "MarketingTeam"
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const personalAccessToken = (
  options: Common & { readonly tokenName: string; readonly tokenSecret: SecretInput }
): PersonalAccessToken =>
  new PersonalAccessToken({
    tokenName: options.tokenName,
    tokenSecret: toRedacted(options.tokenSecret),
    site: options.site ?? "",
    ...(options.impersonateUserId !== undefined ? { impersonateUserId: options.impersonateUserId } : {})
  }, true)

/**
 * Username and password credentials. The password may be a plain string or a `Redacted`.
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * const credentials = Credentials.usernamePassword({ username: "admin", password: "s3cret", site: "" })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const usernamePassword = (
  options: Common & { readonly username: string; readonly password: SecretInput }
): UsernamePassword =>
  new UsernamePassword({
    username: options.username,
    password: toRedacted(options.password),
    site: options.site ?? "",
    ...(options.impersonateUserId !== undefined ? { impersonateUserId: options.impersonateUserId } : {})
  }, true)

/**
 * JWT credentials (connected apps), or a unified access token with `isUat: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Credentials } from "@tableau-effect/client"
 *
 * const credentials = Credentials.jwt({ jwt: "eyJhbGciOi...", site: "MarketingTeam" })
 * // or a fresh JWT for every sign-in:
 * const renewed = Credentials.jwt({ jwt: Effect.promise(() => fetchJwtFromVault()), site: "MarketingTeam" })
 * declare const fetchJwtFromVault: () => Promise<string>
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const jwt = (
  options: Common & { readonly jwt: SecretInput | JwtSource; readonly isUat?: boolean }
): Jwt =>
  new Jwt({
    jwt: Effect.isEffect(options.jwt) ? options.jwt : toRedacted(options.jwt),
    isUat: options.isUat ?? false,
    site: options.site ?? "",
    ...(options.impersonateUserId !== undefined ? { impersonateUserId: options.impersonateUserId } : {})
  }, true)

/**
 * JWT credentials for a connected app (direct trust) that mint a fresh JWT for every sign-in,
 * so a session can sign in again after it expires. `expiresIn` is at most 10 minutes (Tableau's
 * limit; default 5 minutes). The scopes are Tableau's, e.g. `tableau:content:read`.
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * const credentials = Credentials.connectedApp({
 *   clientId: "c0ffee00-...",
 *   secretId: "5ec2e7...",
 *   secretValue: process.env.TABLEAU_CONNECTED_APP_SECRET_VALUE ?? "",
 *   username: "analyst@example.com",
 *   scopes: ["tableau:content:read"],
 *   site: "MarketingTeam"
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const connectedApp = (
  options: Common & {
    readonly clientId: string
    readonly secretId: string
    readonly secretValue: SecretInput
    readonly username: string
    readonly scopes?: ReadonlyArray<string>
    readonly expiresIn?: Duration.DurationInput
  }
): Jwt => {
  const seconds = Math.floor(Duration.toSeconds(Duration.decode(options.expiresIn ?? "5 minutes")))
  return jwt({
    ...(options.site !== undefined ? { site: options.site } : {}),
    ...(options.impersonateUserId !== undefined ? { impersonateUserId: options.impersonateUserId } : {}),
    jwt: Effect.suspend(() => {
      const problems = [
        ...(options.clientId.trim() === "" ? [{ path: ["clientId"], message: "clientId must not be empty" }] : []),
        ...(options.secretId.trim() === "" ? [{ path: ["secretId"], message: "secretId must not be empty" }] : []),
        ...(options.username.trim() === "" ? [{ path: ["username"], message: "username must not be empty" }] : []),
        ...(seconds < 1 || seconds > 600
          ? [{ path: ["expiresIn"], message: "expiresIn must be between 1 second and 10 minutes" }]
          : [])
      ]
      return problems.length > 0
        ? Effect.fail(new TableauCredentialsError({ issues: problems }))
        : mintConnectedAppJwt({
          clientId: options.clientId,
          secretId: options.secretId,
          secretValue: toRedacted(options.secretValue),
          username: options.username,
          scopes: options.scopes ?? ["tableau:content:read"],
          expiresInSeconds: seconds
        })
    })
  })
}

const toCredentialsError = (error: ParseResult.ParseError): TableauCredentialsError => {
  const seen = new Set<string>()
  const issues = []
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const path = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key))
    // An optional field reports its member schemas one by one ("Expected undefined"): the
    // first problem per path is the one worth reading.
    const key = path.join("\u0000")
    if (seen.has(key)) continue
    seen.add(key)
    // The formatter may quote the value it found ("actual ..."); that value can be a secret.
    const message = issue._tag === "Missing" ? "is required" : issue.message.replace(/,?\s*actual[\s\S]*$/, "")
    issues.push({ path, message })
  }
  return new TableauCredentialsError({ issues })
}

const decodeUnknown = Schema.decodeUnknown(Credentials, { errors: "all", onExcessProperty: "error" })
// A class instance is checked by its type alone, so validation goes through the encoded form,
// where every field's refinement runs again.
const encodeCredentials = Schema.encode(Credentials, { errors: "all" })

/**
 * Turns untrusted input (a JSON config, parsed environment) into credentials, or a
 * `TableauCredentialsError` that lists every problem by path and never quotes a value.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Credentials } from "@tableau-effect/client"
 *
 * const program = Credentials.decode({
 *   _tag: "PersonalAccessToken", tokenName: "ci", tokenSecret: "secret", site: "MarketingTeam"
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const decode = (input: unknown): Effect.Effect<Credentials, TableauCredentialsError> =>
  Effect.mapError(decodeUnknown(input), toCredentialsError)

/**
 * Checks credentials built with the constructors; sign-in runs this before anything is sent.
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * const checked = Credentials.validate(Credentials.usernamePassword({ username: " admin", password: "x" }))
 * // fails: username must not start or end with whitespace
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const validate = (credentials: Credentials): Effect.Effect<Credentials, TableauCredentialsError> =>
  Effect.mapError(Effect.flatMap(encodeCredentials(credentials), decodeUnknown), toCredentialsError)

/**
 * A short, secret-free description for logs and span attributes: kind, site, impersonation.
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * Credentials.describe(Credentials.usernamePassword({ username: "admin", password: "x" }))
 * // 'UsernamePassword "admin" on the Default site'
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const describe = (credentials: Credentials, site: string = credentials.site): string => {
  const who = credentials._tag === "PersonalAccessToken"
    ? ` "${credentials.tokenName}"`
    : credentials._tag === "UsernamePassword"
    ? ` "${credentials.username}"`
    : credentials.isUat
    ? " (unified access token)"
    : ""
  const where = site === "" ? "the Default site" : `site "${site}"`
  const as = credentials.impersonateUserId ? `, impersonating ${credentials.impersonateUserId}` : ""
  return `${credentials._tag}${who} on ${where}${as}`
}

/**
 * The JWT to send now: the fixed one, or a fresh one from the source (checked like a fixed one).
 *
 * @example
 * ```ts
 * import { Credentials } from "@tableau-effect/client"
 *
 * const token = Credentials.resolveJwt(Credentials.jwt({ jwt: "a.b.c" }))
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const resolveJwt = (credentials: Jwt): Effect.Effect<Redacted.Redacted<string>, TableauCredentialsError> => {
  const source = credentials.jwt
  if (!Effect.isEffect(source)) return Effect.succeed(source)
  return source.pipe(
    Effect.mapError((error) =>
      error instanceof TableauCredentialsError ? error : new TableauCredentialsError({
        issues: [{ path: ["jwt"], message: `the JWT source failed${describeFailure(error)}` }]
      })
    ),
    Effect.flatMap((value) => {
      const redacted = toRedacted(value)
      const text = Redacted.value(redacted)
      return text.length > 0 && text.trim() === text
        ? Effect.succeed(redacted)
        : Effect.fail(
          new TableauCredentialsError({
            issues: [{ path: ["jwt"], message: "the JWT source yielded an empty or padded JWT" }]
          })
        )
    })
  )
}

// Only the kind of failure: the failure itself could carry the secret it was minting.
const describeFailure = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return ""
  const tag = (error as { readonly _tag?: unknown })._tag
  const name = (error as { readonly name?: unknown }).name
  return typeof tag === "string" ? ` (${tag})` : typeof name === "string" ? ` (${name})` : ""
}

/**
 * Credentials from the environment: `TABLEAU_SITE` (default `""`), optional
 * `TABLEAU_IMPERSONATE_USER_ID`, and exactly one of `TABLEAU_PAT_NAME` + `TABLEAU_PAT_SECRET`,
 * `TABLEAU_USERNAME` + `TABLEAU_PASSWORD`, `TABLEAU_JWT`, or `TABLEAU_CONNECTED_APP_CLIENT_ID` +
 * `TABLEAU_CONNECTED_APP_SECRET_ID` + `TABLEAU_CONNECTED_APP_SECRET_VALUE` + `TABLEAU_USERNAME`.
 * Incomplete or ambiguous settings are a `ConfigError` that names the variables.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Credentials } from "@tableau-effect/client"
 *
 * const program = Effect.gen(function*() {
 *   const credentials = yield* Credentials.config
 *   yield* Effect.log(Credentials.describe(credentials))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export { config } from "./internal/credentialsConfig.js"
