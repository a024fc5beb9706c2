/**
 * Projects: the projects of a site and one by id.
 *
 * @internal
 */
import { Projects } from "@tableau-effect/client"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Route } from "../routes.js"
import { users } from "./users.js"

/** @internal */
export const projects: Catalog.Kind<Fixtures.Project> = {
  name: "projects",
  id: (project) => project.id,
  sites: (project) => [project.siteId],
  render: (project) => Render.project(project),
  keys: (project, catalog) => ({
    name: project.name,
    ownerName: Catalog.lookup(catalog, users, project.ownerId)?.item.name ?? "",
    parentProjectId: project.parentProjectId ?? "",
    createdAt: project.createdAt,
    updatedAt: project.updatedAt
  }),
  initial: (fixtures) => fixtures.projects
}

/** @internal */
export const reads: Reads.Reads<Fixtures.Project> = {
  kind: projects,
  notFound: (id) => ApiError.make(404, "404005", "Resource Not Found", `Project '${id}' could not be found.`)
}

/** @internal */
export const routes: ReadonlyArray<Route> = [Reads.list(Projects.resource, reads)]
