/**
 * The XML fragments of the emulator's answers: one function per element, rendered through the
 * client's generated wire model (see wire.ts), in the XSD's order of elements.
 *
 * @internal
 */
import * as DateTime from "effect/DateTime"
import type * as Fixtures from "../Fixtures.js"
import { luid } from "./luid.js"
import { element, Generated } from "./wire.js"
import { text } from "./xml.js"

const utc = (iso: string): DateTime.Utc => DateTime.unsafeMake(iso)

/** `<site .../>` as Query Sites and Query Site answer it. @internal */
export const site = (site: Fixtures.Site): string =>
  element("site", Generated.SiteType, {
    id: site.id,
    name: site.name,
    contentUrl: site.contentUrl,
    adminMode: "ContentAndUsers",
    state: "Active",
    revisionHistoryEnabled: true,
    revisionLimit: 25
  })

/** `<user .../>` as Query Users on Site answers it. @internal */
export const user = (user: Fixtures.User): string =>
  element("user", Generated.UserType, {
    id: user.id,
    name: user.name,
    fullName: user.fullName,
    email: user.email,
    siteRole: user.siteRole,
    authSetting: "ServerDefault",
    externalAuthUserId: ""
  })

const owner = (id: string): string => element("owner", Generated.UserType, { id })

/** `<project ...><owner/></project>` as Query Projects answers it. @internal */
export const project = (project: Fixtures.Project): string =>
  element("project", Generated.ProjectType, {
    id: project.id,
    name: project.name,
    description: project.description,
    createdAt: utc(project.createdAt),
    updatedAt: utc(project.updatedAt),
    contentPermissions: project.contentPermissions ?? "ManagedByOwner",
    parentProjectId: project.parentProjectId
  }, owner(project.ownerId))

/** The id of a user's personal space on a site (Tableau gives it a LUID of its own). @internal */
export const personalSpaceId = (siteId: string, ownerId: string): string =>
  luid(`personal-space/${siteId.toLowerCase()}/${ownerId.toLowerCase()}`)

/**
 * `<workbook ...>` with, in the XSD's order, `<project>` (or, for a workbook in a personal space,
 * `<location type="PersonalSpace">` instead, as Tableau Cloud answers), `<owner>` and `<tags>`.
 *
 * @internal
 */
export const workbook = (
  workbook: Fixtures.Workbook,
  project: Fixtures.Project | undefined,
  webpageUrl: string
): string => {
  const tags = workbook.tags.map((label) => element("tag", Generated.TagType, { label })).join("")
  const where = workbook.projectId === undefined
    ? element("location", Generated.LocationType, {
      id: personalSpaceId(workbook.siteId, workbook.ownerId),
      type: "PersonalSpace",
      name: "Personal Space"
    })
    : element("project", Generated.ProjectType, { id: workbook.projectId, name: project?.name ?? "" })
  return element("workbook", Generated.WorkbookType, {
    id: workbook.id,
    name: workbook.name,
    description: workbook.description,
    contentUrl: workbook.contentUrl,
    webpageUrl,
    // An xs:string in the XSD, not an xs:boolean.
    showTabs: workbook.showTabs ? "true" : "false",
    size: workbook.size,
    createdAt: utc(workbook.createdAt),
    updatedAt: utc(workbook.updatedAt)
  }, `${where}${owner(workbook.ownerId)}${tags.length === 0 ? "<tags/>" : `<tags>${tags}</tags>`}`)
}

/** `<pagination .../>`. @internal */
export const pagination = (pageNumber: number, pageSize: number, totalAvailable: number): string =>
  element("pagination", Generated.PaginationType, { pageNumber, pageSize, totalAvailable })

/** A collection element: `<name>items</name>`, or `<name/>` when empty. @internal */
export const collection = (name: string, items: string): string =>
  items.length === 0 ? `<${name}/>` : `<${name}>${items}</${name}>`

/** `<credentials>` of a sign-in or switchSite answer. @internal */
export const credentials = (options: {
  readonly token: string
  readonly siteId: string
  readonly contentUrl: string
  readonly userId: string
  readonly estimatedTimeToExpiration?: string | undefined
}): string =>
  element(
    "credentials",
    Generated.TableauCredentialsType,
    { token: options.token, estimatedTimeToExpiration: options.estimatedTimeToExpiration },
    element("site", Generated.SiteType, { id: options.siteId, contentUrl: options.contentUrl }) +
      element("user", Generated.UserType, { id: options.userId })
  )

/** What the emulator says about the server besides its versions. */
const PLATFORM = "linux"
const SERVER_SETTINGS =
  "<serverSettings><oAuthEnabled>true</oAuthEnabled><sheetImageMaxAgeFloor>1</sheetImageMaxAgeFloor>" +
  "<sheetImageMaxAgeCeiling>60</sheetImageMaxAgeCeiling><offlineInteractionSupportedPhase>0</offlineInteractionSupportedPhase>" +
  "</serverSettings>"

/**
 * `<serverInfo>` with every element the 3.29 schema requires, in its order: productVersion,
 * prepConductorVersion (the build, as Tableau Server reports it), restApiVersion, platform,
 * serverSettings.
 *
 * @internal
 */
export const serverInfo = (productVersion: string, build: string, restApiVersion: string): string =>
  `<serverInfo>${element("productVersion", Generated.ProductVersion.to, { build }, text(productVersion))}` +
  `<prepConductorVersion>${text(build)}</prepConductorVersion><restApiVersion>${
    text(restApiVersion)
  }</restApiVersion>` +
  `<platform>${PLATFORM}</platform>${SERVER_SETTINGS}</serverInfo>`
