/**
 * Data sources: a few published data sources derived from the default fixtures (some with an
 * extract, one certified, tagged), their reads, update and delete, tags, connections and
 * extract refresh, with the ownership rules of content (see content.ts).
 *
 * @internal
 */
import { Datasources } from "@tableau-effect/client"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Fixtures from "../../Fixtures.js"
import * as ApiError from "../ApiError.js"
import * as Catalog from "../catalog.js"
import { luid } from "../luid.js"
import type * as Reads from "../reads.js"
import type { Route } from "../routes.js"
import { fromSpec } from "../routes.js"
import { element, Generated } from "../wire.js"
import * as Writes from "../writes.js"
import * as Content from "./content.js"
import { projects } from "./projects.js"
import { sites } from "./sites.js"

/** A published data source of the emulator. @internal */
export interface Datasource {
  readonly id: string
  readonly siteId: string
  readonly projectId: string
  readonly ownerId: string
  readonly name: string
  readonly description: string
  readonly contentUrl: string
  /** The connection type Tableau names it by: `postgres`, `sqlserver`, `excel-direct`, `hyper`. */
  readonly type: string
  readonly hasExtracts: boolean
  readonly encryptExtracts: boolean
  readonly isCertified: boolean
  readonly certificationNote?: string | undefined
  readonly size: number
  readonly createdAt: string
  readonly updatedAt: string
  readonly tags: ReadonlyArray<string>
}

interface Seed {
  readonly site: keyof typeof Fixtures.ids.sites
  readonly project: keyof typeof Fixtures.ids.projects
  readonly owner: keyof typeof Fixtures.ids.users
  readonly name: string
  readonly type: string
  readonly server?: { readonly address: string; readonly port: number; readonly user: string }
  readonly hasExtracts: boolean
  readonly certificationNote?: string
  readonly tags: ReadonlyArray<string>
}

const SEEDS: ReadonlyArray<Seed> = [
  {
    site: "default",
    project: "default",
    owner: "admin",
    name: "Superstore Orders",
    type: "postgres",
    server: { address: "postgres.example.com", port: 5432, user: "tableau" },
    hasExtracts: true,
    certificationNote: "Reconciled with the order system every night",
    tags: ["sales", "certified"]
  },
  {
    site: "default",
    project: "finance",
    owner: "alice",
    name: "Finance Ledger",
    type: "sqlserver",
    server: { address: "ledger.example.com", port: 1433, user: "finance_ro" },
    hasExtracts: false,
    tags: ["finance"]
  },
  {
    site: "default",
    project: "sales",
    owner: "bob",
    name: "Survey Results",
    type: "excel-direct",
    hasExtracts: true,
    tags: []
  },
  {
    site: "marketing",
    project: "campaigns",
    owner: "alice",
    name: "Campaign Metrics",
    type: "bigquery",
    server: { address: "bigquery.googleapis.com", port: 443, user: "marketing@example.com" },
    hasExtracts: true,
    tags: ["marketing"]
  }
]

const BASE = Date.UTC(2024, 0, 10, 8, 0, 0)
const at = (hours: number) => Writes.iso(BASE + hours * 3_600_000)

// The seeds whose site, project and owner the fixtures hold (custom fixtures may hold none).
const seeded = (fixtures: Fixtures.Fixtures) => {
  const projectIds = new Set(fixtures.projects.map((project) => project.id))
  const userIds = new Set(fixtures.users.map((user) => user.id))
  return SEEDS.flatMap((seed, index) => {
    const siteId = Fixtures.ids.sites[seed.site]
    const projectId = Fixtures.ids.projects[seed.project]
    const ownerId = Fixtures.ids.users[seed.owner]
    if (!projectIds.has(projectId) || !userIds.has(ownerId)) return []
    const datasource: Datasource = {
      id: luid(`datasource/${seed.site}/${index}`),
      siteId,
      projectId,
      ownerId,
      name: seed.name,
      description: `${seed.name} (${seed.type})`,
      contentUrl: seed.name.replace(/[^A-Za-z0-9]/g, ""),
      type: seed.type,
      hasExtracts: seed.hasExtracts,
      encryptExtracts: false,
      isCertified: seed.certificationNote !== undefined,
      certificationNote: seed.certificationNote,
      size: 1 + index,
      createdAt: at(index),
      updatedAt: at(index + 24),
      tags: seed.tags
    }
    const connection: Content.Connection = {
      id: luid(`connection/datasource/${seed.site}/${index}`),
      siteId,
      parent: { what: "datasource", id: datasource.id },
      type: seed.type,
      serverAddress: seed.server?.address,
      serverPort: seed.server?.port,
      userName: seed.server?.user,
      embedPassword: seed.server !== undefined,
      queryTaggingEnabled: false,
      extract: seed.hasExtracts
    }
    return [{ datasource, connection }]
  })
}

/** The connections of the default data sources. @internal */
export const initialConnections = (fixtures: Fixtures.Fixtures): Array<Content.Connection> =>
  seeded(fixtures).map((seed) => seed.connection)

const webpageUrl = (catalog: Catalog.Catalog, datasource: Datasource, ordinal: number): string => {
  const site = Catalog.lookup(catalog, sites, datasource.siteId)?.item
  const prefix = site === undefined || site.contentUrl === "" ? "" : `site/${site.contentUrl}/`
  return `${catalog.baseUrl}/#/${prefix}datasources/${ordinal}`
}

const projectOf = (catalog: Catalog.Catalog, datasource: Datasource) =>
  Catalog.lookup(catalog, projects, datasource.projectId)?.item

