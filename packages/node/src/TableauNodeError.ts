/**
 * The errors of `@tableau-effect/node`: options that cannot be used, found when the layer is
 * built, before any request is sent. Failures of a request stay the client's
 * `TableauTransportError` (reason `"Tls"`, `"Timeout"`, ...).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An option of `TableauNode.layer` cannot be used: a CA file that is missing, unreadable or holds
 * no PEM certificate, a client key that cannot be read, a timeout or pool size out of range, an
 * option of the Agent (`tls`, `connections`, `connectTimeout`) given with your own `dispatcher`.
 * It names the option and, for a file, its path; never the content of a key.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { TableauNode } from "@tableau-effect/node"
 *
 * const built = TableauNode.make({ tls: { ca: "/etc/ssl/tableau-ca.pem" } }).pipe(
 *   Effect.catchTag("TableauNodeConfigError", (e) => Effect.logError(`fix ${e.option}: ${e.message}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category Errors
 */
export class TableauNodeConfigError
  extends Schema.TaggedError<TableauNodeConfigError>("@tableau-effect/node/TableauNodeConfigError")(
    "TableauNodeConfigError",
    {
      /** The option at fault, as written in `TableauNode.layer`'s options: `tls.ca`, `tls.key`, `headersTimeout`, ... */
      option: Schema.String,
      /** The file it names, when the option was a path rather than PEM text. */
      path: Schema.optional(Schema.String),
      /** What is wrong, and what to do about it. */
      reason: Schema.String,
      /** The system error code of a failed read (`ENOENT`, `EACCES`, `EISDIR`). */
      code: Schema.optional(Schema.String)
    }
  )
{
  /** @since 0.1.0 */
  override get message(): string {
    const what = this.path === undefined ? this.option : `${this.path} (${this.option})`
    const code = this.code === undefined ? "" : ` [${this.code}]`
    return `Cannot use ${what}${code}: ${this.reason}`
  }
}
