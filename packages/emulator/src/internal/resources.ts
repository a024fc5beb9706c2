/**
 * The read-only resources: sites, users, projects and workbooks, as pages or one by one.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Fixtures from "../Fixtures.js"
import * as ApiError from "./ApiError.js"
import { type Answer, type Context, requireSession } from "./auth.js"
import * as Listing from "./listing.js"

const catalogOf = (context: Context) => Effect.map(Ref.get(context.store.ref), (state) => state.catalog)

/** `GET /sites`: the sites the user belongs to (all of them for a server administrator). @internal */
export const listSites = (context: Context, params: URLSearchParams): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    const session = yield* requireSession(context)
    if (context.store.settings.cloud) return yield* ApiError.unsupportedOnCloud("Sites query")
    const catalog = yield* catalogOf(context)
    const user = catalog.userById.get(session.userId.toLowerCase())
    const sites = user === undefined
      ? []
      : catalog.sites.filter((entry) => Fixtures.isMember(user, entry.item.id))
    return { status: 200, xml: yield* Listing.page(sites, params, "sites", Listing.FIELDS.sites) }
  })

/**
 * `GET /sites/{id}`, or `GET /sites/{contentUrl}?key=contentUrl` (and `key=name`): the site of
 * the session only.
 *
 * @internal
 */
export const getSite = (
  context: Context,
  idOrKey: string,
  params: URLSearchParams
): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    const session = yield* requireSession(context)
    const catalog = yield* catalogOf(context)
    const key = params.get("key")?.toLowerCase()
    const entry = key === "contenturl"
      ? catalog.siteByContentUrl.get(idOrKey.toLowerCase())
      : key === "name"
      ? catalog.siteByName.get(idOrKey.toLowerCase())
      : catalog.siteById.get(idOrKey.toLowerCase())
    if (entry === undefined) return yield* ApiError.notFound(`Site '${idOrKey}' could not be found.`)
    if (entry.item.id !== session.siteId) return yield* ApiError.wrongSite(entry.item.id)
    return { status: 200, xml: entry.xml }
  })

/** `GET /sites/{siteId}/users`. @internal */
export const listUsers = (
  context: Context,
  siteId: string,
  params: URLSearchParams
): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    yield* requireSession(context, siteId)
    const users = (yield* catalogOf(context)).usersBySite.get(siteId.toLowerCase()) ?? []
    return { status: 200, xml: yield* Listing.page(users, params, "users", Listing.FIELDS.users) }
  })

/** `GET /sites/{siteId}/users/{userId}`. @internal */
export const getUser = (context: Context, siteId: string, userId: string): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    yield* requireSession(context, siteId)
    const users = (yield* catalogOf(context)).usersBySite.get(siteId.toLowerCase()) ?? []
    const entry = users.find((candidate) => candidate.item.id.toLowerCase() === userId.toLowerCase())
    if (entry === undefined) return yield* ApiError.userNotFound(userId)
    return { status: 200, xml: entry.xml }
  })

/** `GET /sites/{siteId}/projects`. @internal */
export const listProjects = (
  context: Context,
  siteId: string,
  params: URLSearchParams
): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    yield* requireSession(context, siteId)
    const projects = (yield* catalogOf(context)).projectsBySite.get(siteId.toLowerCase()) ?? []
    return { status: 200, xml: yield* Listing.page(projects, params, "projects", Listing.FIELDS.projects) }
  })

/** `GET /sites/{siteId}/workbooks`. @internal */
export const listWorkbooks = (
  context: Context,
  siteId: string,
  params: URLSearchParams
): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    yield* requireSession(context, siteId)
    const workbooks = (yield* catalogOf(context)).workbooksBySite.get(siteId.toLowerCase()) ?? []
    return { status: 200, xml: yield* Listing.page(workbooks, params, "workbooks", Listing.FIELDS.workbooks) }
  })

/** `GET /sites/{siteId}/workbooks/{workbookId}`. @internal */
export const getWorkbook = (
  context: Context,
  siteId: string,
  workbookId: string
): Effect.Effect<Answer, ApiError.ApiError> =>
  Effect.gen(function*() {
    yield* requireSession(context, siteId)
    const entry = (yield* catalogOf(context)).workbookById.get(workbookId.toLowerCase())
    if (entry === undefined || entry.item.siteId.toLowerCase() !== siteId.toLowerCase()) {
      return yield* ApiError.workbookNotFound(workbookId)
    }
    return { status: 200, xml: entry.xml }
  })
