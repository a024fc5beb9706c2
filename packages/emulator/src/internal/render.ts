/**
 * The XML fragments of the emulator's answers: one function per element, all attribute values
 * escaped.
 *
 * @internal
 */
import type * as Fixtures from "../Fixtures.js"
import { attr } from "./xml.js"

/** `<site .../>` as Query Sites and Query Site answer it. @internal */
export const site = (site: Fixtures.Site): string =>
  `<site id="${attr(site.id)}" name="${attr(site.name)}" contentUrl="${
    attr(site.contentUrl)
  }" adminMode="ContentAndUsers" state="Active" revisionHistoryEnabled="true" revisionLimit="25"/>`

/** `<user .../>` as Query Users on Site answers it. @internal */
export const user = (user: Fixtures.User): string =>
  `<user id="${attr(user.id)}" name="${attr(user.name)}" fullName="${attr(user.fullName)}" email="${
    attr(user.email)
  }" siteRole="${attr(user.siteRole)}" authSetting="ServerDefault" externalAuthUserId=""/>`

/** `<project ...><owner/></project>` as Query Projects answers it. @internal */
export const project = (project: Fixtures.Project): string =>
  `<project id="${attr(project.id)}" name="${attr(project.name)}" description="${
    attr(project.description)
  }" createdAt="${attr(project.createdAt)}" updatedAt="${attr(project.updatedAt)}" contentPermissions="ManagedByOwner"${
    project.parentProjectId === undefined ? "" : ` parentProjectId="${attr(project.parentProjectId)}"`
  }><owner id="${attr(project.ownerId)}"/></project>`

/** `<workbook ...><project/><owner/><tags/></workbook>`, the shape of tableau-rest.md. @internal */
export const workbook = (
  workbook: Fixtures.Workbook,
  project: Fixtures.Project | undefined,
  webpageUrl: string
): string => {
  const tags = workbook.tags.length === 0
    ? "<tags/>"
    : `<tags>${workbook.tags.map((tag) => `<tag label="${attr(tag)}"/>`).join("")}</tags>`
  return `<workbook id="${attr(workbook.id)}" name="${attr(workbook.name)}" description="${
    attr(workbook.description)
  }" contentUrl="${attr(workbook.contentUrl)}" webpageUrl="${attr(webpageUrl)}" showTabs="${
    workbook.showTabs ? "true" : "false"
  }" size="${workbook.size}" createdAt="${attr(workbook.createdAt)}" updatedAt="${
    attr(workbook.updatedAt)
  }"><project id="${attr(workbook.projectId)}" name="${attr(project?.name ?? "")}"/><owner id="${
    attr(workbook.ownerId)
  }"/>${tags}</workbook>`
}

/** `<pagination .../>`. @internal */
export const pagination = (pageNumber: number, pageSize: number, totalAvailable: number): string =>
  `<pagination pageNumber="${pageNumber}" pageSize="${pageSize}" totalAvailable="${totalAvailable}"/>`

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
  `<credentials token="${attr(options.token)}"${
    options.estimatedTimeToExpiration === undefined
      ? ""
      : ` estimatedTimeToExpiration="${attr(options.estimatedTimeToExpiration)}"`
  }><site id="${attr(options.siteId)}" contentUrl="${attr(options.contentUrl)}"/><user id="${
    attr(options.userId)
  }"/></credentials>`

/** `<serverInfo>`. @internal */
export const serverInfo = (productVersion: string, build: string, restApiVersion: string): string =>
  `<serverInfo><productVersion build="${attr(build)}">${attr(productVersion)}</productVersion><restApiVersion>${
    attr(restApiVersion)
  }</restApiVersion></serverInfo>`
