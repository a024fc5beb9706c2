/**
 * The group model, apart from Groups.ts so that Users.ts (a user's groups) and Groups.ts (a
 * group's users) can both use it without importing each other at load time.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"

const wire = Generated.GroupType.fields

/** A group of the site (the XSD's `groupType`). @internal */
export class Group extends Schema.Class<Group>("@tableau-effect/client/Group")({
  id: wire.id.from,
  name: wire.name.from,
  /** `<domain name="local"/>` for a local group, the Active Directory domain for an imported one. */
  domain: wire.domain,
  /** How an imported group grants licenses (`onLogin`, `onSync`) and the role it grants. */
  import: wire.import,
  minimumSiteRole: wire.minimumSiteRole,
  /** Sent by Tableau when the list asks for it (and by the emulator always). */
  userCount: wire.userCount,
  externalUserEnabled: wire.externalUserEnabled
}) {}
