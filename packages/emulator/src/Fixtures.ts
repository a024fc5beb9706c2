/**
 * The data an emulated Tableau Server starts from: sites, users with their credentials,
 * connected apps, projects and workbooks. `make` builds the documented defaults; `fromJson`
 * decodes a fixtures file.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { luid } from "./internal/luid.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A Tableau site role. `ServerAdministrator` makes the user a server administrator, a member
 * of every site.
 *
 * @since 0.1.0
 * @category Models
 */
export const SiteRole = Schema.Literal(
  "ServerAdministrator",
  "SiteAdministratorCreator",
  "SiteAdministratorExplorer",
  "Creator",
  "Explorer",
  "ExplorerCanPublish",
  "Viewer",
  "Unlicensed"
)

/**
 * A site role value.
 *
 * @since 0.1.0
 * @category Models
 */
export type SiteRole = typeof SiteRole.Type

/**
 * A site: its LUID, display name and content URL (`""` is the Default site).
 *
 * @since 0.1.0
 * @category Models
 */
export const Site = Schema.Struct({ id: Schema.String, name: Schema.String, contentUrl: Schema.String })

/**
 * A site.
 *
 * @since 0.1.0
 * @category Models
 */
export type Site = typeof Site.Type

/**
 * A personal access token: name and secret, optionally valid on one site only.
 *
 * @since 0.1.0
 * @category Models
 */
export const PersonalAccessToken = Schema.Struct({
  name: Schema.String,
  secret: Schema.String,
  siteId: Schema.optional(Schema.String)
})

/**
 * A personal access token.
 *
 * @since 0.1.0
 * @category Models
 */
export type PersonalAccessToken = typeof PersonalAccessToken.Type

/**
 * A user. One LUID on every site (a real server gives a user one id per site). `siteIds` lists
 * the sites the user belongs to; a `ServerAdministrator` belongs to all of them. A user without
 * a password cannot sign in with one.
 *
 * @since 0.1.0
 * @category Models
 */
export const User = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  fullName: Schema.optionalWith(Schema.String, { default: () => "" }),
  email: Schema.optionalWith(Schema.String, { default: () => "" }),
  password: Schema.optional(Schema.String),
  siteRole: SiteRole,
  /** How the user signs in (`ServerDefault` when absent): `SAML`, `OpenID`, ... */
  authSetting: Schema.optional(Schema.String),
  /**
   * When the user last signed in, as Tableau writes it (`2024-05-01T12:00:00Z`); absent for a
   * user who never did. The emulator's own sign-ins leave it as it is.
   */
  lastLogin: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/))),
  siteIds: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  personalAccessTokens: Schema.optionalWith(Schema.Array(PersonalAccessToken), { default: () => [] })
})

/**
 * A user.
 *
 * @since 0.1.0
 * @category Models
 */
export type User = typeof User.Type

/**
 * A connected app with direct trust: the JWTs it signs (HS256 with `secretValue`) carry
 * `kid` = `secretId` and `iss` = `clientId`.
 *
 * @since 0.1.0
 * @category Models
 */
export const ConnectedApp = Schema.Struct({
  clientId: Schema.String,
  secretId: Schema.String,
  secretValue: Schema.String
})

/**
 * A connected app.
 *
 * @since 0.1.0
 * @category Models
 */
export type ConnectedApp = typeof ConnectedApp.Type

/**
 * A project on a site.
 *
 * @since 0.1.0
 * @category Models
 */
export const Project = Schema.Struct({
  id: Schema.String,
  siteId: Schema.String,
  name: Schema.String,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  ownerId: Schema.String,
  parentProjectId: Schema.optional(Schema.String),
  /**
   * Who sets the permissions of its content: `ManagedByOwner` (when absent), `LockedToProject`
   * or `LockedToProjectWithoutNested`.
   */
  contentPermissions: Schema.optional(
    Schema.Literal("ManagedByOwner", "LockedToProject", "LockedToProjectWithoutNested")
  ),
  createdAt: Schema.String,
  updatedAt: Schema.String
})

/**
 * A project.
 *
 * @since 0.1.0
 * @category Models
 */
export type Project = typeof Project.Type

/**
 * A workbook on a site, in a project (or, without `projectId`, in its owner's personal space),
 * with an owner and tags.
 *
 * @since 0.1.0
 * @category Models
 */
