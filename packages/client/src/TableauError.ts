/**
 * Every way a Tableau call can fail, as tagged errors with the fields a caller needs to act.
 *
 * None of these errors ever holds a secret: tokens, passwords, PAT secrets and JWTs stay
 * `Redacted` and are never copied into a field, a message or an excerpt.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { classifyTransportFailure } from "./internal/transportFailure.js"

/**
 * Marks every error of this module, for `isTableauError`.
 *
 * @since 0.1.0
 * @category Models
 */
export const TypeId: unique symbol = Symbol.for("@tableau-effect/client/TableauError")

/**
 * @since 0.1.0
 * @category Models
 */
export type TypeId = typeof TypeId

/**
 * Whether a value is one of the SDK's errors (any member of `TableauError`).
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauUrlError({ url: "ftp://x", reason: "not http" })
 * console.log(TableauError.isTableauError(e), TableauError.isTableauError(new Error("x"))) // true false
 * ```
 *
 * @since 0.1.0
 * @category Guards
 */
export const isTableauError = (u: unknown): u is TableauError => Predicate.hasProperty(u, TypeId)

/**
 * Tableau answered with an `<error code="...">` body (or a status that Tableau documents).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauError } from "@tableau-effect/client"
 *
 * const program = Effect.fail(
 *   new TableauError.TableauApiError({
 *     status: 401, code: "401001", summary: "Signin Error", detail: "Error signing in to Tableau Server",
 *     method: "POST", url: "https://tableau.example.com/api/3.24/auth/signin"
 *   })
 * ).pipe(Effect.catchTag("TableauApiError", (e) => Effect.log(e.code)))
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauApiError extends Schema.TaggedError<TableauApiError>("@tableau-effect/client/TableauApiError")(
  "TableauApiError",
  {
    status: Schema.Number,
    code: Schema.String,
    summary: Schema.String,
    detail: Schema.String,
    method: Schema.String,
    url: Schema.String,
    hint: Schema.optional(Schema.String),
    /** Seconds to wait before trying again, from `Retry-After` or the detail text (429 answers). */
    retryAfterSeconds: Schema.optional(Schema.Number)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const base = `Tableau answered ${this.method} ${this.url} with ${this.status} (${this.code} ${this.summary})` +
      (this.detail ? `: ${this.detail}` : "")
    // Tableau's details usually end with a full stop already ("... specified in URI.").
    return this.hint ? `${base}${/[.!?]$/.test(base) ? "" : "."} ${this.hint}` : base
  }
}

/**
 * The server answered with a 3xx. Redirects are never followed: a followed redirect turns the
 * sign-in POST into a GET (Tableau's 405000) or sends credentials to another host.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauError } from "@tableau-effect/client"
 *
 * const handled = (e: TableauError.TableauRedirectError) =>
 *   Effect.log(`use ${e.suggestedUrl ?? e.location} instead`)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauRedirectError
  extends Schema.TaggedError<TableauRedirectError>("@tableau-effect/client/TableauRedirectError")(
    "TableauRedirectError",
    {
      status: Schema.Number,
      method: Schema.String,
      from: Schema.String,
      location: Schema.optional(Schema.String),
      suggestedUrl: Schema.optional(Schema.String)
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const where = this.location
      ? `redirected ${this.from} to ${this.location}`
      : `answered ${this.from} with a redirect`
    const advice = this.suggestedUrl
      ? `; use TableauServer.layer({ url: "${this.suggestedUrl}" })`
      : "; redirects are not followed, point TableauServer at the final URL"
    return `The server ${where} (${this.status}) instead of answering the ${this.method}${advice}`
  }
}

/**
 * A response that could not be read as the expected Tableau XML: an HTML login page, an empty
 * proxy answer, truncated or hostile XML, or a body of the wrong shape.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauDecodeError({
 *   status: 200, contentType: "text/html", excerpt: "<html>Sign in</html>", reason: "not XML"
 * })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauDecodeError
  extends Schema.TaggedError<TableauDecodeError>("@tableau-effect/client/TableauDecodeError")(
    "TableauDecodeError",
    {
      status: Schema.Number,
      contentType: Schema.String,
      excerpt: Schema.String,
      reason: Schema.String,
      url: Schema.optional(Schema.String)
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const where = this.url ? ` from ${this.url}` : ""
    const type = this.contentType || "no content type"
    const body = this.excerpt ? `: ${JSON.stringify(this.excerpt)}` : " (empty body)"
    return `Could not read the response${where} (${this.status}, ${type}): ${this.reason}${body}`
  }
}

/**
 * The request never got an HTTP answer: refused connection, DNS failure, TLS failure, timeout.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauTransportError({
 *   reason: "Refused", url: "https://tableau.example.com", description: "connect ECONNREFUSED"
 * })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauTransportError
  extends Schema.TaggedError<TableauTransportError>("@tableau-effect/client/TableauTransportError")(
    "TableauTransportError",
    {
      reason: Schema.Literal("Refused", "Dns", "Tls", "Timeout", "Reset", "BodyTooLarge", "HeadersTooLarge", "Unknown"),
      url: Schema.String,
      description: Schema.String,
      code: Schema.optional(Schema.String),
      hint: Schema.optional(Schema.String),
      /**
       * The innermost error the transport gave (an undici or OpenSSL error), rebuilt with its
       * name, code and message only: nothing of the request travels with it.
       */
      cause: Schema.optional(Schema.Defect)
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /**
   * Converts whatever a transport threw (fetch's `TypeError` with an undici or OpenSSL `cause`,
   * an `AbortError`, a platform `RequestError`) into this error, with a hint where one helps.
   *
   * @since 0.1.0
   */
  static fromCause(cause: unknown, url: string): TableauTransportError {
    return new TableauTransportError({ ...classifyTransportFailure(cause, url), url })
  }

  /** @since 0.1.0 */
  override get message(): string {
    const code = this.code ? ` [${this.code}]` : ""
    const hint = this.hint ? ` ${this.hint}` : ""
    return `${this.reason} error talking to ${this.url}${code}: ${this.description}.${hint}`
  }
}

