/**
 * Path templates (`/sites/{siteId}/workbooks/{workbookId}`): parsed once, filled from the
 * session's state and the caller's ids. `{siteId}` is the session's; every other parameter is
 * the caller's, in the order the template names them.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { TableauRequestError } from "../TableauError.js"
import type { SessionState } from "../TableauSession.js"
import * as Luid from "./luid.js"

/** The ids a template takes from the caller, in order: one string for each `{name}` but `{siteId}`. @internal */
export type Ids<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name extends "siteId" ? Ids<Rest> : [string, ...Ids<Rest>]
  : []

type Segment =
  | { readonly _tag: "Literal"; readonly text: string }
  | { readonly _tag: "Site" }
  | { readonly _tag: "Param"; readonly name: string; readonly index: number }

/** A parsed template. @internal */
export interface Template {
  readonly template: string
  /** The caller's parameters, in order. */
  readonly params: ReadonlyArray<string>
  readonly fill: (state: SessionState, ids: ReadonlyArray<string>) => string
}

/**
 * Parses `template`; a malformed one is a defect of the resource's declaration, so it throws
 * when the module loads, not when a user calls.
 *
 * @internal
 */
export const parse = (template: string): Template => {
  if (!template.startsWith("/")) throw new Error(`path template ${template} must start with /`)
  const params: Array<string> = []
  const segments: Array<Segment> = template.slice(1).split("/").map((text): Segment => {
    const param = /^\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(text)
    if (param === null) {
      if (text.length === 0 || /[{}]/.test(text)) throw new Error(`bad segment "${text}" in path template ${template}`)
      return { _tag: "Literal", text }
    }
    if (param[1] === "siteId") return { _tag: "Site" }
    params.push(param[1]!)
    return { _tag: "Param", name: param[1]!, index: params.length - 1 }
  })
  return {
    template,
    params,
    fill: (state, ids) => {
      let path = ""
      for (const segment of segments) {
        path += "/" + (segment._tag === "Literal"
          ? segment.text
          : segment._tag === "Site"
          ? state.siteId
          : encodeURIComponent(ids[segment.index]!))
      }
      return path
    }
  }
}

/**
 * Checks the caller's ids before anything is sent: a parameter named `...Id` takes a LUID, so a
 * typo (or `..`) fails here with a clear error instead of reaching another endpoint; any other
 * parameter (a contentUrl) must not be empty.
 *
 * @internal
 */
export const checkIds = (template: Template, ids: ReadonlyArray<string>): Effect.Effect<void, TableauRequestError> => {
  for (let index = 0; index < template.params.length; index++) {
    const name = template.params[index]!
    const id: unknown = ids[index]
    if (typeof id !== "string") {
      return Effect.fail(new TableauRequestError({ parameter: name, reason: "is missing" }))
    }
    // The one id of an item is "id" to the caller, as in `Workbooks.get(id)`.
    const parameter = template.params.length === 1 ? "id" : name
    if (name.endsWith("Id")) {
      if (!Luid.isLuid(id)) return Effect.fail(Luid.notALuid(parameter, id))
    } else if (id.length === 0 || id === "." || id === "..") {
      return Effect.fail(
        new TableauRequestError({ parameter, reason: "must not be empty, . or ..", value: id.slice(0, 100) })
      )
    }
  }
  return Effect.void
}