export const Workbook = Schema.Struct({
  id: Schema.String,
  siteId: Schema.String,
  /** Absent for a workbook in its owner's personal space: answered with a `<location>`, no `<project>`. */
  projectId: Schema.optional(Schema.String),
  ownerId: Schema.String,
  name: Schema.String,
  description: Schema.optionalWith(Schema.String, { default: () => "" }),
  contentUrl: Schema.String,
  showTabs: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  size: Schema.optionalWith(Schema.Number, { default: () => 1 }),
  createdAt: Schema.String,
  updatedAt: Schema.String,
  tags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})

/**
 * A workbook.
 *
 * @since 0.1.0
 * @category Models
 */
export type Workbook = typeof Workbook.Type

const checkReferences = (fixtures: {
  readonly sites: ReadonlyArray<Site>
  readonly users: ReadonlyArray<User>
  readonly projects: ReadonlyArray<Project>
  readonly workbooks: ReadonlyArray<Workbook>
}): string | true => {
  const siteIds = new Set(fixtures.sites.map((site) => site.id))
  const userIds = new Set(fixtures.users.map((user) => user.id))
  const projectIds = new Set(fixtures.projects.map((project) => project.id))
  const contentUrls = new Set(fixtures.sites.map((site) => site.contentUrl.toLowerCase()))
  if (contentUrls.size !== fixtures.sites.length) return "two sites share a contentUrl"
  for (const user of fixtures.users) {
    const unknown = user.siteIds.find((id) => !siteIds.has(id))
    if (unknown !== undefined) return `user ${user.name} names an unknown site ${unknown}`
  }
  for (const project of fixtures.projects) {
    if (!siteIds.has(project.siteId)) return `project ${project.name} names an unknown site`
    if (!userIds.has(project.ownerId)) return `project ${project.name} names an unknown owner`
  }
  for (const workbook of fixtures.workbooks) {
    if (!siteIds.has(workbook.siteId)) return `workbook ${workbook.name} names an unknown site`
    if (workbook.projectId !== undefined && !projectIds.has(workbook.projectId)) {
      return `workbook ${workbook.name} names an unknown project`
    }
    if (!userIds.has(workbook.ownerId)) return `workbook ${workbook.name} names an unknown owner`
  }
  return true
}

/**
 * The schema of a fixtures file: every list, with references (site, project, owner ids)
 * checked.
 *
 * @since 0.1.0
 * @category Models
 */
export const Fixtures = Schema.Struct({
  sites: Schema.Array(Site),
  users: Schema.Array(User),
  connectedApps: Schema.optionalWith(Schema.Array(ConnectedApp), { default: () => [] }),
  projects: Schema.optionalWith(Schema.Array(Project), { default: () => [] }),
  workbooks: Schema.optionalWith(Schema.Array(Workbook), { default: () => [] })
}).pipe(Schema.filter(checkReferences))

/**
 * The data of an emulated server.
 *
 * @since 0.1.0
 * @category Models
 */
export type Fixtures = typeof Fixtures.Type

// ---------------------------------------------------------------------------------------------
// The defaults
// ---------------------------------------------------------------------------------------------

/**
 * The fixed LUIDs of the default fixtures, for tests and examples.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const ids = {
  sites: { default: luid("site/"), marketing: luid("site/MarketingTeam") },
  users: { admin: luid("user/admin"), alice: luid("user/alice"), bob: luid("user/bob") },
  projects: {
    default: luid("project//default"),
    finance: luid("project//Finance"),
    sales: luid("project//Sales"),
    marketingDefault: luid("project/MarketingTeam/default"),
    campaigns: luid("project/MarketingTeam/Campaigns")
  },
  groups: {
    allUsers: luid("group//All Users"),
    marketingAllUsers: luid("group/MarketingTeam/All Users"),
    analysts: luid("group//Analysts"),
    campaignTeam: luid("group/MarketingTeam/Campaign Team")
  }
} as const

/**
 * The credentials of the default fixtures. They are fake values, printed by the CLI on purpose.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const defaults = {
  sites: { default: "", marketing: "MarketingTeam" },
  admin: { username: "admin", password: "admin-password", patName: "admin-pat", patSecret: "admin-pat-secret" },
  alice: { username: "alice", password: "alice-password", patName: "alice-pat", patSecret: "alice-pat-secret" },
  bob: { username: "bob", password: "bob-password", patName: "bob-pat", patSecret: "bob-pat-secret" },
  connectedApp: {
    clientId: "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b",
    secretId: "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
    secretValue: "emulator-connected-app-secret-value-0123456789"
  },
  workbooks: 25
} as const

const WORKBOOK_NAMES = [
  "Superstore",
  "Regional Sales",
  "Executive Overview",
  "Customer Churn",
  "Profit Analysis",
  "Inventory",
  "Shipping Times",
  "Forecast",
  "Budget vs Actual",
  "Web Analytics"
] as const

const TAG_SETS: ReadonlyArray<ReadonlyArray<string>> = [["sales"], ["finance", "quarterly"], [], ["marketing"]]

const BASE_TIME = Date.UTC(2024, 0, 15, 9, 0, 0)

const timestamp = (hoursAfterBase: number): string =>
  new Date(BASE_TIME + hoursAfterBase * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z")

/**
 * The default workbook number `index` (0-based) of the Default site: name, project, owner and
 * tags cycle, ids and timestamps follow from the index. `TableauEmulator.addWorkbooks(n)` uses
 * it to continue the sequence.
 *
 * @since 0.1.0
 * @category Constructors
 */