/**
 * The server URL given to `TableauServer` cannot be used; raised when the layer is built.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauUrlError({ url: "ftp://x", reason: "the URL must start with http:// or https://" })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauUrlError extends Schema.TaggedError<TableauUrlError>("@tableau-effect/client/TableauUrlError")(
  "TableauUrlError",
  { url: Schema.String, reason: Schema.String }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `Cannot use ${JSON.stringify(this.url)} as the Tableau server URL: ${this.reason}`
  }
}

/**
 * The API version in use is older than the feature needs. Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauVersionError({ feature: "personal access token sign-in", required: "3.6", actual: "3.5" })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauVersionError
  extends Schema.TaggedError<TableauVersionError>("@tableau-effect/client/TableauVersionError")(
    "TableauVersionError",
    {
      feature: Schema.String,
      required: Schema.String,
      actual: Schema.String
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.feature} needs REST API ${this.required} or later, but this server is used with ${this.actual}; ` +
      `upgrade the server or set a newer apiVersion in TableauServer.layer`
  }
}

/**
 * The operation cannot work on this deployment, e.g. switchSite or impersonation on Tableau Cloud.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauUnsupportedError({ operation: "switchSite", reason: "Tableau Cloud has no switchSite" })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauUnsupportedError
  extends Schema.TaggedError<TableauUnsupportedError>("@tableau-effect/client/TableauUnsupportedError")(
    "TableauUnsupportedError",
    {
      operation: Schema.String,
      reason: Schema.String
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.operation} is not supported: ${this.reason}`
  }
}

/**
 * Re-sign-ins happen too often: something else keeps ending this session, most likely another
 * process signing in with the same personal access token (a PAT allows one session at a time).
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauSessionConflictError({ reSignIns: 4, windowSeconds: 60 })
 * console.log(e.message)
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauSessionConflictError
  extends Schema.TaggedError<TableauSessionConflictError>("@tableau-effect/client/TableauSessionConflictError")(
    "TableauSessionConflictError",
    { reSignIns: Schema.Number, windowSeconds: Schema.Number }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `The session was ended ${this.reSignIns} times within ${this.windowSeconds} seconds. Another process is ` +
      `probably signing in with the same personal access token, which allows one session at a time: ` +
      `give each process its own PAT`
  }
}

/**
 * A request that cannot be sent as asked: a filter value that would break Tableau's syntax, a
 * page size outside 1..1000, an id that is not a LUID. Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Filter, Workbooks } from "@tableau-effect/client"
 *
 * const program = Workbooks.page({ filter: Filter.eq("name", "Sales, West") }).pipe(
 *   Effect.catchTag("TableauRequestError", (e) => Effect.log(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauRequestError
  extends Schema.TaggedError<TableauRequestError>("@tableau-effect/client/TableauRequestError")(
    "TableauRequestError",
    {
      /** The option or argument at fault: `filter`, `sort`, `fields`, `pageSize`, `id`, ... */
      parameter: Schema.String,
      reason: Schema.String,
      value: Schema.optional(Schema.String)
    }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const value = this.value === undefined ? "" : ` ${JSON.stringify(this.value)}`
    return `Invalid ${this.parameter}${value}: ${this.reason}; nothing was sent`
  }
}

