/**
 * Typed builders for Tableau's `sort=` query parameter (`name:asc,updatedAt:desc`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { FIELD_NAME } from "./internal/fields.js"
import { TableauRequestError } from "./TableauError.js"

/**
 * One sort key: a field and a direction.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Sort {
  readonly _tag: "Sort"
  readonly field: string
  readonly direction: "asc" | "desc"
}

/**
 * `field:asc`: ascending.
 *
 * @example
 * ```ts
 * import { Sort, Workbooks } from "@tableau-effect/client"
 *
 * const byName = Workbooks.page({ sort: Sort.asc("name") })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const asc = (field: string): Sort => ({ _tag: "Sort", field, direction: "asc" })

/**
 * `field:desc`: descending.
 *
 * @example
 * ```ts
 * import { Sort, Workbooks } from "@tableau-effect/client"
 *
 * const newestFirst = Workbooks.page({ sort: [Sort.desc("updatedAt"), Sort.asc("name")] })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const desc = (field: string): Sort => ({ _tag: "Sort", field, direction: "desc" })

/**
 * The text of the `sort=` parameter (before percent-encoding), or why it cannot be sent.
 *
 * @example
 * ```ts
 * import { Sort } from "@tableau-effect/client"
 *
 * const text = Sort.render([Sort.asc("name"), Sort.desc("updatedAt")]) // Either.right("name:asc,updatedAt:desc")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const render = (sort: Sort | ReadonlyArray<Sort>): Either.Either<string, TableauRequestError> => {
  const keys: ReadonlyArray<Sort> = Array.isArray(sort) ? sort : [sort as Sort]
  const parts: Array<string> = []
  for (const key of keys) {
    if (!FIELD_NAME.test(key.field)) {
      return Either.left(
        new TableauRequestError({ parameter: "sort", reason: `"${key.field}" is not a field name`, value: key.field })
      )
    }
    parts.push(`${key.field}:${key.direction}`)
  }
  return Either.right(parts.join(","))
}