export const defaultWorkbook = (index: number): Workbook => {
  const base = WORKBOOK_NAMES[index % WORKBOOK_NAMES.length]!
  const round = Math.floor(index / WORKBOOK_NAMES.length)
  const name = round === 0 ? base : `${base} ${round + 1}`
  const projects = [ids.projects.default, ids.projects.finance, ids.projects.sales]
  const owners = [ids.users.admin, ids.users.alice, ids.users.bob]
  return {
    id: luid(`workbook//${index}`),
    siteId: ids.sites.default,
    projectId: projects[index % projects.length]!,
    ownerId: owners[index % owners.length]!,
    name,
    description: index % 5 === 0 ? `${name} & friends: the "classic" view` : "",
    contentUrl: name.replace(/[^A-Za-z0-9]/g, ""),
    showTabs: index % 2 === 0,
    size: 1 + (index % 7),
    createdAt: timestamp(index),
    updatedAt: timestamp(index + 24),
    tags: TAG_SETS[index % TAG_SETS.length]!
  }
}

const marketingWorkbooks: ReadonlyArray<Workbook> = ["Campaign Performance", "Web Traffic", "Social Reach"].map(
  (name, index) => ({
    id: luid(`workbook/MarketingTeam/${index}`),
    siteId: ids.sites.marketing,
    projectId: index === 0 ? ids.projects.marketingDefault : ids.projects.campaigns,
    ownerId: ids.users.alice,
    name,
    description: "",
    contentUrl: name.replace(/[^A-Za-z0-9]/g, ""),
    showTabs: true,
    size: 2,
    createdAt: timestamp(100 + index),
    updatedAt: timestamp(200 + index),
    tags: ["marketing"]
  })
)

const project = (siteId: string, id: string, name: string, description: string, ownerId: string): Project => ({
  id,
  siteId,
  name,
  description,
  ownerId,
  createdAt: timestamp(-48),
  updatedAt: timestamp(-24)
})

