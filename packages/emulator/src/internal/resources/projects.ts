/**
 * Projects: the projects of a site; create, update and delete, as Tableau allows them (an
 * administrator, or the owner of the parent project; sibling names are unique; deleting a
 * project deletes what it holds).
 *
 * @internal
 */
import { Generated, Projects } from "@tableau-effect/client"
import * as Effect from "effect/Effect"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Call, Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import * as Writes from "../writes.js"
import { checkOwner } from "./content.js"
// The kinds below name projects only inside functions, so these cycles are harmless.
import { datasources } from "./datasources.js"
import { users } from "./users.js"
import { workbooks } from "./workbooks.js"

/** @internal */
export const projects = Catalog.kind<Fixtures.Project>("projects", {
  sites: Catalog.onItsSite,
  render: (project) => Render.project(project),
  keys: (project, catalog) => {
    const owner = Catalog.lookup(catalog, users, project.ownerId)?.item
    return {
      name: project.name,
      ownerName: owner?.name ?? "",
      ownerEmail: owner?.email ?? "",
      ownerDomain: "local",
      parentProjectId: project.parentProjectId ?? "",
      topLevelProject: String(project.parentProjectId === undefined),
      createdAt: project.createdAt,
      updatedAt: project.updatedAt
    }
  },
  initial: (fixtures) => fixtures.projects
})

/** @internal */
export const reads: Reads.Reads<Fixtures.Project> = {
  kind: projects,
  notFound: (id) => ApiError.make(404, "404005", "Resource Not Found", `Project '${id}' could not be found.`)
}

const FORBIDDEN = "403004"

// Sibling projects have distinct names, in any case.
const nameTaken = (
  catalog: Catalog.Catalog,
  siteId: string,
  parentId: string | undefined,
  name: string,
  except?: string
): boolean =>
  Catalog.items(catalog, projects).some((other) =>
    other.siteId.toLowerCase() === siteId.toLowerCase() && other.id !== except &&
    (other.parentProjectId ?? "").toLowerCase() === (parentId ?? "").toLowerCase() &&
    other.name.toLowerCase() === name.toLowerCase()
  )

type ContentPermissions = NonNullable<Fixtures.Project["contentPermissions"]>

const CONTENT_PERMISSIONS: ReadonlyArray<ContentPermissions> = [
  "ManagedByOwner",
  "LockedToProject",
  "LockedToProjectWithoutNested"
]

// The XSD's enumeration is open (a client reads values it does not know); a server takes only
// the values it has.
const contentPermissionsOf = (value: string | undefined) =>
  value === undefined
    ? Effect.succeed(undefined)
    : Effect.fromNullable(CONTENT_PERMISSIONS.find((known) => known === value)).pipe(
      Effect.mapError(() =>
        ApiError.badRequest(
          `The contentPermissions '${value}' is not valid: use one of ${CONTENT_PERMISSIONS.join(", ")}.`
        )
      )
    )

const conflict = (name: string) =>
  Writes.conflict("409006", `A project named '${name}' already exists in this parent project.`)

// The parent must be a project of the site; an administrator may use any, another user only one
// they own.
const checkParent = (call: Call, catalog: Catalog.Catalog, user: Fixtures.User, parentId: string | undefined) =>
  Effect.gen(function*() {
    if (parentId === undefined) {
      return yield* Writes.require(Writes.isAdministrator(user), FORBIDDEN, "create a top-level project")
    }
    const parent = yield* Reads.entryOnSite(call, catalog, reads, parentId)
    yield* Writes.require(
      Writes.isAdministrator(user) || parent.item.ownerId === user.id,
      FORBIDDEN,
      "create a project in this project"
    )
  })

const create = fromSpec(Projects.create.spec, (call) =>
  Effect.gen(function*() {
    const session = yield* Reads.sessionOf(call)
    const catalog = yield* Reads.catalogOf(call)
    const user = yield* Writes.userOf(catalog, session)
    const input = yield* Writes.readRequest(call, "project", Generated.ProjectType)
    if (input.name === undefined || input.name.trim() === "") {
      return yield* ApiError.badRequest("A project needs a name.")
    }
    const contentPermissions = yield* contentPermissionsOf(input.contentPermissions)
    yield* checkParent(call, catalog, user, input.parentProjectId)
    if (nameTaken(catalog, session.siteId, input.parentProjectId, input.name)) return yield* conflict(input.name)
    const now = yield* Writes.timestamp(call)
    const project: Fixtures.Project = {
      id: yield* Writes.newId,
      siteId: session.siteId,
      name: input.name,
      description: input.description ?? "",
      ownerId: user.id,
      ...(input.parentProjectId === undefined ? {} : { parentProjectId: input.parentProjectId }),
      ...(contentPermissions === undefined ? {} : { contentPermissions }),
      createdAt: now,
      updatedAt: now
    }
    yield* Writes.commit(call, (current) => Catalog.put(current, projects, [project]))
    return { status: 201, xml: Render.project(project) }
  }))

