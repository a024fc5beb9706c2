/**
 * The route table: each route is a method, a path template below `/api/{version}`, the API
 * version it appeared in, and what answers it. Routes for the SDK's operations are made from the
 * client's declarations (`Resource.Spec`), so both sides share one path and one version.
 *
 * @internal
 */
import type { Resource } from "@tableau-effect/client"
import type * as Effect from "effect/Effect"
import type * as ApiError from "./ApiError.js"
import type { Answer, Context } from "./session.js"

/** What a route's code gets: the request's context, the path's parameters and the query. @internal */
export interface Call extends Context {
  /** The path parameters by name, as the client sent them (`siteId`, `workbookId`, ...). */
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
}

/** @internal */
export interface Route {
  readonly method: string
  /** The path template, e.g. `/sites/{siteId}/workbooks/{workbookId}`. */
  readonly path: string
  readonly minimum: string
  readonly run: (call: Call) => Effect.Effect<Answer, ApiError.ApiError>
}

/** A route answering a client operation's declaration. @internal */
export const fromSpec = (spec: Resource.Spec, run: Route["run"]): Route => ({
  method: spec.method,
  path: spec.path,
  minimum: spec.minimum,
  run
})

type Segment = { readonly literal: string } | { readonly param: string }

interface Compiled {
  readonly route: Route
  readonly segments: ReadonlyArray<Segment>
}

/** What a path finds in the table. @internal */
export type Match =
  | { readonly _tag: "Found"; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  /** The path is known but not with this method (Tableau's 405000). */
  | { readonly _tag: "WrongMethod"; readonly route: Route }
  | { readonly _tag: "Unknown" }

/** A compiled table: `find(method, segments)`. @internal */
export interface Table {
  readonly routes: ReadonlyArray<Route>
  readonly find: (method: string, segments: ReadonlyArray<string>) => Match
}

const compile = (route: Route): Compiled => ({
  route,
  segments: route.path.slice(1).split("/").map((text): Segment => {
    const param = /^\{(\w+)\}$/.exec(text)
    return param === null ? { literal: text.toLowerCase() } : { param: param[1]! }
  })
})

const bind = (compiled: Compiled, segments: ReadonlyArray<string>): Record<string, string> | undefined => {
  if (compiled.segments.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (let index = 0; index < segments.length; index++) {
    const expected = compiled.segments[index]!
    const actual = segments[index]!
    if ("literal" in expected) {
      // Keywords are case-insensitive on Tableau; ids are kept as sent.
      if (actual.toLowerCase() !== expected.literal) return undefined
    } else {
      params[expected.param] = actual
    }
  }
  return params
}

/**
 * Compiles routes into a table. A literal segment wins over a parameter at the same place
 * (`/sites/{siteId}/users` before `/sites/{siteId}/{anything}`), whatever the order given.
 *
 * @internal
 */
export const table = (routes: ReadonlyArray<Route>): Table => {
  const literals = (compiled: Compiled) => compiled.segments.filter((segment) => "literal" in segment).length
  const compiled = routes.map(compile).sort((left, right) => literals(right) - literals(left))
  return {
    routes,
    find: (method, segments) => {
      let wrongMethod: Route | undefined
      for (const candidate of compiled) {
        const params = bind(candidate, segments)
        if (params === undefined) continue
        if (candidate.route.method === method) return { _tag: "Found", route: candidate.route, params }
        wrongMethod ??= candidate.route
      }
      return wrongMethod === undefined ? { _tag: "Unknown" } : { _tag: "WrongMethod", route: wrongMethod }
    }
  }
}