/**
 * A workbook in alice's personal space on the Default site: no project, so Tableau answers it
 * with `<location type="PersonalSpace">` and no `<project>`. Not in the default fixtures (their
 * counts stay as documented); add it with `TableauEmulator.addWorkbooks([Fixtures.personalSpaceWorkbook])`
 * or put it in your own fixtures.
 *
 * @example
 * ```ts
 * import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
 * import { Effect } from "effect"
 *
 * const program = Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) =>
 *   emulator.addWorkbooks([Fixtures.personalSpaceWorkbook]))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const personalSpaceWorkbook: Workbook = {
  id: luid("workbook//personal-space/alice"),
  siteId: ids.sites.default,
  ownerId: ids.users.alice,
  name: "Scratchpad",
  description: "Alice's drafts",
  contentUrl: "Scratchpad",
  showTabs: false,
  size: 1,
  createdAt: timestamp(300),
  updatedAt: timestamp(301),
  tags: []
}

/**
 * The default fixtures: sites `""` (Default) and `MarketingTeam`; the server administrator
 * `admin` and the users `alice` (site administrator on both sites) and `bob` (Explorer on the
 * Default site), each with a password and a PAT; one connected app; `workbooks` workbooks
 * (default 25) over the projects default, Finance and Sales of the Default site, and three on
 * MarketingTeam. The emulator adds the groups: "All Users" on each site, "Analysts" (alice and
 * bob) on the Default site and "Campaign Team" (alice, minimum site role Explorer) on
 * MarketingTeam (their ids are in `ids.groups`).
 *
 * @example
 * ```ts
 * import { Fixtures } from "@tableau-effect/emulator"
 *
 * const fixtures = Fixtures.make({ workbooks: 1000 })
 * console.log(fixtures.workbooks.length) // 1003
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = (options: { readonly workbooks?: number | undefined } = {}): Fixtures => {
  const count = Math.max(0, Math.floor(options.workbooks ?? defaults.workbooks))
  const { admin, alice, bob } = defaults
  return {
    sites: [
      { id: ids.sites.default, name: "Default", contentUrl: defaults.sites.default },
      { id: ids.sites.marketing, name: "Marketing Team", contentUrl: defaults.sites.marketing }
    ],
    users: [
      {
        id: ids.users.admin,
        name: admin.username,
        fullName: "Ada Admin",
        email: "admin@example.com",
        password: admin.password,
        siteRole: "ServerAdministrator",
        siteIds: [],
        personalAccessTokens: [{ name: admin.patName, secret: admin.patSecret }]
      },
      {
        id: ids.users.alice,
        name: alice.username,
        fullName: "Alice Analyst",
        email: "alice@example.com",
        password: alice.password,
        siteRole: "SiteAdministratorCreator",
        siteIds: [ids.sites.default, ids.sites.marketing],
        personalAccessTokens: [{ name: alice.patName, secret: alice.patSecret }]
      },
      {
        id: ids.users.bob,
        name: bob.username,
        fullName: "Bob Viewer",
        email: "bob@example.com",
        password: bob.password,
        siteRole: "Explorer",
        siteIds: [ids.sites.default],
        personalAccessTokens: [{ name: bob.patName, secret: bob.patSecret }]
      }
    ],
    connectedApps: [defaults.connectedApp],
    projects: [
      project(ids.sites.default, ids.projects.default, "default", "The default project", ids.users.admin),
      project(ids.sites.default, ids.projects.finance, "Finance", "Finance dashboards", ids.users.alice),
      project(ids.sites.default, ids.projects.sales, "Sales", "Sales dashboards", ids.users.alice),
      project(ids.sites.marketing, ids.projects.marketingDefault, "default", "The default project", ids.users.admin),
      project(ids.sites.marketing, ids.projects.campaigns, "Campaigns", "Campaign results", ids.users.alice)
    ],
    workbooks: [...Array.from({ length: count }, (_, index) => defaultWorkbook(index)), ...marketingWorkbooks]
  }
}

/**
 * Decodes fixtures from parsed JSON (a fixtures file), with defaults for the optional fields
 * and every reference checked.
 *
 * @example
 * ```ts
 * import { Fixtures } from "@tableau-effect/emulator"
 * import * as fs from "node:fs"
 *
 * const fixtures = Fixtures.fromJson(JSON.parse(fs.readFileSync("fixtures.json", "utf8")))
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const fromJson = (input: unknown): Effect.Effect<Fixtures, ParseResult.ParseError> =>
  Schema.decodeUnknown(Fixtures)(input)

/**
 * Encodes fixtures as JSON-ready data (the shape `fromJson` reads).
 *
 * @since 0.1.0
 * @category Operations
 */
export const toJson = (fixtures: Fixtures): Effect.Effect<FixturesJson, ParseResult.ParseError> =>
  Schema.encode(Fixtures)(fixtures)

/**
 * The JSON shape of fixtures, as a fixtures file holds them.
 *
 * @since 0.1.0
 * @category Models
 */
export type FixturesJson = typeof Fixtures.Encoded

/**
 * Whether the user belongs to the site (server administrators belong to every site).
 *
 * @since 0.1.0
 * @category Operations
 */
export const isMember = (user: User, siteId: string): boolean =>
  user.siteRole === "ServerAdministrator" || user.siteIds.includes(siteId)

/**
 * Whether the user is a server administrator.
 *
 * @since 0.1.0
 * @category Operations
 */
export const isServerAdmin = (user: User): boolean => user.siteRole === "ServerAdministrator"
