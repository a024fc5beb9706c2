/**
 * Paged lists: `pageSize` (1..1000, default 100), `pageNumber` (from 1), `filter` and `sort`
 * expressions over the values each entry carries, then a slice of pre-rendered fragments.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ApiError from "./ApiError.js"
import type { Entry } from "./catalog.js"
import * as Render from "./render.js"

/** The fields a collection filters and sorts on (the client's declaration of it). @internal */
export interface Fields {
  readonly filter: ReadonlyArray<string>
  readonly sort: ReadonlyArray<string>
}

type Key = string | ReadonlyArray<string>
type Test = (value: Key) => boolean

const OPERATORS = ["eq", "cieq", "in", "has", "gt", "gte", "lt", "lte"] as const

const some = (value: Key, test: (one: string) => boolean): boolean =>
  typeof value === "string" ? test(value) : value.some(test)

const NUMBER = /^-?\d+(\.\d+)?$/

/**
 * Orders two values: as numbers when both are (a size, a count: `size:gte:1000` and
 * `sort=size:desc`, not "9" after "10"), otherwise as text (names, and times, which Tableau writes
 * so that text order is time order).
 */
const compare = (left: string, right: string): number =>
  NUMBER.test(left) && NUMBER.test(right)
    ? Number(left) - Number(right)
    : left < right
    ? -1
    : left > right
    ? 1
    : 0

// A boolean field's value in any case: tableauserverclient writes Python's `True`
// (`filter=isCertified:eq:True`), and the keys hold `true`.
const BOOLEAN = /^(true|false)$/i

// An absent value (a user who never signed in has no `lastLogin`) is in no order, like SQL's NULL:
// `lastLogin:lte:2024-06-01T00:00:00Z` leaves that user out rather than taking "" as earliest.
const ordered = (raw: string, holds: (order: number) => boolean): Test => (value) =>
  some(value, (one) => one !== "" && holds(compare(one, raw)))

const operatorTest = (operator: string, raw: string): Test | undefined => {
  switch (operator) {
    case "eq": {
      const bool = BOOLEAN.test(raw) ? raw.toLowerCase() : undefined
      return (value) => some(value, (one) => one === raw || (bool !== undefined && one === bool))
    }
    case "cieq": {
      const lower = raw.toLowerCase()
      return (value) => some(value, (one) => one.toLowerCase() === lower)
    }
    case "in": {
      // `[a,b]`: comma-separated, as Tableau reads it. No brackets, an empty list or an empty
      // value is a malformed list (400065); `[a|b]` is the one value "a|b", as on Tableau.
      if (!raw.startsWith("[") || !raw.endsWith("]")) return undefined
      const values = raw.slice(1, -1).split(",")
      if (values.some((value) => value.length === 0 || value.includes("[") || value.includes("]"))) return undefined
      const set = new Set(values)
      return (value) => some(value, (one) => set.has(one))
    }
    case "has": {
      const lower = raw.toLowerCase()
      return (value) =>
        typeof value === "string"
          ? value.toLowerCase().includes(lower)
          : value.some((one) => one.toLowerCase() === lower)
    }
    case "gt":
      return ordered(raw, (order) => order > 0)
    case "gte":
      return ordered(raw, (order) => order >= 0)
    case "lt":
      return ordered(raw, (order) => order < 0)
    case "lte":
      return ordered(raw, (order) => order <= 0)
    default:
      return undefined
  }
}

/** Splits `a:eq:x,tags:in:[p,q]` on the commas outside brackets. */
const splitExpressions = (expression: string): Array<string> => {
  const parts: Array<string> = []
  let depth = 0
  let start = 0
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index]
    if (char === "[") depth++
    else if (char === "]") depth = Math.max(0, depth - 1)
    else if (char === "," && depth === 0) {
      parts.push(expression.slice(start, index))
      start = index + 1
    }
  }
  parts.push(expression.slice(start))
  return parts.filter((part) => part.length > 0)
}

