/**
 * Page options checked and turned into query parameters: whatever is wrong fails here, with
 * `TableauRequestError` (or `TableauVersionError`), before a request exists.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ApiVersion from "../ApiVersion.js"
import * as Filter from "../Filter.js"
import type { PageOptions } from "../Pagination.js"
import * as Sort from "../Sort.js"
import { TableauRequestError } from "../TableauError.js"
import type { TableauError } from "../TableauError.js"
import type { Service } from "../TableauSession.js"
import { FIELD_NAME } from "./fields.js"

/** Tableau's default page size. @internal */
export const DEFAULT_PAGE_SIZE = 100

/** The largest page size Tableau accepts. @internal */
export const MAX_PAGE_SIZE = 1000

/** The checked page size and the query parameters other than `pageNumber`, `pageSize` first. @internal */
export interface Query {
  readonly pageSize: number
  readonly params: ReadonlyArray<readonly [string, string]>
}

/** Fails with `TableauRequestError` for `parameter`. @internal */
export const reject = (parameter: string, reason: string, value?: unknown) =>
  Effect.fail(
    new TableauRequestError({ parameter, reason, ...(value !== undefined ? { value: String(value) } : {}) })
  )

/** Whether `value` is an integer within `min..max`. @internal */
export const isCount = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max

/** Checks the options and renders `pageSize`, `filter`, `sort` and `fields`. @internal */
export const prepare = (
  session: Service,
  options: Omit<PageOptions, "pageNumber">
): Effect.Effect<Query, TableauRequestError | TableauError> =>
  Effect.gen(function*() {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE
    if (!isCount(pageSize, 1, MAX_PAGE_SIZE)) {
      return yield* reject("pageSize", `must be an integer from 1 to ${MAX_PAGE_SIZE}`, pageSize)
    }
    const params: Array<readonly [string, string]> = [["pageSize", String(pageSize)]]
    if (options.filter !== undefined) {
      yield* ApiVersion.require("filtering", "2.3", session.apiVersion)
      const text = Filter.render(options.filter)
      if (Either.isLeft(text)) return yield* text.left
      if (text.right !== "") params.push(["filter", text.right])
    }
    if (options.sort !== undefined) {
      yield* ApiVersion.require("sorting", "2.3", session.apiVersion)
      const text = Sort.render(options.sort)
      if (Either.isLeft(text)) return yield* text.left
      if (text.right !== "") params.push(["sort", text.right])
    }
    if (options.fields !== undefined) {
      yield* ApiVersion.require("field expressions", "2.5", session.apiVersion)
      const fields: ReadonlyArray<string> = typeof options.fields === "string" ? [options.fields] : options.fields
      const wrong = fields.find((field) => !FIELD_NAME.test(field))
      if (wrong !== undefined) return yield* reject("fields", "is not a field name such as _all_ or owner.name", wrong)
      if (fields.length > 0) params.push(["fields", fields.join(",")])
    }
    return { pageSize, params }
  })
