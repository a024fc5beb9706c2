/**
 * Typed builders for Tableau's `filter=` query parameter (`name:eq:Sales,tags:in:[a,b]`).
 *
 * A filter is plain data; it is checked when a request is prepared, so a value that would break
 * the syntax (`,` `&` `:` `[` `]`, and `|`, which older notes used between `in` values) fails
 * with `TableauRequestError` and nothing is sent. An `in` list is comma-separated inside
 * brackets, as Tableau's filtering reference and its own clients write it.
 * The HTTP layer percent-encodes the whole expression (`name%3Aeq%3ASales+Report`), which Tableau
 * decodes like any form-encoded query; the characters above stay forbidden even encoded, because
 * Tableau splits the decoded text on them.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import { FIELD_NAME } from "./internal/fields.js"
import { TableauRequestError } from "./TableauError.js"

/**
 * The operators of Tableau's filter syntax.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operator = "eq" | "cieq" | "gt" | "gte" | "lt" | "lte" | "has" | "in"

/**
 * A value to compare with: text, a number, a boolean, or a point in time (sent as
 * `2024-01-15T09:00:00Z`).
 *
 * @since 0.1.0
 * @category Models
 */
export type Value = string | number | boolean | Date | DateTime.DateTime

/**
 * One `field:operator:value` expression.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Expression {
  readonly field: string
  readonly operator: Operator
  readonly value: Value | ReadonlyArray<string | number>
}

/**
 * A filter: one or more expressions that must all hold (Tableau joins them with commas).
 *
 * @since 0.1.0
 * @category Models
 */
export interface Filter {
  readonly _tag: "Filter"
  readonly expressions: ReadonlyArray<Expression>
}

const make = (field: string, operator: Operator, value: Expression["value"]): Filter => ({
  _tag: "Filter",
  expressions: [{ field, operator, value }]
})

/**
 * `field:eq:value`: equal (for `tags`, one of the tags is equal).
 *
 * @example
 * ```ts
 * import { Filter, Workbooks } from "@tableau-effect/client"
 *
 * const sales = Workbooks.page({ filter: Filter.eq("name", "Sales Report") })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const eq = (field: string, value: string | number | boolean): Filter => make(field, "eq", value)

/**
 * `field:cieq:value`: equal, ignoring case.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const cieq = (field: string, value: string): Filter => make(field, "cieq", value)

/**
 * `field:gt:value`: greater than (dates, numbers, text).
 *
 * @example
 * ```ts
 * import { Filter } from "@tableau-effect/client"
 *
 * const recent = Filter.gt("updatedAt", new Date("2024-01-01T00:00:00Z")) // updatedAt:gt:2024-01-01T00:00:00Z
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const gt = (field: string, value: string | number | Date | DateTime.DateTime): Filter => make(field, "gt", value)

/**
 * `field:gte:value`: greater than or equal.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const gte = (field: string, value: string | number | Date | DateTime.DateTime): Filter =>
  make(field, "gte", value)

/**
 * `field:lt:value`: less than.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const lt = (field: string, value: string | number | Date | DateTime.DateTime): Filter => make(field, "lt", value)

/**
 * `field:lte:value`: less than or equal.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const lte = (field: string, value: string | number | Date | DateTime.DateTime): Filter =>
  make(field, "lte", value)

/**
 * `field:has:value`: contains (a substring of text, or one of the tags).
 *
 * @since 0.1.0
 * @category Constructors
 */
export const has = (field: string, value: string): Filter => make(field, "has", value)

const isIn = (field: string, values: ReadonlyArray<string | number>): Filter => make(field, "in", values)

export {
  /**
   * `field:in:[a,b]`: equal to one of the values.
   *
   * @example
   * ```ts
   * import { Filter } from "@tableau-effect/client"
   *
   * const tagged = Filter.in("tags", ["sales", "finance"]) // tags:in:[sales,finance]
   * ```
   *
   * @since 0.1.0
   * @category Constructors
   */
  isIn as in
}

/**
 * All the given filters at once (`a,b`): the expressions of each, in order.
 *
 * @example
 * ```ts
 * import { Filter } from "@tableau-effect/client"
 *
 * const both = Filter.and(Filter.eq("projectName", "Finance"), Filter.in("tags", ["q1", "q2"]))
 * // projectName:eq:Finance,tags:in:[q1,q2]
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const and = (...filters: ReadonlyArray<Filter>): Filter => ({
  _tag: "Filter",
  expressions: filters.flatMap((filter) => filter.expressions)
})

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

const RESERVED = /[,&:[\]|]/

const invalid = (reason: string, value?: string) =>
  Either.left(new TableauRequestError({ parameter: "filter", reason, ...(value !== undefined ? { value } : {}) }))

const formatInstant = (instant: Date | DateTime.DateTime): string | undefined => {
  if (instant instanceof Date) {
    return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString().replace(/\.\d{3}Z$/, "Z")
  }
  return DateTime.formatIso(DateTime.toUtc(instant)).replace(/\.\d{3}Z$/, "Z")
}

const renderValue = (field: string, value: Value): Either.Either<string, TableauRequestError> => {
  if (typeof value === "string") {
    if (value.length === 0) return invalid(`the value of ${field} is empty`, value)
    const found = RESERVED.exec(value)
    if (found !== null) {
      return invalid(
        `the value of ${field} contains "${found[0]}", which Tableau's filter syntax reserves (, & : [ ] |)`,
        value
      )
    }
    return Either.right(value)
  }
  if (typeof value === "number") {
    return Number.isFinite(value)
      ? Either.right(String(value))
      : invalid(`the value of ${field} is not a finite number`, String(value))
  }
  if (typeof value === "boolean") return Either.right(value ? "true" : "false")
  const instant = formatInstant(value)
  return instant === undefined ? invalid(`the value of ${field} is an invalid Date`) : Either.right(instant)
}

const renderExpression = (expression: Expression): Either.Either<string, TableauRequestError> => {
  const { field, operator, value } = expression
  if (!FIELD_NAME.test(field)) return invalid(`"${field}" is not a field name`, field)
  if (Array.isArray(value)) {
    const values = value as ReadonlyArray<string | number>
    if (values.length === 0) return invalid(`${field}:in needs at least one value`)
    const rendered: Array<string> = []
    for (const one of values) {
      const text = renderValue(field, one)
      if (Either.isLeft(text)) return text
      rendered.push(text.right)
    }
    return Either.right(`${field}:in:[${rendered.join(",")}]`)
  }
  return Either.map(renderValue(field, value as Value), (text) => `${field}:${operator}:${text}`)
}

/**
 * The text of the `filter=` parameter (before percent-encoding), or why it cannot be sent.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { Filter } from "@tableau-effect/client"
 *
 * const text = Filter.render(Filter.in("tags", ["a", "b"])) // Either.right("tags:in:[a,b]")
 * const bad = Filter.render(Filter.eq("name", "a,b")) // Either.left(TableauRequestError)
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const render = (filter: Filter | ReadonlyArray<Filter>): Either.Either<string, TableauRequestError> => {
  const filters: ReadonlyArray<Filter> = Array.isArray(filter) ? filter : [filter as Filter]
  const parts: Array<string> = []
  for (const one of filters) {
    for (const expression of one.expressions) {
      const text = renderExpression(expression)
      if (Either.isLeft(text)) return text
      parts.push(text.right)
    }
  }
  return Either.right(parts.join(","))
}
