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
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { TableauCredentialsError } from "./TableauError.js"

const trimmed = (what: string) =>
  Schema.String.annotations({ message: () => `${what} must be a string` }).pipe(
    Schema.nonEmptyString({ message: () => `${what} must not be empty` }),
    Schema.filter((s) => s.trim() === s || `${what} must not start or end with whitespace`)
  )

const secret = (what: string) => Schema.Redacted(trimmed(what)).annotations({ message: () => `${what} must be a string` })

/**
 * A Tableau LUID (the UUID form of every Tableau id), e.g. a user id to impersonate.
 *
 * @since 0.1.0
 * @category Models
 */
export const Luid = Schema.String.pipe(
  Schema.pattern(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    message: () => "must be a Tableau LUID (UUID form, e.g. 9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f)"
  })
)

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
 * Sign in with a JWT from a connected app (API 3.17, 3.16 on Cloud), or a unified access token
 * when `isUat` is true (API 3.27).
 *
 * @since 0.1.0
 * @category Models
 */
export class Jwt extends Schema.TaggedClass<Jwt>()("Jwt", {
  jwt: secret("jwt"),
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

type SecretInput = string | Redacted.Redacted<string>

const toRedacted = (value: SecretInput): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

interface Common {
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
 * import { Credentials } from "@tableau-effect/client"
 *
 * const credentials = Credentials.jwt({ jwt: "eyJhbGciOi...", site: "MarketingTeam" })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const jwt = (
  options: Common & { readonly jwt: SecretInput; readonly isUat?: boolean }
): Jwt =>
  new Jwt({
    jwt: toRedacted(options.jwt),
    isUat: options.isUat ?? false,
    site: options.site ?? "",
    ...(options.impersonateUserId !== undefined ? { impersonateUserId: options.impersonateUserId } : {})
  }, true)

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
export const describe = (credentials: Credentials): string => {
  const who = credentials._tag === "PersonalAccessToken"
    ? ` "${credentials.tokenName}"`
    : credentials._tag === "UsernamePassword"
    ? ` "${credentials.username}"`
    : credentials.isUat
    ? " (unified access token)"
    : ""
  const where = credentials.site === "" ? "the Default site" : `site "${credentials.site}"`
  const as = credentials.impersonateUserId ? `, impersonating ${credentials.impersonateUserId}` : ""
  return `${credentials._tag}${who} on ${where}${as}`
}
