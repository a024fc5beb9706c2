/**
 * Tableau's ids (LUIDs, the UUID form) and the one way the client refuses an id that is not one:
 * before anything is sent, since an id goes into a path or a body where another string could
 * name another item or another path.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { TableauRequestError } from "../TableauError.js"

/** @internal */
export const pattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/** A LUID as a schema, for credentials and for the ids a server answers. @internal */
export const Luid = Schema.String.pipe(
  Schema.pattern(pattern, {
    message: () => "must be a Tableau LUID (UUID form, e.g. 9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f)"
  })
)

/** @internal */
export const isLuid = (value: unknown): value is string => typeof value === "string" && pattern.test(value)

/** The error for `value` given as `parameter` where a LUID belongs; the value is cut to 100 characters. @internal */
export const notALuid = (parameter: string, value: unknown): TableauRequestError =>
  new TableauRequestError({
    parameter,
    reason: "expected a Tableau LUID such as 9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f",
    value: String(value).slice(0, 100)
  })