/** `<datasource>` as Query Data Sources answers it: `<project>`, `<owner>`, `<tags>`, in the XSD's order. @internal */
export const render = (datasource: Datasource, catalog: Catalog.Catalog, ordinal: number): string =>
  element(
    "datasource",
    Generated.DataSourceType,
    {
      id: datasource.id,
      name: datasource.name,
      description: datasource.description,
      contentUrl: datasource.contentUrl,
      type: datasource.type,
      webpageUrl: webpageUrl(catalog, datasource, ordinal),
      hasExtracts: datasource.hasExtracts,
      // An xs:string in the XSD.
      encryptExtracts: datasource.encryptExtracts ? "true" : "false",
      isCertified: datasource.isCertified,
      certificationNote: datasource.certificationNote,
      size: datasource.size,
      createdAt: DateTime.unsafeMake(datasource.createdAt),
      updatedAt: DateTime.unsafeMake(datasource.updatedAt)
    },
    [
      element("project", Generated.ProjectType, {
        id: datasource.projectId,
        name: projectOf(catalog, datasource)?.name ?? ""
      }),
      element("owner", Generated.UserType, { id: datasource.ownerId }),
      Content.renderTags(datasource.tags)
    ].join("")
  )

/** @internal */
export const datasources = Catalog.kind<Datasource>("datasources", {
  sites: Catalog.onItsSite,
  render,
  keys: (datasource, catalog) => ({
    ...Content.keys(catalog, datasource, {
      projectName: projectOf(catalog, datasource)?.name,
      ownerId: datasource.ownerId
    }),
    type: datasource.type,
    description: datasource.description,
    isCertified: String(datasource.isCertified),
    hasExtracts: String(datasource.hasExtracts),
    size: String(datasource.size),
    // Every data source of the emulator is published; it keeps no favorites or alerts.
    isPublished: "true",
    favoritesTotal: "0",
    hasAlert: "false"
  }),
  initial: (fixtures) => seeded(fixtures).map((seed) => seed.datasource)
})

const notFound = (id: string) =>
  ApiError.make(404, "404011", "Resource Not Found", `Datasource '${id}' could not be found.`)

// A data source goes with its project: one whose project was deleted is gone too (projects.ts
// deletes the workbooks it holds; data sources are left out of the catalog's lists instead).
const live = (datasource: Datasource, catalog: Catalog.Catalog) =>
  Catalog.lookup(catalog, projects, datasource.projectId) !== undefined

/** @internal */
export const reads: Reads.Reads<Datasource> = {
  kind: datasources,
  notFound,
  live
}

const content: Content.Content<Datasource> = {
  reads,
  what: "datasource",
  ownerOf: (datasource) => datasource.ownerId,
  projectOwnerOf: (datasource, catalog) => projectOf(catalog, datasource)?.ownerId
}

const update = fromSpec(Datasources.update.spec, (call) =>
  Effect.gen(function*() {
    const request = Writes.readRequest(call, "datasource", Generated.DataSourceType)
    const { catalog, input, item, user } = yield* Content.readUpdate(call, content, {
      request,
      projects,
      check: ({ encryptExtracts }) =>
        encryptExtracts === undefined || /^(true|false)$/i.test(encryptExtracts)
          ? Effect.void
          : ApiError.badRequest(`encryptExtracts must be true or false, not '${encryptExtracts}'.`)
    })
    // Certifying is for administrators and the project's owner, not the data source's owner; it
    // is asked for only when the certification changes: tableauserverclient's update_req always
    // sends isCertified (and the note it read), so an owner's rename carries them unchanged.
    const certifies = (input.isCertified !== undefined && input.isCertified !== item.isCertified) ||
      (input.certificationNote !== undefined && input.certificationNote !== (item.certificationNote ?? ""))
    if (certifies) {
      const projectOwner = Catalog.lookup(catalog, projects, item.projectId)?.item.ownerId
      yield* Writes.require(
        Writes.isAdministrator(user) || projectOwner?.toLowerCase() === user.id.toLowerCase(),
        Content.FORBIDDEN,
        "certify this data source"
      )
    }
    const changed: Datasource = {
      ...item,
      name: input.name ?? item.name,
      projectId: input.project?.id ?? item.projectId,
      ownerId: input.owner?.id ?? item.ownerId,
      description: input.description ?? item.description,
      // An xs:string in the XSD; Tableau's own clients write true or false.
      encryptExtracts: input.encryptExtracts === undefined
        ? item.encryptExtracts
        : input.encryptExtracts.toLowerCase() === "true",
      isCertified: input.isCertified ?? item.isCertified,
      certificationNote: input.certificationNote ?? item.certificationNote,
      updatedAt: yield* Writes.timestamp(call)
    }
    yield* Writes.commit(call, (current) => Catalog.put(current, datasources, [changed]))
    return yield* Writes.answer(call, datasources, changed.id)
  }))

const remove = fromSpec(Datasources.remove.spec, (call) =>
  Effect.gen(function*() {
    const { entry } = yield* Content.editable(call, content, "delete")
    yield* Writes.commit(call, (current) =>
      Content.withoutConnectionsOf(Catalog.remove(current, datasources, [entry.item.id]), [entry.item.id]))
    return Writes.noContent
  }))

// Built when the handler asks: the resource modules name each other, and a route list made
// while the modules load could meet one that has not loaded yet.
/** @internal */
export const routes = (): ReadonlyArray<Route> =>
  Content.publishedRoutes(content, Datasources, { update, remove, describe: (datasource) => datasource })
