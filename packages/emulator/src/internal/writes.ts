/**
 * What every write of the emulator shares: the `<tsRequest>` read through the client's generated
 * wire schema (so the emulator accepts what Tableau's XSD describes, and nothing it does not),
 * the role checks a real server makes, new ids and times, and the change of the catalog.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as EmulatorState from "../EmulatorState.js"
import * as Fixtures from "../Fixtures.js"
import * as ApiError from "./ApiError.js"
import * as Catalog from "./catalog.js"
import { users } from "./resources/users.js"
import type { Call } from "./routes.js"
import * as Xml from "./xml.js"

/**
 * The element `name` of the request's `<tsRequest>`, decoded by `schema` (a generated wire
 * schema): a missing element, or one the schema refuses, is a 400000 naming what is wrong.
 *
 * @internal
 */
export const readRequest = <A, I>(
  call: Call,
  name: string,
  schema: Schema.Schema<A, I>
): Effect.Effect<A, ApiError.ApiError> =>
  Effect.gen(function*() {
    const root = yield* Xml.parseBody(call.body)
    const request = Xml.child(root, "tsRequest")
    if (!Xml.hasChild(request, name)) {
      return yield* ApiError.badRequest(`The request body has no <${name}> inside <tsRequest>.`)
    }
    return yield* Schema.decodeUnknown(schema)(request[name]).pipe(
      Effect.mapError((error) =>
        ApiError.badRequest(
          `The <${name}> element is invalid: ${ParseResult.TreeFormatter.formatErrorSync(error).split("\n")[0]}`
        )
      )
    )
  })

/** The signed-in user (the impersonated one when there is one). @internal */
export const userOf = (
  catalog: Catalog.Catalog,
  session: EmulatorState.Session
): Effect.Effect<Fixtures.User, ApiError.ApiError> => {
  const user = Catalog.lookup(catalog, users, session.userId)?.item
  return user === undefined ? Effect.fail(ApiError.invalidCredentials()) : Effect.succeed(user)
}

/** A server administrator, or an administrator of the site. @internal */
export const isAdministrator = (user: Fixtures.User): boolean =>
  Fixtures.isServerAdmin(user) || user.siteRole.startsWith("SiteAdministrator")

/**
 * 403: the user may not do this. Tableau answers such refusals with codes of the resource
 * (403004 for a project, 403078 for users and groups); the caller names which.
 *
 * @internal
 */
export const forbidden = (code: string, what: string): ApiError.ApiError =>
  ApiError.make(403, code, "Forbidden", `The user does not have permission to ${what}.`)

/** Fails with `forbidden` unless `allowed`. @internal */
export const require = (allowed: boolean, code: string, what: string): Effect.Effect<void, ApiError.ApiError> =>
  allowed ? Effect.void : Effect.fail(forbidden(code, what))

/** 409: a name or membership that already exists. @internal */
export const conflict = (code: string, detail: string): ApiError.ApiError =>
  ApiError.make(409, code, "Conflict", detail)

/** A new LUID. @internal */
export const newId: Effect.Effect<string> = Effect.sync(() => randomUUID())

/** The emulator's time, epoch milliseconds (the Effect clock plus its offset). @internal */
export const now = (call: Pick<Call, "store">): Effect.Effect<number> => EmulatorState.now(call.store)

/** Epoch milliseconds as Tableau writes a time: `2024-05-01T12:00:00Z`, no fraction. @internal */
export const iso = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

/** The emulator's time as Tableau writes it. @internal */
export const timestamp = (call: Pick<Call, "store">): Effect.Effect<string> => Effect.map(now(call), iso)

/** Replaces the catalog with what `change` makes of it, atomically. @internal */
export const commit = (call: Call, change: (catalog: Catalog.Catalog) => Catalog.Catalog): Effect.Effect<void> =>
  Ref.update(call.store.ref, (state) => ({ ...state, catalog: change(state.catalog) }))

/**
 * The answer of a write: the item as the catalog now renders it, with what the write changed in
 * it and around it (a group's count of users, a data source's project name).
 *
 * @internal
 */
export const answer = <A>(
  call: Call,
  kind: Catalog.Kind<A>,
  id: string,
  status = 200
): Effect.Effect<{ readonly status: number; readonly xml: string }> =>
  Effect.map(Ref.get(call.store.ref), (state) => ({ status, xml: Catalog.lookup(state.catalog, kind, id)?.xml ?? "" }))

/** The answer of a delete. @internal */
export const noContent = { status: 204, xml: "" } as const
