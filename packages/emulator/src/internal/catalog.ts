/**
 * The content of the emulated server, indexed and pre-rendered: every site, user, project and
 * workbook carries its XML fragment, rendered once when it enters the catalog, so a page of a
 * list is a slice and a join.
 *
 * @internal
 */
import * as Fixtures from "../Fixtures.js"
import * as Render from "./render.js"

/** An item, its pre-rendered XML, and the values its filters and sorts read. @internal */
export interface Entry<A> {
  readonly item: A
  readonly xml: string
  readonly keys: Readonly<Record<string, string | ReadonlyArray<string>>>
}

/** @internal */
export interface Catalog {
  readonly fixtures: Fixtures.Fixtures
  readonly baseUrl: string
  readonly sites: ReadonlyArray<Entry<Fixtures.Site>>
  readonly siteById: ReadonlyMap<string, Entry<Fixtures.Site>>
  readonly siteByContentUrl: ReadonlyMap<string, Entry<Fixtures.Site>>
  readonly siteByName: ReadonlyMap<string, Entry<Fixtures.Site>>
  readonly userById: ReadonlyMap<string, Fixtures.User>
  readonly userByName: ReadonlyMap<string, Fixtures.User>
  readonly projectById: ReadonlyMap<string, Fixtures.Project>
  readonly usersBySite: ReadonlyMap<string, ReadonlyArray<Entry<Fixtures.User>>>
  readonly projectsBySite: ReadonlyMap<string, ReadonlyArray<Entry<Fixtures.Project>>>
  readonly workbooksBySite: ReadonlyMap<string, ReadonlyArray<Entry<Fixtures.Workbook>>>
  readonly workbookById: ReadonlyMap<string, Entry<Fixtures.Workbook>>
}

const groupBy = <A>(
  entries: ReadonlyArray<Entry<A>>,
  siteOf: (item: A) => ReadonlyArray<string>
): Map<string, Array<Entry<A>>> => {
  const groups = new Map<string, Array<Entry<A>>>()
  for (const entry of entries) {
    for (const siteId of siteOf(entry.item).map((id) => id.toLowerCase())) {
      const group = groups.get(siteId)
      if (group === undefined) groups.set(siteId, [entry])
      else group.push(entry)
    }
  }
  return groups
}

const siteEntry = (site: Fixtures.Site): Entry<Fixtures.Site> => ({
  item: site,
  xml: Render.site(site),
  keys: { name: site.name, contentUrl: site.contentUrl }
})

const userEntry = (user: Fixtures.User): Entry<Fixtures.User> => ({
  item: user,
  xml: Render.user(user),
  keys: { name: user.name, siteRole: user.siteRole, fullName: user.fullName, email: user.email }
})

const projectEntry = (
  project: Fixtures.Project,
  users: ReadonlyMap<string, Fixtures.User>
): Entry<Fixtures.Project> => ({
  item: project,
  xml: Render.project(project),
  keys: {
    name: project.name,
    ownerName: users.get(project.ownerId)?.name ?? "",
    parentProjectId: project.parentProjectId ?? "",
    createdAt: project.createdAt,
    updatedAt: project.updatedAt
  }
})

const webpageUrl = (baseUrl: string, site: Fixtures.Site | undefined, number: number): string =>
  `${baseUrl}/#/${site === undefined || site.contentUrl === "" ? "" : `site/${site.contentUrl}/`}workbooks/${number}`

const workbookEntry = (
  workbook: Fixtures.Workbook,
  number: number,
  baseUrl: string,
  sites: ReadonlyMap<string, Entry<Fixtures.Site>>,
  users: ReadonlyMap<string, Fixtures.User>,
  projects: ReadonlyMap<string, Fixtures.Project>
): Entry<Fixtures.Workbook> => {
  const project = workbook.projectId === undefined ? undefined : projects.get(workbook.projectId)
  return {
    item: workbook,
    xml: Render.workbook(workbook, project, webpageUrl(baseUrl, sites.get(workbook.siteId)?.item, number)),
    keys: {
      name: workbook.name,
      contentUrl: workbook.contentUrl,
      tags: workbook.tags,
      projectName: project?.name ?? "",
      ownerName: users.get(workbook.ownerId)?.name ?? "",
      createdAt: workbook.createdAt,
      updatedAt: workbook.updatedAt
    }
  }
}

