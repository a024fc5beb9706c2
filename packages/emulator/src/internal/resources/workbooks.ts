/**
 * Workbooks: the workbooks of a site and one by id.
 *
 * @internal
 */
import { Workbooks } from "@tableau-effect/client"
import type * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import * as Reads from "../reads.js"
import * as Render from "../render.js"
import type { Route } from "../routes.js"
import { projects } from "./projects.js"
import { sites } from "./sites.js"
import { users } from "./users.js"

const webpageUrl = (baseUrl: string, site: Fixtures.Site | undefined, number: number): string =>
  `${baseUrl}/#/${site === undefined || site.contentUrl === "" ? "" : `site/${site.contentUrl}/`}workbooks/${number}`

const projectOf = (catalog: Catalog.Catalog, workbook: Fixtures.Workbook) =>
  workbook.projectId === undefined ? undefined : Catalog.lookup(catalog, projects, workbook.projectId)?.item

/** @internal */
export const workbooks: Catalog.Kind<Fixtures.Workbook> = {
  name: "workbooks",
  id: (workbook) => workbook.id,
  sites: (workbook) => [workbook.siteId],
  render: (workbook, catalog, ordinal) =>
    Render.workbook(
      workbook,
      projectOf(catalog, workbook),
      webpageUrl(catalog.baseUrl, Catalog.lookup(catalog, sites, workbook.siteId)?.item, ordinal)
    ),
  keys: (workbook, catalog) => ({
    name: workbook.name,
    contentUrl: workbook.contentUrl,
    tags: workbook.tags,
    projectName: projectOf(catalog, workbook)?.name ?? "",
    ownerName: Catalog.lookup(catalog, users, workbook.ownerId)?.item.name ?? "",
    createdAt: workbook.createdAt,
    updatedAt: workbook.updatedAt
  }),
  initial: (fixtures) => fixtures.workbooks
}

/** @internal */
export const reads: Reads.Reads<Fixtures.Workbook> = { kind: workbooks, notFound: ApiError.workbookNotFound }

/**
 * Workbooks added to a catalog (a test's `addWorkbooks`); answers the reason when one names an
 * unknown site, project or owner, or reuses an id.
 *
 * @internal
 */
export const add = (
  catalog: Catalog.Catalog,
  added: ReadonlyArray<Fixtures.Workbook>
): Catalog.Catalog | string => {
  for (const workbook of added) {
    if (Catalog.lookup(catalog, sites, workbook.siteId) === undefined) return `unknown site ${workbook.siteId}`
    if (workbook.projectId !== undefined && Catalog.lookup(catalog, projects, workbook.projectId) === undefined) {
      return `unknown project ${workbook.projectId}`
    }
    if (Catalog.lookup(catalog, users, workbook.ownerId) === undefined) return `unknown owner ${workbook.ownerId}`
    if (Catalog.lookup(catalog, workbooks, workbook.id) !== undefined) return `duplicate workbook id ${workbook.id}`
  }
  return Catalog.put(catalog, workbooks, added)
}

/** @internal */
export const routes: ReadonlyArray<Route> = Reads.routes(Workbooks.resource, reads)