// The project of the path, which only an administrator or its owner may change.
const owned = (call: Call, what: string) =>
  Effect.gen(function*() {
    const session = yield* Reads.sessionOf(call)
    const catalog = yield* Reads.catalogOf(call)
    const user = yield* Writes.userOf(catalog, session)
    const { item } = yield* Reads.entryOnSite(call, catalog, reads, call.params["projectId"] ?? "")
    yield* Writes.require(Writes.isAdministrator(user) || item.ownerId === user.id, FORBIDDEN, what)
    return { session, catalog, user, item }
  })

const update = fromSpec(Projects.update.spec, (call) =>
  Effect.gen(function*() {
    const { catalog, item, session, user } = yield* owned(call, "update this project")
    const input = yield* Writes.readRequest(call, "project", Generated.ProjectType)
    const contentPermissions = yield* contentPermissionsOf(input.contentPermissions)
    const parentId = input.parentProjectId ?? item.parentProjectId
    if (input.parentProjectId !== undefined) {
      if (input.parentProjectId.toLowerCase() === item.id.toLowerCase()) {
        return yield* ApiError.badRequest("A project cannot be its own parent.")
      }
      yield* checkParent(call, catalog, user, input.parentProjectId)
    }
    // tableauserverclient writes back the owner it read: only a new one is a change of owner.
    const ownerId = input.owner?.id
    if (ownerId !== undefined && ownerId.toLowerCase() !== item.ownerId.toLowerCase()) {
      yield* checkOwner(call, catalog, user, ownerId)
    }
    const name = input.name ?? item.name
    if (nameTaken(catalog, session.siteId, parentId, name, item.id)) return yield* conflict(name)
    const changed: Fixtures.Project = {
      ...item,
      name,
      description: input.description ?? item.description,
      ownerId: ownerId === undefined ? item.ownerId : Catalog.lookup(catalog, users, ownerId)?.item.id ?? ownerId,
      ...(parentId === undefined ? {} : { parentProjectId: parentId }),
      ...(contentPermissions === undefined ? {} : { contentPermissions }),
      updatedAt: yield* Writes.timestamp(call)
    }
    // Workbooks and data sources show their project's name: those of this project render again.
    const inIt = (content: { readonly projectId?: string | undefined }) =>
      content.projectId?.toLowerCase() === item.id.toLowerCase()
    yield* Writes.commit(call, (current) =>
      Catalog.rerender(
        Catalog.rerender(Catalog.put(current, projects, [changed]), workbooks, inIt),
        datasources,
        inIt
      ))
    return { status: 200, xml: Render.project(changed) }
  }))

// A project and every project below it.
const subtree = (catalog: Catalog.Catalog, id: string): Set<string> => {
  const ids = new Set([id.toLowerCase()])
  const all = Catalog.items(catalog, projects)
  for (let grew = true; grew;) {
    grew = false
    for (const project of all) {
      const parent = project.parentProjectId?.toLowerCase()
      if (parent !== undefined && ids.has(parent) && !ids.has(project.id.toLowerCase())) {
        ids.add(project.id.toLowerCase())
        grew = true
      }
    }
  }
  return ids
}

const remove = fromSpec(Projects.remove.spec, (call) =>
  Effect.gen(function*() {
    const { catalog, item } = yield* owned(call, "delete this project")
    const doomed = subtree(catalog, item.id)
    const held = Catalog.items(catalog, workbooks).filter((workbook) =>
      workbook.projectId !== undefined && doomed.has(workbook.projectId.toLowerCase())
    )
    yield* Writes.commit(call, (current) =>
      Catalog.remove(
        Catalog.remove(current, projects, [...doomed]),
        workbooks,
        held.map((workbook) => workbook.id)
      ))
    return Writes.noContent
  }))

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> => [Reads.list(Projects.resource, reads), create, update, remove]
