/**
 * The group model, apart from Groups.ts so that Users.ts (a user's groups) and Groups.ts (a
 * group's users) can both use it without importing each other at load time.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"
import * as X from "./xsd.js"

const wire = Generated.GroupType.fields

// The XSD requires all four attributes of <import>; Tableau answers Create Group and Update Group
// of an Active Directory group with domainName, siteRole and grantLicenseMode but no source (as
// tableauserverclient's recorded answers show). Each is optional here: an attribute missing from
// <import> must not cost a group, or a page of groups.
const Import = Schema.partialWith(Generated.ImportDirectiveType, { exact: true })

/** A group of the site (the XSD's `groupType`). @internal */
export class Group extends Schema.Class<Group>("@tableau-effect/client/Group")({
  id: wire.id.from,
  name: wire.name.from,
  /** `<domain name="local"/>` for a local group, the Active Directory domain for an imported one. */
  domain: wire.domain,
  /** How an imported group grants licenses (`onLogin`, `onSync`) and the role it grants. */
  import: X.optional(X.element(Import)),
  minimumSiteRole: wire.minimumSiteRole,
  /** Sent by Tableau when the list asks for it (and by the emulator always). */
  userCount: wire.userCount,
  externalUserEnabled: wire.externalUserEnabled
}) {}