const parseFilter = <A>(
  expression: string,
  fields: ReadonlyArray<string>
): Effect.Effect<(entry: Entry<A>) => boolean, ApiError.ApiError> => {
  const tests: Array<{ readonly field: string; readonly test: Test }> = []
  for (const part of splitExpressions(expression)) {
    const first = part.indexOf(":")
    const second = first < 0 ? -1 : part.indexOf(":", first + 1)
    if (second < 0) return Effect.fail(ApiError.invalidExpression("filter", part))
    const field = part.slice(0, first)
    const operator = part.slice(first + 1, second)
    const test = fields.includes(field) && (OPERATORS as ReadonlyArray<string>).includes(operator)
      ? operatorTest(operator, part.slice(second + 1))
      : undefined
    if (test === undefined) return Effect.fail(ApiError.invalidExpression("filter", part))
    tests.push({ field, test })
  }
  return Effect.succeed((entry) => tests.every(({ field, test }) => test(entry.keys[field] ?? "")))
}

const sortKey = (value: Key | undefined): string =>
  value === undefined ? "" : typeof value === "string" ? value : value.join("|")

// Text sorts without case first (then with it, so the order is total); numbers as numbers
// (lower-casing leaves a number one).
const compareKeys = (left: string, right: string): number =>
  compare(left.toLowerCase(), right.toLowerCase()) || compare(left, right)

const parseSort = <A>(
  expression: string,
  fields: ReadonlyArray<string>
): Effect.Effect<(left: Entry<A>, right: Entry<A>) => number, ApiError.ApiError> => {
  const orders: Array<{ readonly field: string; readonly sign: number }> = []
  for (const part of splitExpressions(expression)) {
    const [field, direction, ...rest] = part.split(":")
    if (field === undefined || !fields.includes(field) || rest.length > 0) {
      return Effect.fail(ApiError.invalidExpression("sort", part))
    }
    if (direction !== "asc" && direction !== "desc") return Effect.fail(ApiError.invalidExpression("sort", part))
    orders.push({ field, sign: direction === "asc" ? 1 : -1 })
  }
  return Effect.succeed((left, right) => {
    for (const { field, sign } of orders) {
      const order = compareKeys(sortKey(left.keys[field]), sortKey(right.keys[field]))
      if (order !== 0) return order * sign
    }
    return 0
  })
}

const parsePositive = (value: string | null, fallback: number, max: number): number | undefined => {
  if (value === null) return fallback
  if (!/^\s*\d+\s*$/.test(value)) return undefined
  const number = Number(value)
  return number >= 1 && number <= max ? number : undefined
}

/**
 * Renders one page of a collection: `<pagination .../>` then `<name>...</name>`, each item as the
 * catalog rendered it unless `xmlOf` renders it otherwise (a view with its usage). A page past
 * the end is empty (a real server may answer 400006 there; clients stop on either).
 *
 * @internal
 */
export const page = <A>(
  entries: ReadonlyArray<Entry<A>>,
  params: URLSearchParams,
  collection: string,
  fields: Fields,
  xmlOf: (entry: Entry<A>) => string = (entry) => entry.xml
): Effect.Effect<string, ApiError.ApiError> =>
  Effect.gen(function*() {
    const pageSize = parsePositive(params.get("pageSize"), 100, 1000)
    if (pageSize === undefined) return yield* ApiError.invalidPageSize(params.get("pageSize") ?? "")
    const pageNumber = parsePositive(params.get("pageNumber"), 1, Number.MAX_SAFE_INTEGER)
    if (pageNumber === undefined) return yield* ApiError.invalidPageNumber(params.get("pageNumber") ?? "")
    let selected = entries
    const filter = params.get("filter")
    if (filter !== null && filter.length > 0) {
      const predicate = yield* parseFilter<A>(filter, fields.filter)
      selected = selected.filter(predicate)
    }
    const sort = params.get("sort")
    if (sort !== null && sort.length > 0) {
      const order = yield* parseSort<A>(sort, fields.sort)
      selected = [...selected].sort(order)
    }
    const start = (pageNumber - 1) * pageSize
    const slice = start >= selected.length ? [] : selected.slice(start, start + pageSize)
    let items = ""
    for (const entry of slice) items += xmlOf(entry)
    return Render.pagination(pageNumber, pageSize, selected.length) + Render.collection(collection, items)
  })