/**
 * One problem found in credentials, by path (`["tokenSecret"]`), never with the offending value.
 *
 * @since 0.1.0
 * @category Errors
 */
export const CredentialsIssue = Schema.Struct({
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category Errors
 */
export type CredentialsIssue = typeof CredentialsIssue.Type

/**
 * Credentials that cannot be used: every problem listed by path, with no secret in it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Credentials } from "@tableau-effect/client"
 *
 * Credentials.decode({ _tag: "PersonalAccessToken", tokenName: "" }).pipe(
 *   Effect.catchTag("TableauCredentialsError", (e) => Effect.log(e.message))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauCredentialsError
  extends Schema.TaggedError<TableauCredentialsError>("@tableau-effect/client/TableauCredentialsError")(
    "TableauCredentialsError",
    { issues: Schema.Array(CredentialsIssue) }
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const lines = this.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "credentials"}: ${i.message}`)
    return `Invalid Tableau credentials: ${lines.join("; ")}`
  }
}

const jobLabel = (jobId: string, jobType: string | undefined): string =>
  jobType === undefined ? `Job ${jobId}` : `Job ${jobId} (${jobType})`

const notesText = (notes: ReadonlyArray<string>): string =>
  notes.length === 0 ? "no status notes" : `notes: ${notes.map((note) => JSON.stringify(note)).join("; ")}`

// What a finished job tells, for both ways it can end badly.
const jobOutcome = {
  jobId: Schema.String,
  /** The job's type as Tableau wrote it (`RefreshExtract`, ...), when it did. */
  jobType: Schema.optional(Schema.String),
  finishCode: Schema.Number,
  /** The status notes of the job, in order (Tableau's reasons). */
  notes: Schema.Array(Schema.String)
}

/**
 * A background job (an extract refresh, a publish) that Tableau reports finished without
 * success: its id and type, the `finishCode` Tableau gave (1 for a failure) and the status
 * notes that say why. Raised by `Jobs.wait`.
 *
 * @example
 * ```ts
 * import { TableauError } from "@tableau-effect/client"
 *
 * const e = new TableauError.TableauJobFailedError({
 *   jobId: "2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b", jobType: "RefreshExtract", finishCode: 1,
 *   notes: ["The database is unreachable"]
 * })
 * console.log(e.message)
 * // Job 2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b (RefreshExtract) failed (finishCode 1); notes: "The database is unreachable"
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauJobFailedError
  extends Schema.TaggedError<TableauJobFailedError>("@tableau-effect/client/TableauJobFailedError")(
    "TableauJobFailedError",
    jobOutcome
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${jobLabel(this.jobId, this.jobType)} failed (finishCode ${this.finishCode}); ${notesText(this.notes)}`
  }
}

/**
 * A background job that was cancelled before it finished (`finishCode` 2), by `Jobs.cancel`,
 * an administrator or the server. Raised by `Jobs.wait`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Jobs } from "@tableau-effect/client"
 *
 * const program = Jobs.wait("2c6a4f7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b").pipe(
 *   Effect.catchTag("TableauJobCancelledError", (e) => Effect.log(`cancelled: ${e.message}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauJobCancelledError
  extends Schema.TaggedError<TableauJobCancelledError>("@tableau-effect/client/TableauJobCancelledError")(
    "TableauJobCancelledError",
    jobOutcome
  )
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${jobLabel(this.jobId, this.jobType)} was cancelled (finishCode ${this.finishCode}); ${
      notesText(this.notes)
    }`
  }
}

/**
 * Every error the client can fail with.
 *
 * @since 0.1.0
 * @category Errors
 */
export type TableauError =
  | TableauApiError
  | TableauRedirectError
  | TableauDecodeError
  | TableauTransportError
  | TableauUrlError
  | TableauVersionError
  | TableauUnsupportedError
  | TableauCredentialsError
  | TableauSessionConflictError
  | TableauRequestError
  | TableauJobFailedError
  | TableauJobCancelledError