/** Indexes and renders fixtures. @internal */
export const make = (fixtures: Fixtures.Fixtures, baseUrl: string): Catalog => {
  const sites = fixtures.sites.map(siteEntry)
  const siteById = new Map(sites.map((entry) => [entry.item.id.toLowerCase(), entry]))
  const userById = new Map(fixtures.users.map((user) => [user.id.toLowerCase(), user]))
  const projectById = new Map(fixtures.projects.map((project) => [project.id.toLowerCase(), project]))
  const siteIds = fixtures.sites.map((site) => site.id)
  const users = fixtures.users.map(userEntry)
  const projects = fixtures.projects.map((project) => projectEntry(project, userById))
  const workbooks = fixtures.workbooks.map((workbook, index) =>
    workbookEntry(workbook, index + 1, baseUrl, siteById, userById, projectById)
  )
  return {
    fixtures,
    baseUrl,
    sites,
    siteById,
    siteByContentUrl: new Map(sites.map((entry) => [entry.item.contentUrl.toLowerCase(), entry])),
    siteByName: new Map(sites.map((entry) => [entry.item.name.toLowerCase(), entry])),
    userById,
    userByName: new Map(fixtures.users.map((user) => [user.name.toLowerCase(), user])),
    projectById,
    usersBySite: groupBy(users, (user) => siteIds.filter((siteId) => Fixtures.isMember(user, siteId))),
    projectsBySite: groupBy(projects, (project) => [project.siteId]),
    workbooksBySite: groupBy(workbooks, (workbook) => [workbook.siteId]),
    workbookById: new Map(workbooks.map((entry) => [entry.item.id.toLowerCase(), entry]))
  }
}

/**
 * A catalog with more workbooks: only the new ones are rendered, the others keep their
 * fragments. Answers the reason when a workbook names an unknown site, project or owner, or
 * reuses an id.
 *
 * @internal
 */
export const addWorkbooks = (
  catalog: Catalog,
  workbooks: ReadonlyArray<Fixtures.Workbook>
): Catalog | string => {
  for (const workbook of workbooks) {
    if (!catalog.siteById.has(workbook.siteId.toLowerCase())) return `unknown site ${workbook.siteId}`
    if (workbook.projectId !== undefined && !catalog.projectById.has(workbook.projectId.toLowerCase())) {
      return `unknown project ${workbook.projectId}`
    }
    if (!catalog.userById.has(workbook.ownerId.toLowerCase())) return `unknown owner ${workbook.ownerId}`
    if (catalog.workbookById.has(workbook.id.toLowerCase())) return `duplicate workbook id ${workbook.id}`
  }
  const first = catalog.fixtures.workbooks.length + 1
  const added = workbooks.map((workbook, index) =>
    workbookEntry(workbook, first + index, catalog.baseUrl, catalog.siteById, catalog.userById, catalog.projectById)
  )
  const workbooksBySite = new Map(catalog.workbooksBySite)
  for (const [siteId, entries] of groupBy(added, (workbook) => [workbook.siteId])) {
    workbooksBySite.set(siteId, [...(workbooksBySite.get(siteId) ?? []), ...entries])
  }
  const workbookById = new Map(catalog.workbookById)
  for (const entry of added) workbookById.set(entry.item.id.toLowerCase(), entry)
  return {
    ...catalog,
    fixtures: { ...catalog.fixtures, workbooks: [...catalog.fixtures.workbooks, ...workbooks] },
    workbooksBySite,
    workbookById
  }
}
