/**
 * Tableau's Python client (tableauserverclient, "TSC", 0.40: github.com/tableau/server-client-python)
 * against the emulator on loopback: each case replays the requests one TSC call sends, byte for
 * byte as its request factory (tableauserverclient/server/request_factory.py, through Python's
 * ElementTree) and `requests` write them, with TSC's headers (Endpoint._make_request in
 * server/endpoint/endpoint.py: `x-tableau-auth`, `content-type: text/xml` on PUT and POST, no
 * content type on sign-in), and asserts what TSC's parsers read from the answer: the status
 * (200, 201, 202 and 204 are success), and the elements and attributes its `from_response`
 * methods find in the tableau namespace (ElementTree's `find(".//t:workbook", {"t":
 * "http://tableau.com/api"})` finds nothing outside it).
 */
import { describe, expect, it } from "@effect/vitest"
import { ConnectedApp, EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import { XMLParser } from "fast-xml-parser"
import * as http from "node:http"
import { aliceSignedInAt, defaults, ids } from "./util.js"

// ---------------------------------------------------------------------------------------------
// What TSC sees of an answer: an ElementTree-like reader that knows namespaces
// ---------------------------------------------------------------------------------------------

const TABLEAU = "http://tableau.com/api"

interface Node {
  readonly ns: string | undefined
  readonly local: string
  readonly attributes: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<Node>
  readonly text: string
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true
})

type Raw = ReadonlyArray<Record<string, unknown>>

const build = (raw: Raw, inherited: Readonly<Record<string, string>>): Array<Node> =>
  raw.flatMap((item): Array<Node> => {
    const name = Object.keys(item).find((key) => key !== ":@")
    if (name === undefined || name === "#text") return []
    const attributes = (item[":@"] ?? {}) as Record<string, string>
    const scope: Record<string, string> = { ...inherited }
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "xmlns") scope[""] = value
      else if (key.startsWith("xmlns:")) scope[key.slice(6)] = value
    }
    const colon = name.indexOf(":")
    const content = item[name] as Raw
    return [{
      ns: scope[colon < 0 ? "" : name.slice(0, colon)],
      local: colon < 0 ? name : name.slice(colon + 1),
      attributes,
      children: build(content, scope),
      text: content.map((child) => typeof child["#text"] === "string" ? child["#text"] : "").join("")
    }]
  })

/** The root element of an answer, as `fromstring` gives it. */
const rootOf = (text: string): Node => {
  const [root] = build(parser.parse(text) as Raw, {})
  if (root === undefined) throw new Error(`not XML: ${text.slice(0, 200)}`)
  return root
}

const isTableau = (local: string) => (node: Node) => node.ns === TABLEAU && node.local === local

/** `node.findall("t:local")`: children in the tableau namespace. */
const children = (node: Node, local: string): Array<Node> => node.children.filter(isTableau(local))

/** `node.findall(".//t:local")`: descendants in the tableau namespace, in document order. */
const findAll = (node: Node, local: string): Array<Node> =>
  node.children.flatMap((child) => [...(isTableau(local)(child) ? [child] : []), ...findAll(child, local)])

/** `node.find(".//t:local")`. */
const find = (node: Node, local: string): Node | undefined => findAll(node, local)[0]

/** `node.find(...)`, failing the test when TSC would get None (and fail on `.get`). */
const must = (node: Node | undefined, what: string): Node => {
  if (node === undefined) throw new Error(`TSC finds no ${what}`)
  return node
}

const attr = (node: Node | undefined, name: string): string | undefined => node?.attributes[name]

/** The format of TSC's `parse_datetime` (datetime_helpers.py); anything else reads as None. */
const TSC_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/** What Namespace.detect (namespace.py) needs: an XML declaration and a tableau root. */
const expectTableauDocument = (text: string) => {
  expect(text.startsWith("<?xml")).toBe(true)
  const root = rootOf(text)
  expect({ ns: root.ns, local: root.local }).toEqual({ ns: TABLEAU, local: "tsResponse" })
  return root
}

/** PaginationItem.from_response: `t:pagination`, a child of the root. */
const paginationOf = (root: Node) => {
  const [element] = children(root, "pagination")
  return {
    pageNumber: Number(attr(element, "pageNumber") ?? "-1"),
    pageSize: Number(attr(element, "pageSize") ?? "-1"),
    totalAvailable: Number(attr(element, "totalAvailable") ?? "-1")
  }
}

/** TagItem.from_xml_element: every `.//t:tag` label. */
const tagsOf = (node: Node): Array<string> => findAll(node, "tag").map((tag) => attr(tag, "label") ?? "")

// ---------------------------------------------------------------------------------------------
// How TSC sends: ElementTree's bytes, requests' headers
// ---------------------------------------------------------------------------------------------

/** An attribute value as ElementTree writes it. */
const et = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#09;")

/** What `requests` adds to every request (and TSC's User-Agent, Endpoint.set_user_agent). */
const REQUESTS_HEADERS = {
  "user-agent": "Tableau Server Client/0.40",
  "accept-encoding": "gzip, deflate",
  "accept": "*/*",
  "connection": "keep-alive"
}

interface Reply {
  readonly status: number
  readonly text: string
}

const request = (
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string
): Effect.Effect<Reply, Error> =>
  Effect.async<Reply, Error>((resume) => {
    const bytes = body === undefined ? undefined : Buffer.from(body, "utf8")
    // requests sends Content-Length: 0 without a body on every method but GET and HEAD
    // (a DELETE, jobs.cancel's PUT, sign_out's POST).
    const length = method === "GET" ? {} : { "content-length": String(bytes?.length ?? 0) }
    const outgoing = http.request(
      new URL(url),
      { method, headers: { ...REQUESTS_HEADERS, ...headers, ...length }, agent: false },
      (incoming) => {
        const chunks: Array<Buffer> = []
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
        incoming.on("end", () =>
          resume(Effect.succeed({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") })))
        incoming.on("error", (error) =>
          resume(Effect.fail(error)))
      }
    )
    outgoing.on("error", (error) => resume(Effect.fail(error)))
    outgoing.end(bytes)
  })

/** TSC's Success_codes (endpoint.py). */
const SUCCESS = [200, 201, 202, 204]

const expectSuccess = (reply: Reply, status: number) => {
  expect({ status: reply.status, text: SUCCESS.includes(reply.status) ? "" : reply.text }).toEqual({ status, text: "" })
  return reply
}

/** A served emulator and TSC's view of it: `server.baseurl`, the signed-in site and user. */
interface Tsc {
  readonly url: string
  readonly server: EmulatorServer.Server
  readonly version: string
  readonly token: string
  readonly siteId: string
  readonly userId: string
  /** `{baseurl}/sites/{site_id}`. */
  readonly site: string
  readonly get: (path: string) => Effect.Effect<Reply, Error>
  /** post_request / put_request: `content-type: text/xml`. */
  readonly post: (path: string, body?: string) => Effect.Effect<Reply, Error>
  readonly put: (path: string, body?: string) => Effect.Effect<Reply, Error>
  readonly delete: (path: string) => Effect.Effect<Reply, Error>
}

const signInBody = (credentials: string, contentUrl = "", impersonate?: string) =>
  `<tsRequest><credentials ${credentials}><site contentUrl="${et(contentUrl)}" />${
    impersonate === undefined ? "" : `<user id="${impersonate}" />`
  }</credentials></tsRequest>`

const passwordOf = (user: { readonly username: string; readonly password: string }) =>
  `name="${et(user.username)}" password="${et(user.password)}"`

/**
 * `server.auth.sign_in(credentials)` (server/endpoint/auth_endpoint.py): a POST of the request
 * factory's `<credentials>` with no content type and redirects not followed; TSC reads
 * `.//t:site` id and contentUrl, `.//t:user` id and `t:credentials` token.
 */
const signIn = (url: string, version: string, body: string) =>
  Effect.gen(function*() {
    const reply = expectSuccess(yield* request(`${url}/api/${version}/auth/signin`, "POST", {}, body), 200)
    const root = expectTableauDocument(reply.text)
    const [credentials] = children(root, "credentials")
    return {
      token: must(credentials, "t:credentials").attributes["token"] ?? "",
      siteId: attr(must(find(root, "site"), ".//t:site"), "id") ?? "",
      contentUrl: attr(find(root, "site"), "contentUrl"),
      userId: attr(must(find(root, "user"), ".//t:user"), "id") ?? ""
    }
  })

const withSession = (
  url: string,
  server: EmulatorServer.Server,
  version: string,
  signedIn: { readonly token: string; readonly siteId: string; readonly userId: string }
): Tsc => {
  const base = `${url}/api/${version}`
  const auth = { "x-tableau-auth": signedIn.token }
  const xml = { ...auth, "content-type": "text/xml" }
  return {
    url,
    server,
    version,
    ...signedIn,
    site: `/sites/${signedIn.siteId}`,
    get: (path) => request(`${base}${path}`, "GET", auth),
    post: (path, body) => request(`${base}${path}`, "POST", xml, body),
    put: (path, body) => request(`${base}${path}`, "PUT", xml, body),
    delete: (path) => request(`${base}${path}`, "DELETE", auth)
  }
}

/**
 * `TSC.Server(url, use_server_version=True)` then `server.auth.sign_in(...)`: the version from
 * `GET /api/2.4/serverInfo`, then a sign-in (admin's password on the Default site unless told).
 */
const tsc = (
  options: {
    readonly credentials?: string
    readonly contentUrl?: string
    readonly apiVersion?: string
    readonly fixtures?: Fixtures.Fixtures
  } = {}
) =>
  Effect.gen(function*() {
    const server = yield* EmulatorServer.serve({
      port: 0,
      ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
      ...(options.fixtures === undefined ? {} : { fixtures: options.fixtures })
    })
    const info = expectSuccess(yield* request(`${server.url}/api/2.4/serverInfo`, "GET", {}), 200)
    const version = must(find(expectTableauDocument(info.text), "restApiVersion"), ".//t:restApiVersion").text
    const body = signInBody(options.credentials ?? passwordOf(defaults.admin), options.contentUrl ?? "")
    return withSession(server.url, server, version, yield* signIn(server.url, version, body))
  })

/** The first page of a list as TSC's `get` asks it (`?pageNumber=1&pageSize=100`), parsed. */
const page = (session: Tsc, path: string, query = "pageNumber=1&pageSize=100") =>
  Effect.map(session.get(`${path}?${query}`), (reply) => expectTableauDocument(expectSuccess(reply, 200).text))

const workbookNamed = (root: Node, name: string): Node =>
  must(findAll(root, "workbook").find((workbook) => attr(workbook, "name") === name), `workbook ${name}`)

// ---------------------------------------------------------------------------------------------
// The cases, one per TSC call
// ---------------------------------------------------------------------------------------------

/** The id of the workbook of this name on the session's site. */
const workbookId = (session: Tsc, name: string) =>
  Effect.map(page(session, `${session.site}/workbooks`), (root) => attr(workbookNamed(root, name), "id") ?? "")

/** The listed `<datasource>` of this name on the session's site. */
const datasourceNamed = (session: Tsc, name: string) =>
  Effect.map(
    page(session, `${session.site}/datasources`),
    (root) => must(findAll(root, "datasource").find((one) => attr(one, "name") === name), `data source ${name}`)
  )

/** The single `.//t:{local}` of a successful answer (what `from_response(...)[0]` reads). */
const single = (reply: Reply, status: number, local: string): Node =>
  must(find(expectTableauDocument(expectSuccess(reply, status).text), local), `.//t:${local}`)

const names = (root: Node, local: string) => findAll(root, local).map((node) => attr(node, "name"))

const patOf = (user: { readonly patName: string; readonly patSecret: string }) =>
  `personalAccessTokenName="${user.patName}" personalAccessTokenSecret="${user.patSecret}"`

// UserItem(name, site_role) checks the role against UserItem.Roles, authSetting against UserItem.Auth.
const ROLES = [
  "Interactor",
  "Publisher",
  "ServerAdministrator",
  "SiteAdministrator",
  "Unlicensed",
  "UnlicensedWithPublish",
  "Viewer",
  "ViewerWithPublish",
  "Guest",
  "Creator",
  "Explorer",
  "ExplorerCanPublish",
  "ReadOnly",
  "SiteAdministratorCreator",
  "SiteAdministratorExplorer",
  "SupportUser"
]
const AUTH_SETTINGS = ["OpenID", "SAML", "TableauIDWithMFA", "ServerDefault"]

describe("tableauserverclient's requests, replayed", () => {
  describe("server info and authentication", () => {
    it.scopedLive("TSC.Server(url, use_server_version=True)", () =>
      Effect.gen(function*() {
        // server/server.py Server._determine_highest_version: GET /api/2.4/serverInfo, no token;
        // models/server_info_item.py ServerInfoItem.from_response.
        const server = yield* EmulatorServer.serve({ port: 0 })
        const root = expectTableauDocument(
          expectSuccess(yield* request(`${server.url}/api/2.4/serverInfo`, "GET", {}), 200).text
        )
        expect(must(find(root, "restApiVersion"), ".//t:restApiVersion").text).toBe("3.24")
      }))

    it.scopedLive("server.server_info.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/server_info_endpoint.py ServerInfo.get, on the version in use.
        const server = yield* EmulatorServer.serve({ port: 0 })
        const root = expectTableauDocument(
          expectSuccess(yield* request(`${server.url}/api/3.24/serverInfo`, "GET", {}), 200).text
        )
        const product = must(find(root, "productVersion"), ".//t:productVersion")
        expect({ product: product.text, build: attr(product, "build") }).toEqual({
          product: "2024.2.0",
          build: "20242.24.0711.1636"
        })
        expect(must(find(root, "restApiVersion"), ".//t:restApiVersion").text).toBe("3.24")
      }))

    it.scopedLive("server.auth.sign_in(TSC.TableauAuth(username, password))", () =>
      Effect.gen(function*() {
        // server/endpoint/auth_endpoint.py Auth.sign_in; request_factory.py AuthRequest.signin_req.
        const session = yield* tsc()
        expect({ siteId: session.siteId, userId: session.userId }).toEqual({
          siteId: ids.sites.default,
          userId: ids.users.admin
        })
        expect(session.token.length).toBeGreaterThan(0)
      }))

    it.scopedLive("server.auth.sign_in(TSC.PersonalAccessTokenAuth(name, secret, site_id)) on TSC.Server(url)", () =>
      Effect.gen(function*() {
        // server/server.py: without use_server_version TSC stays on default_server_version, 2.4,
        // as Tableau's own samples (samples/move_workbook_sites.py) sign in with a PAT.
        const server = yield* EmulatorServer.serve({ port: 0 })
        const signedIn = yield* signIn(server.url, "2.4", signInBody(patOf(defaults.alice), "MarketingTeam"))
        expect({ siteId: signedIn.siteId, userId: signedIn.userId, contentUrl: signedIn.contentUrl }).toEqual({
          siteId: ids.sites.marketing,
          userId: ids.users.alice,
          contentUrl: "MarketingTeam"
        })
        // Below 3.7 TSC writes the query unencoded (request_options.py apply_query_params).
        const session = withSession(server.url, server, "2.4", signedIn)
        const root = yield* page(
          session,
          `${session.site}/workbooks`,
          "filter=name:eq:Web%20Traffic&pageNumber=1&pageSize=100"
        )
        expect(names(root, "workbook")).toEqual(["Web Traffic"])
      }))

    it.scopedLive("server.auth.sign_in_with_json_web_token(TSC.JWTAuth(jwt))", () =>
      Effect.gen(function*() {
        // models/tableau_auth.py JWTAuth.credentials always carries isUat ("false" for a
        // connected app); plain sign_in(JWTAuth) sends the same on the default 2.4.
        const server = yield* EmulatorServer.serve({ port: 0 })
        for (const version of ["3.24", "2.4"]) {
          const jwt = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "bob" })
          const signedIn = yield* signIn(server.url, version, signInBody(`jwt="${jwt}" isUat="false"`))
          expect(signedIn.userId).toBe(ids.users.bob)
        }
      }))

    it.scopedLive("server.auth.sign_in(TSC.TableauAuth(username, password, user_id_to_impersonate=id))", () =>
      Effect.gen(function*() {
        // request_factory.py AuthRequest.signin_req: <user id> after <site>.
        const server = yield* EmulatorServer.serve({ port: 0 })
        const body = signInBody(passwordOf(defaults.admin), "", ids.users.bob)
        expect((yield* signIn(server.url, "3.24", body)).userId).toBe(ids.users.bob)
      }))

    it.scopedLive("server.auth.sign_in(...) with a wrong password raises FailedSignInError 401001", () =>
      Effect.gen(function*() {
        // server/endpoint/exceptions.py XMLError.from_response: `t:error` code, `.//t:summary`
        // and `.//t:detail` text.
        const server = yield* EmulatorServer.serve({ port: 0 })
        const body = signInBody(passwordOf({ username: "admin", password: "nope" }))
        const reply = yield* request(`${server.url}/api/3.24/auth/signin`, "POST", {}, body)
        expect(reply.status).toBe(401)
        const root = expectTableauDocument(reply.text)
        expect(attr(children(root, "error")[0], "code")).toBe("401001")
        expect(must(find(root, "summary"), ".//t:summary").text).toBe("Signin Error")
        expect(must(find(root, "detail"), ".//t:detail").text.length).toBeGreaterThan(0)
      }))

    it.scopedLive("server.auth.sign_out()", () =>
      Effect.gen(function*() {
        // server/endpoint/auth_endpoint.py Auth.sign_out: post_request(url, "") as text/xml.
        const session = yield* tsc()
        expectSuccess(yield* session.post("/auth/signout", ""), 204)
        expect(yield* session.server.emulator.activeSessions).toBe(0)
      }))

    it.scopedLive("server.auth.switch_site(site_item)", () =>
      Effect.gen(function*() {
        // server/endpoint/auth_endpoint.py Auth.switch_site; request_factory.py AuthRequest.switch_req.
        const session = yield* tsc()
        const body = `<tsRequest><site contentUrl="MarketingTeam" /></tsRequest>`
        const root = expectTableauDocument(expectSuccess(yield* session.post("/auth/switchSite", body), 200).text)
        const token = attr(children(root, "credentials")[0], "token") ?? ""
        expect({ site: attr(find(root, "site"), "id"), user: attr(find(root, "user"), "id") }).toEqual({
          site: ids.sites.marketing,
          user: ids.users.admin
        })
        // Switching to the site it is on: TSC catches ServerResponseError 403070 and carries on.
        const switched = withSession(session.url, session.server, session.version, {
          token,
          siteId: ids.sites.marketing,
          userId: ids.users.admin
        })
        const same = yield* switched.post("/auth/switchSite", body)
        expect({ status: same.status, code: attr(children(rootOf(same.text), "error")[0], "code") }).toEqual({
          status: 403,
          code: "403070"
        })
      }))
  })

  describe("sites", () => {
    it.scopedLive("server.sites.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/sites_endpoint.py Sites.get: no request options, no query.
        const session = yield* tsc()
        const root = expectTableauDocument(expectSuccess(yield* session.get("/sites"), 200).text)
        expect(paginationOf(root).totalAvailable).toBe(2)
        for (const site of findAll(root, "site")) {
          // models/site_item.py SiteItem(name, content_url): a name, a content URL matching
          // ^[a-zA-Z0-9_\-]*$, adminMode and state of their enumerations, revisionLimit 2..10000.
          expect(attr(site, "name")).toMatch(/./)
          expect(attr(site, "contentUrl")).toMatch(/^[a-zA-Z0-9_-]*$/)
          expect(["ContentAndUsers", "ContentOnly"]).toContain(attr(site, "adminMode"))
          expect(["Active", "Suspended"]).toContain(attr(site, "state"))
          expect(Number(attr(site, "revisionLimit"))).toBeGreaterThanOrEqual(2)
        }
      }))

    it.scopedLive("server.sites.get_by_id(site_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/sites_endpoint.py Sites.get_by_id
        const session = yield* tsc()
        const site = single(yield* session.get(`/sites/${session.siteId}`), 200, "site")
        expect({ id: attr(site, "id"), name: attr(site, "name") }).toEqual({ id: ids.sites.default, name: "Default" })
      }))

    it.scopedLive("server.sites.get_by_name(name)", () =>
      Effect.gen(function*() {
        // server/endpoint/sites_endpoint.py Sites.get_by_name: ?key=name
        const session = yield* tsc()
        expect(attr(single(yield* session.get("/sites/Default?key=name"), 200, "site"), "id")).toBe(ids.sites.default)
      }))
  })

  describe("users", () => {
    it.scopedLive("server.users.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py Users.get sets all_fields: fields=_all_.
        const session = yield* tsc()
        const root = yield* page(session, `${session.site}/users`, "fields=_all_&pageNumber=1&pageSize=100")
        expect(paginationOf(root)).toEqual({ pageNumber: 1, pageSize: 100, totalAvailable: 3 })
        for (const user of findAll(root, "user")) {
          // models/user_item.py UserItem._parse_xml
          expect(attr(user, "id")).toMatch(/^[0-9a-f-]{36}$/)
          expect(ROLES).toContain(attr(user, "siteRole"))
          expect(AUTH_SETTINGS).toContain(attr(user, "authSetting"))
        }
      }))

    it.scopedLive("server.users.filter(name='alice')", () =>
      Effect.gen(function*() {
        // server/query.py QuerySet, request_options.py get_query_params, encoded by requests.
        const session = yield* tsc()
        const query = "filter=name%3Aeq%3Aalice&fields=_all_&pageNumber=1&pageSize=100"
        expect(names(yield* page(session, `${session.site}/users`, query), "user")).toEqual(["alice"])
      }))

    it.scopedLive("server.users.filter(luid=...), filter(is_local=True), filter(last_login__gte=...).order_by('-last_login')", () =>
      Effect.gen(function*() {
        // RequestOptions.Field.Luid, IsLocal, LastLogin: fields Tableau documents for Get Users
        // on Site; Filter.__str__ writes Python's True. Alice signed in once, as a fixture says.
        const session = yield* tsc({ fixtures: aliceSignedInAt("2024-05-01T12:00:00Z") })
        const users = (query: string) =>
          page(session, `${session.site}/users`, `${query}&fields=_all_&pageNumber=1&pageSize=100`)
        expect(names(yield* users(`filter=luid%3Aeq%3A${ids.users.bob}`), "user")).toEqual(["bob"])
        expect(names(yield* users("filter=isLocal%3Aeq%3ATrue"), "user")).toEqual(["admin", "alice", "bob"])
        // The admin signed in just now (the session), so signed in after alice did.
        const recent = yield* users("sort=lastLogin%3Adesc&filter=lastLogin%3Agte%3A2024-01-01T00%3A00%3A00Z")
        expect(names(recent, "user")).toEqual(["admin", "alice"])
        const earlier = yield* users("filter=lastLogin%3Alte%3A2024-06-01T00%3A00%3A00Z")
        expect(names(earlier, "user")).toEqual(["alice"])
        // models/user_item.py reads lastLogin through parse_datetime.
        expect(attr(find(earlier, "user"), "lastLogin")).toBe("2024-05-01T12:00:00Z")
        expect(names(yield* users("sort=lastLogin%3Adesc"), "user").slice(0, 2)).toEqual(["admin", "alice"])
      }))

    it.scopedLive("server.users.get_by_id(user_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py Users.get_by_id: UserItem.from_response(...).pop()
        const session = yield* tsc()
        const user = single(yield* session.get(`${session.site}/users/${ids.users.bob}`), 200, "user")
        expect({ id: attr(user, "id"), name: attr(user, "name"), siteRole: attr(user, "siteRole") }).toEqual({
          id: ids.users.bob,
          name: "bob",
          siteRole: "Explorer"
        })
      }))

    it.scopedLive("server.users.add(TSC.UserItem(name, site_role))", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py Users.add; request_factory.py UserRequest.add_req.
        const session = yield* tsc()
        const body = `<tsRequest><user name="carol" siteRole="Viewer" /></tsRequest>`
        const user = single(yield* session.post(`${session.site}/users`, body), 201, "user")
        expect(attr(user, "id")).toMatch(/^[0-9a-f-]{36}$/)
        expect({ name: attr(user, "name"), siteRole: attr(user, "siteRole") }).toEqual({
          name: "carol",
          siteRole: "Viewer"
        })
      }))

    it.scopedLive("server.users.update(user, password)", () =>
      Effect.gen(function*() {
        // request_factory.py UserRequest.update_req: fullName, email, siteRole (never
        // ServerAdministrator), authSetting (read back as ServerDefault), password.
        const session = yield* tsc()
        const body =
          `<tsRequest><user fullName="Bob B" email="bob@example.com" siteRole="Creator" authSetting="ServerDefault" password="pw-123" /></tsRequest>`
        const user = single(yield* session.put(`${session.site}/users/${ids.users.bob}`, body), 200, "user")
        // models/user_item.py UserItem._parse_common_tags
        expect({
          fullName: attr(user, "fullName"),
          email: attr(user, "email"),
          siteRole: attr(user, "siteRole"),
          authSetting: attr(user, "authSetting")
        }).toEqual({ fullName: "Bob B", email: "bob@example.com", siteRole: "Creator", authSetting: "ServerDefault" })
      }))

    it.scopedLive("server.users.remove(user_id, map_assets_to)", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py Users.remove: ?mapAssetsTo= when given; bob owns
        // workbooks, which go to admin.
        const session = yield* tsc()
        const path = `${session.site}/users/${ids.users.bob}?mapAssetsTo=${ids.users.admin}`
        expectSuccess(yield* session.delete(path), 204)
        const left = yield* page(session, `${session.site}/users`, "fields=_all_&pageNumber=1&pageSize=100")
        expect(names(left, "user")).toEqual(["admin", "alice"])
      }))

    it.scopedLive("server.users.populate_groups(user)", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py _get_groups_for_user through a Pager;
        // models/group_item.py GroupItem.from_response.
        const session = yield* tsc()
        const root = yield* page(session, `${session.site}/users/${ids.users.alice}/groups`)
        expect(paginationOf(root).totalAvailable).toBe(2)
        expect(names(root, "group")).toEqual(["All Users", "Analysts"])
      }))
    it.scopedLive("server.users.populate_workbooks(user) and populate_workbooks(user, owned_only=True)", () =>
      Effect.gen(function*() {
        // server/endpoint/users_endpoint.py _get_wbs_for_user through a Pager: `?ownedBy=true`
        // in the URL when owned_only, then requests adds the Pager's pageNumber and pageSize;
        // WorkbookItem.from_response and PaginationItem.from_response read the answer.
        const session = yield* tsc()
        const base = `${session.site}/users/${ids.users.bob}/workbooks`
        const owned = yield* page(session, base, "ownedBy=true&pageNumber=1&pageSize=100")
        const ownedNames = names(owned, "workbook")
        // bob owns every third default workbook (admin, alice, bob in turn): 8 of 25.
        expect(paginationOf(owned)).toEqual({ pageNumber: 1, pageSize: 100, totalAvailable: 8 })
        expect(ownedNames).toContain("Executive Overview")
        for (const workbook of findAll(owned, "workbook")) {
          expect(attr(find(workbook, "owner"), "id")).toBe(ids.users.bob)
          expect(attr(find(workbook, "project"), "id")).toMatch(/^[0-9a-f-]{36}$/)
        }
        // Without owned_only: the workbooks bob can read, the site's (the emulator keeps no
        // permissions), here through a Pager of 10.
        const readable = yield* page(session, base, "pageNumber=1&pageSize=10")
        expect(paginationOf(readable)).toEqual({ pageNumber: 1, pageSize: 10, totalAvailable: 25 })
        expect(findAll(readable, "workbook")).toHaveLength(10)
        // A workbook in alice's personal space is hers to read, not bob's.
        yield* session.server.emulator.addWorkbooks([Fixtures.personalSpaceWorkbook])
        expect(paginationOf(yield* page(session, base, "pageNumber=1&pageSize=10")).totalAvailable).toBe(25)
        const alices = yield* page(session, `${session.site}/users/${ids.users.alice}/workbooks`, "ownedBy=true")
        expect(names(alices, "workbook")).toContain("Scratchpad")
        // An unknown user is Tableau's 404002.
        const unknown = yield* session.get(`${session.site}/users/00000000-0000-4000-8000-000000000001/workbooks`)
        expect({ status: unknown.status, code: attr(children(rootOf(unknown.text), "error")[0], "code") }).toEqual({
          status: 404,
          code: "404002"
        })
      }))
  })

  describe("groups", () => {
    it.scopedLive("server.groups.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/groups_endpoint.py Groups.get; models/group_item.py reads name, id,
        // userCount and `.//t:domain` name ("local": no <import> in a later update_req).
        const session = yield* tsc()
        const root = yield* page(session, `${session.site}/groups`)
        const groups = findAll(root, "group").map((group) => ({
          name: attr(group, "name"),
          userCount: attr(group, "userCount"),
          domain: attr(find(group, "domain"), "name")
        }))
        expect(groups).toEqual([
          { name: "All Users", userCount: "3", domain: "local" },
          { name: "Analysts", userCount: "2", domain: "local" }
        ])
      }))

    it.scopedLive("server.groups.create(TSC.GroupItem(name))", () =>
      Effect.gen(function*() {
        // request_factory.py GroupRequest.create_local_req: name, minimumSiteRole when set.
        const session = yield* tsc()
        const body = `<tsRequest><group name="Engineers" minimumSiteRole="Viewer" /></tsRequest>`
        const group = single(yield* session.post(`${session.site}/groups`, body), 201, "group")
        expect(attr(group, "id")).toMatch(/^[0-9a-f-]{36}$/)
        expect(attr(group, "name")).toBe("Engineers")
      }))

    it.scopedLive("server.groups.update(group)", () =>
      Effect.gen(function*() {
        // request_factory.py GroupRequest.update_req of a local group: name (minimumSiteRole only
        // when the item has one; GroupItem.from_response never reads it back).
        const session = yield* tsc()
        const body = `<tsRequest><group name="Data Analysts" /></tsRequest>`
        const group = single(yield* session.put(`${session.site}/groups/${ids.groups.analysts}`, body), 200, "group")
        expect({ id: attr(group, "id"), name: attr(group, "name") }).toEqual({
          id: ids.groups.analysts,
          name: "Data Analysts"
        })
      }))

    it.scopedLive("server.groups.delete(group_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/groups_endpoint.py Groups.delete
        const session = yield* tsc()
        expectSuccess(yield* session.delete(`${session.site}/groups/${ids.groups.analysts}`), 204)
        expect(names(yield* page(session, `${session.site}/groups`), "group")).toEqual(["All Users"])
      }))

    it.scopedLive("server.groups.populate_users(group)", () =>
      Effect.gen(function*() {
        // server/endpoint/groups_endpoint.py _get_users_for_group through a Pager.
        const session = yield* tsc()
        const root = yield* page(session, `${session.site}/groups/${ids.groups.analysts}/users`)
        expect(paginationOf(root).totalAvailable).toBe(2)
        expect(names(root, "user")).toEqual(["alice", "bob"])
      }))

    it.scopedLive("server.groups.add_user(group, user_id)", () =>
      Effect.gen(function*() {
        // request_factory.py GroupRequest.add_user_req; UserItem.from_response(...).pop()
        const session = yield* tsc()
        const body = `<tsRequest><user id="${ids.users.admin}" /></tsRequest>`
        const reply = yield* session.post(`${session.site}/groups/${ids.groups.analysts}/users`, body)
        expect(attr(single(reply, 200, "user"), "id")).toBe(ids.users.admin)
      }))

    it.scopedLive("server.groups.add_users(group, users)", () =>
      Effect.gen(function*() {
        // request_factory.py GroupRequest.add_users_req (3.21): a <users> list; every
        // `.//t:user` of the answer.
        const session = yield* tsc()
        const group = yield* session.post(
          `${session.site}/groups`,
          `<tsRequest><group name="Engineers" /></tsRequest>`
        )
        const id = attr(single(group, 201, "group"), "id") ?? ""
        const body =
          `<tsRequest><users><user id="${ids.users.alice}" /><user id="${ids.users.bob}" /></users></tsRequest>`
        const reply = yield* session.post(`${session.site}/groups/${id}/users`, body)
        const root = expectTableauDocument(expectSuccess(reply, 200).text)
        expect(findAll(root, "user").map((user) => attr(user, "id"))).toEqual([ids.users.alice, ids.users.bob])
      }))

    it.scopedLive("server.groups.remove_user(group, user_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/groups_endpoint.py Groups.remove_user
        const session = yield* tsc()
        const path = `${session.site}/groups/${ids.groups.analysts}/users/${ids.users.bob}`
        expectSuccess(yield* session.delete(path), 204)
        expect(names(yield* page(session, `${session.site}/groups/${ids.groups.analysts}/users`), "user"))
          .toEqual(["alice"])
      }))

    it.scopedLive("server.groups.remove_users(group, users)", () =>
      Effect.gen(function*() {
        // request_factory.py GroupRequest.remove_users_req (3.21): PUT .../users/remove.
        const session = yield* tsc()
        const body =
          `<tsRequest><users><user id="${ids.users.alice}" /><user id="${ids.users.bob}" /></users></tsRequest>`
        const reply = yield* session.put(`${session.site}/groups/${ids.groups.analysts}/users/remove`, body)
        expect(SUCCESS).toContain(reply.status)
        expect(names(yield* page(session, `${session.site}/groups/${ids.groups.analysts}/users`), "user")).toEqual([])
      }))
  })

  describe("projects", () => {
    it.scopedLive("server.projects.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/projects_endpoint.py Projects.get; models/project_item.py _parse_element.
        const session = yield* tsc()
        const root = yield* page(session, `${session.site}/projects`)
        expect(names(root, "project")).toEqual(["default", "Finance", "Sales"])
        const finance = findAll(root, "project")[1]
        expect({ id: attr(finance, "id"), owner: attr(find(must(finance, "Finance"), "owner"), "id") }).toEqual({
          id: ids.projects.finance,
          owner: ids.users.alice
        })
      }))

    it.scopedLive("server.projects.get_by_id(project_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/projects_endpoint.py Projects.get_by_id is update(ProjectItem(id=...)):
        // every field None, so ElementTree writes `<project />`; ?publishSamples=False.
        const session = yield* tsc()
        const path = `${session.site}/projects/${ids.projects.finance}?publishSamples=False`
        const project = single(yield* session.put(path, `<tsRequest><project /></tsRequest>`), 200, "project")
        expect({ id: attr(project, "id"), name: attr(project, "name"), description: attr(project, "description") })
          .toEqual({ id: ids.projects.finance, name: "Finance", description: "Finance dashboards" })
      }))

    it.scopedLive("server.projects.create(TSC.ProjectItem(name, description, parent_id=...))", () =>
      Effect.gen(function*() {
        // request_factory.py ProjectRequest.create_req; ?publishSamples=False from the params.
        const session = yield* tsc()
        const body =
          `<tsRequest><project name="Ops" description="Operations" parentProjectId="${ids.projects.finance}" /></tsRequest>`
        const project = single(
          yield* session.post(`${session.site}/projects?publishSamples=False`, body),
          201,
          "project"
        )
        expect(attr(project, "id")).toMatch(/^[0-9a-f-]{36}$/)
        expect({ name: attr(project, "name"), parent: attr(project, "parentProjectId") }).toEqual({
          name: "Ops",
          parent: ids.projects.finance
        })
      }))

    it.scopedLive("server.projects.update(project)", () =>
      Effect.gen(function*() {
        // request_factory.py ProjectRequest.update_req writes back what the item read:
        // contentPermissions, parentProjectId (when set) and <owner id>.
        const session = yield* tsc()
        const body =
          `<tsRequest><project name="Finance and Risk" description="Ledgers" contentPermissions="ManagedByOwner"><owner id="${ids.users.alice}" /></project></tsRequest>`
        const path = `${session.site}/projects/${ids.projects.finance}?publishSamples=False`
        const project = single(yield* session.put(path, body), 200, "project")
        expect({ name: attr(project, "name"), description: attr(project, "description") }).toEqual({
          name: "Finance and Risk",
          description: "Ledgers"
        })
      }))

    it.scopedLive("server.projects.update(project) with a new owner and contentPermissions", () =>
      Effect.gen(function*() {
        // ProjectItem.owner_id and content_permissions are settable; update_req writes
        // contentPermissions and <owner id>; _parse_element reads them back, in the answer and in
        // the next server.projects.get().
        const session = yield* tsc()
        const path = `${session.site}/projects/${ids.projects.sales}?publishSamples=False`
        const body =
          `<tsRequest><project name="Sales" description="Sales dashboards" contentPermissions="LockedToProject"><owner id="${ids.users.bob}" /></project></tsRequest>`
        const read = (project: Node) => ({
          contentPermissions: attr(project, "contentPermissions"),
          owner: attr(find(project, "owner"), "id")
        })
        const expected = { contentPermissions: "LockedToProject", owner: ids.users.bob }
        expect(read(single(yield* session.put(path, body), 200, "project"))).toEqual(expected)
        const listed = findAll(yield* page(session, `${session.site}/projects`), "project")
        expect(read(must(listed.find((project) => attr(project, "id") === ids.projects.sales), "Sales"))).toEqual(
          expected
        )
        // The others keep Tableau's default.
        expect(attr(listed.find((project) => attr(project, "id") === ids.projects.finance), "contentPermissions"))
          .toBe("ManagedByOwner")
        // Now bob owns Sales: his update writes back the owner he read (no change of owner), and
        // giving it away is for an administrator (403004, as for content).
        const bob = withSession(
          session.url,
          session.server,
          session.version,
          yield* signIn(session.url, session.version, signInBody(patOf(defaults.bob)))
        )
        const bobPath = `${bob.site}/projects/${ids.projects.sales}?publishSamples=False`
        const own =
          `<tsRequest><project name="Sales (bob)" contentPermissions="LockedToProject"><owner id="${ids.users.bob}" /></project></tsRequest>`
        expect(attr(single(yield* bob.put(bobPath, own), 200, "project"), "name")).toBe("Sales (bob)")
        // What the project holds shows its new name (DatasourceItem reads `.//t:project` name).
        expect(attr(find(yield* datasourceNamed(bob, "Survey Results"), "project"), "name")).toBe("Sales (bob)")
        const away =
          `<tsRequest><project name="Sales (bob)" contentPermissions="LockedToProject"><owner id="${ids.users.alice}" /></project></tsRequest>`
        const refused = yield* bob.put(bobPath, away)
        expect({ status: refused.status, code: attr(children(rootOf(refused.text), "error")[0], "code") }).toEqual({
          status: 403,
          code: "403004"
        })
        // An owner the site does not have is Tableau's 404002, as for content.
        const stranger = `<tsRequest><project><owner id="00000000-0000-4000-8000-000000000001" /></project></tsRequest>`
        const unknown = yield* session.put(path, stranger)
        expect({ status: unknown.status, code: attr(children(rootOf(unknown.text), "error")[0], "code") }).toEqual({
          status: 404,
          code: "404002"
        })
      }))

    it.scopedLive("server.projects.create(TSC.ProjectItem(name, content_permissions='LockedToProjectWithoutNested'))", () =>
      Effect.gen(function*() {
        // ProjectRequest.create_req writes contentPermissions when the item has it (no owner).
        const session = yield* tsc()
        const body = `<tsRequest><project name="Vault" contentPermissions="LockedToProjectWithoutNested" /></tsRequest>`
        const project = single(
          yield* session.post(`${session.site}/projects?publishSamples=False`, body),
          201,
          "project"
        )
        expect({
          contentPermissions: attr(project, "contentPermissions"),
          owner: attr(find(project, "owner"), "id")
        }).toEqual({ contentPermissions: "LockedToProjectWithoutNested", owner: ids.users.admin })
        const path = `${session.site}/projects/${attr(project, "id")}?publishSamples=False`
        expect(
          attr(
            single(yield* session.put(path, "<tsRequest><project /></tsRequest>"), 200, "project"),
            "contentPermissions"
          )
        )
          .toBe("LockedToProjectWithoutNested")
      }))

    it.scopedLive("server.projects.filter(top_level_project=True) and filter(top_level_project=False)", () =>
      Effect.gen(function*() {
        // RequestOptions.Field.TopLevelProject (CHANGELOG: "filter projects by topLevelProject").
        const session = yield* tsc()
        const body = `<tsRequest><project name="Ops" parentProjectId="${ids.projects.finance}" /></tsRequest>`
        expectSuccess(yield* session.post(`${session.site}/projects?publishSamples=False`, body), 201)
        const projects = (value: string) =>
          Effect.map(
            page(
              session,
              `${session.site}/projects`,
              `filter=topLevelProject%3Aeq%3A${value}&pageNumber=1&pageSize=100`
            ),
            (root) => names(root, "project")
          )
        expect(yield* projects("True")).toEqual(["default", "Finance", "Sales"])
        expect(yield* projects("False")).toEqual(["Ops"])
        const sorted = yield* page(
          session,
          `${session.site}/projects`,
          "sort=topLevelProject%3Aasc&pageNumber=1&pageSize=100"
        )
        expect(names(sorted, "project")[0]).toBe("Ops")
      }))

    it.scopedLive("server.projects.delete(project_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/projects_endpoint.py Projects.delete
        const session = yield* tsc()
        expectSuccess(yield* session.delete(`${session.site}/projects/${ids.projects.sales}`), 204)
        expect(names(yield* page(session, `${session.site}/projects`), "project")).toEqual(["default", "Finance"])
      }))
  })

  describe("workbooks", () => {
    it.scopedLive("server.workbooks.get() through TSC.Pager(server.workbooks, RequestOptions(pagesize=10))", () =>
      Effect.gen(function*() {
        // server/pager.py Pager: the next page until page_size * page_number >= total_available.
        const session = yield* tsc()
        const all: Array<string | undefined> = []
        for (let number = 1;; number++) {
          const root = yield* page(session, `${session.site}/workbooks`, `pageNumber=${number}&pageSize=10`)
          all.push(...names(root, "workbook"))
          const pagination = paginationOf(root)
          if (pagination.pageSize * pagination.pageNumber >= pagination.totalAvailable) break
        }
        expect(new Set(all).size).toBe(25)
      }))

    it.scopedLive("server.workbooks.get_by_id(workbook_id)", () =>
      Effect.gen(function*() {
        // models/workbook_item.py WorkbookItem._parse_element
        const session = yield* tsc()
        const id = yield* workbookId(session, "Superstore")
        const workbook = single(yield* session.get(`${session.site}/workbooks/${id}`), 200, "workbook")
        expect(attr(workbook, "createdAt")).toMatch(TSC_DATE)
        expect(attr(workbook, "updatedAt")).toMatch(TSC_DATE)
        expect(Number.isInteger(Number(attr(workbook, "size")))).toBe(true)
        expect(["true", "false"]).toContain(attr(workbook, "showTabs"))
        expect({ id: attr(find(workbook, "project"), "id"), name: attr(find(workbook, "project"), "name") }).toEqual({
          id: ids.projects.default,
          name: "default"
        })
        expect(attr(find(workbook, "owner"), "id")).toBe(ids.users.admin)
        expect(tagsOf(must(find(workbook, "tags"), ".//t:tags"))).toEqual(["sales"])
      }))

    it.scopedLive("server.workbooks.filter(tags__in=['sales', 'finance'], name__gte='S').order_by('-name')", () =>
      Effect.gen(function*() {
        // request_options.py get_query_params: sort, filter (sorted), pageNumber, pageSize.
        const session = yield* tsc()
        const query =
          "sort=name%3Adesc&filter=name%3Agte%3AS%2Ctags%3Ain%3A%5Bsales%2Cfinance%5D&pageNumber=1&pageSize=100"
        const found = names(yield* page(session, `${session.site}/workbooks`, query), "workbook").map(String)
        expect(found.length).toBeGreaterThan(0)
        expect(found).toEqual([...found].sort().reverse())
        expect(found.every((name) => name >= "S")).toBe(true)
      }))

    it.scopedLive("server.workbooks.filter(size__gte=5).order_by('-size'), filter(has_extracts=True), filter(sheet_count__gt=0)", () =>
      Effect.gen(function*() {
        // RequestOptions.Field.Size, HasExtracts, SheetCount: fields Tableau documents for Query
        // Workbooks for Site. Sizes and counts compare as numbers (12 > 7, where text has "12" < "7").
        const session = yield* tsc()
        const big = { ...Fixtures.defaultWorkbook(25), size: 12 }
        yield* session.server.emulator.addWorkbooks([big])
        const workbooks = (query: string) =>
          Effect.map(
            page(session, `${session.site}/workbooks`, `${query}&pageNumber=1&pageSize=100`),
            (root) => findAll(root, "workbook")
          )
        const large = yield* workbooks("sort=size%3Adesc&filter=size%3Agte%3A5")
        const sizes = large.map((workbook) => Number(attr(workbook, "size")))
        expect(sizes[0]).toBe(12)
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
        expect(sizes.every((size) => size >= 5)).toBe(true)
        expect((yield* workbooks("filter=size%3Agt%3A7")).map((workbook) => attr(workbook, "name"))).toEqual([
          big.name
        ])
        // The first 20 workbooks of a site start with two views each, every other one with an extract.
        expect(yield* workbooks("filter=sheetCount%3Agt%3A0")).toHaveLength(20)
        const extracts = yield* workbooks("filter=hasExtracts%3Aeq%3ATrue")
        expect(extracts).toHaveLength(10)
        const refresh = yield* session.post(
          `${session.site}/workbooks/${attr(extracts[0], "id")}/refresh`,
          "<tsRequest />"
        )
        expect(refresh.status).toBe(202)
      }))

    it.scopedLive("server.workbooks.populate_views(workbook)", () =>
      Effect.gen(function*() {
        // server/endpoint/workbooks_endpoint.py _get_views_for_workbook: no query;
        // models/view_item.py ViewItem.from_response.
        const session = yield* tsc()
        const id = yield* workbookId(session, "Superstore")
        const root = expectTableauDocument(
          expectSuccess(yield* session.get(`${session.site}/workbooks/${id}/views`), 200).text
        )
        expect(names(root, "view")).toEqual(["Overview", "Details"])
      }))

    it.scopedLive("server.workbooks.populate_connections(workbook)", () =>
      Effect.gen(function*() {
        // models/connection_item.py ConnectionItem.from_response: id, type, serverAddress,
        // userName, embedPassword and `.//t:datasource` id and name.
        const session = yield* tsc()
        const id = yield* workbookId(session, "Superstore")
        const reply = yield* session.get(`${session.site}/workbooks/${id}/connections`)
        const connection = single(reply, 200, "connection")
        expect(attr(connection, "id")).toMatch(/^[0-9a-f-]{36}$/)
        expect(attr(connection, "type")).toBe("hyper")
        expect(attr(find(connection, "datasource"), "name")).toBe("Superstore data")
      }))

    it.scopedLive("server.workbooks.update_connection(workbook, connection)", () =>
      Effect.gen(function*() {
        // request_factory.py Connection.update_req: serverAddress lower-cased, serverPort,
        // userName, password, embedPassword (always: ConnectionItem reads it as a bool).
        const session = yield* tsc()
        const id = yield* workbookId(session, "Regional Sales")
        const connectionId = attr(
          single(yield* session.get(`${session.site}/workbooks/${id}/connections`), 200, "connection"),
          "id"
        )
        const body =
          `<tsRequest><connection serverAddress="db.example.com" serverPort="5433" userName="x" password="y" embedPassword="true" /></tsRequest>`
        const connection = single(
          yield* session.put(`${session.site}/workbooks/${id}/connections/${connectionId}`, body),
          200,
          "connection"
        )
        expect(connection.attributes).toMatchObject({
          id: connectionId,
          serverAddress: "db.example.com",
          serverPort: "5433",
          userName: "x",
          embedPassword: "true"
        })
        expect(attr(connection, "password")).toBeUndefined()
      }))

    it.scopedLive("server.workbooks.update(workbook)", () =>
      Effect.gen(function*() {
        // server/endpoint/workbooks_endpoint.py Workbooks.update: update_tags first
        // (resource_tagger.py: each removed tag by name, urllib.parse.quote'd, then the added
        // ones in one PUT), then request_factory.py WorkbookRequest.update_req.
        const session = yield* tsc()
        const id = yield* workbookId(session, "Superstore")
        const base = `${session.site}/workbooks/${id}`
        const listed = single(yield* session.get(base), 200, "workbook")
        expectSuccess(yield* session.delete(`${base}/tags/sales`), 204)
        const tags = `<tsRequest><tags><tag label="new tag" /><tag label="q3" /></tags></tsRequest>`
        expect(tagsOf(expectTableauDocument(expectSuccess(yield* session.put(`${base}/tags`, tags), 200).text)).sort())
          .toEqual(["new tag", "q3"])
        // The views populate_views read go back in the update.
        const views = findAll(
          expectTableauDocument(expectSuccess(yield* session.get(`${base}/views`), 200).text),
          "view"
        )
          .map((view) => `<view id="${attr(view, "id")}" />`).join("")
        // name, showTabs (always), description (3.21+), project, owner, views, and an empty
        // <dataAccelerationConfig /> (the item holds its dict of Nones, which is truthy).
        const description = et(attr(listed, "description") ?? "")
        const body =
          `<tsRequest><workbook name="Superstore v2" showTabs="true" description="${description}"><project id="${ids.projects.default}" /><owner id="${ids.users.admin}" /><views>${views}</views><dataAccelerationConfig /></workbook></tsRequest>`
        // models/workbook_item.py WorkbookItem._parse_common_tags
        const workbook = single(yield* session.put(base, body), 200, "workbook")
        expect({ name: attr(workbook, "name"), showTabs: attr(workbook, "showTabs") }).toEqual({
          name: "Superstore v2",
          showTabs: "true"
        })
        expect(attr(workbook, "updatedAt")).toMatch(TSC_DATE)
        expect(tagsOf(workbook).sort()).toEqual(["new tag", "q3"])
      }))

    it.scopedLive("server.workbooks.update(workbook) by its owner, an Explorer", () =>
      Effect.gen(function*() {
        // The same update_req from bob, who owns Executive Overview in alice's Sales project.
        const session = yield* tsc({ credentials: patOf(defaults.bob) })
        const id = yield* workbookId(session, "Executive Overview")
        const body =
          `<tsRequest><workbook name="Executive Overview (bob)" showTabs="false"><project id="${ids.projects.sales}" /><owner id="${ids.users.bob}" /><dataAccelerationConfig /></workbook></tsRequest>`
        const workbook = single(yield* session.put(`${session.site}/workbooks/${id}`, body), 200, "workbook")
        expect(attr(workbook, "name")).toBe("Executive Overview (bob)")
      }))

    it.scopedLive("server.workbooks.update(workbook) with a new description (API 3.21+)", () =>
      Effect.gen(function*() {
        // WorkbookRequest.update_req writes description from 3.21 (parent_srv.check_at_least_version).
        const session = yield* tsc()
        const id = yield* workbookId(session, "Regional Sales")
        const base = `${session.site}/workbooks/${id}`
        const body =
          `<tsRequest><workbook name="Regional Sales" showTabs="false" description="Sales by region &amp; quarter"><project id="${ids.projects.finance}" /><owner id="${ids.users.alice}" /><dataAccelerationConfig /></workbook></tsRequest>`
        // models/workbook_item.py _parse_element reads description.
        const workbook = single(yield* session.put(base, body), 200, "workbook")
        expect(attr(workbook, "description")).toBe("Sales by region & quarter")
        expect(attr(single(yield* session.get(base), 200, "workbook"), "description")).toBe("Sales by region & quarter")
        // Below 3.21 TSC leaves it out: the description stays.
        const older =
          `<tsRequest><workbook name="Regional Sales" showTabs="false"><project id="${ids.projects.finance}" /><owner id="${ids.users.alice}" /></workbook></tsRequest>`
        expect(attr(single(yield* session.put(base, older), 200, "workbook"), "description")).toBe(
          "Sales by region & quarter"
        )
      }))

    it.scopedLive("server.workbooks.add_tags(workbook, tags) and server.workbooks.delete_tags(workbook, tags)", () =>
      Effect.gen(function*() {
        // server/endpoint/resource_tagger.py TaggingMixin: add_tags reads every `.//t:tag`
        // (all the item's tags); delete_tags quotes each name into the path.
        const session = yield* tsc()
        const base = `${session.site}/workbooks/${yield* workbookId(session, "Superstore")}`
        const added = yield* session.put(`${base}/tags`, `<tsRequest><tags><tag label="a b" /></tags></tsRequest>`)
        expect(tagsOf(expectTableauDocument(expectSuccess(added, 200).text)).sort()).toEqual(["a b", "sales"])
        expectSuccess(yield* session.delete(`${base}/tags/a%20b`), 204)
        expect(tagsOf(single(yield* session.get(base), 200, "workbook"))).toEqual(["sales"])
      }))

    it.scopedLive("server.workbooks.refresh(workbook)", () =>
      Effect.gen(function*() {
        // request_factory.py TaskRequest.refresh_req: `<tsRequest />` below 3.25,
        // `<tsRequest><extractRefresh /></tsRequest>` from 3.25; JobItem.from_response(...)[0].
        for (
          const [apiVersion, body] of [["3.24", "<tsRequest />"], ["3.27", "<tsRequest><extractRefresh /></tsRequest>"]]
        ) {
          const session = yield* tsc({ apiVersion: apiVersion! })
          const id = yield* workbookId(session, "Superstore")
          const job = single(yield* session.post(`${session.site}/workbooks/${id}/refresh`, body), 202, "job")
          expect({ type: attr(job, "type"), mode: attr(job, "mode") }).toEqual({
            type: "RefreshExtract",
            mode: "Asynchronous"
          })
          expect(attr(job, "createdAt")).toMatch(TSC_DATE)
          // `.//t:workbook[@id]`
          expect(attr(findAll(job, "workbook").find((one) => attr(one, "id") !== undefined), "id")).toBe(id)
        }
      }))

    it.scopedLive("server.workbooks.delete(workbook_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/workbooks_endpoint.py Workbooks.delete
        const session = yield* tsc()
        const id = yield* workbookId(session, "Superstore")
        expectSuccess(yield* session.delete(`${session.site}/workbooks/${id}`), 204)
        expect((yield* session.get(`${session.site}/workbooks/${id}`)).status).toBe(404)
      }))
  })

  describe("data sources", () => {
    it.scopedLive("server.datasources.get() and server.datasources.get_by_id(datasource_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/datasources_endpoint.py; models/datasource_item.py _parse_element.
        const session = yield* tsc()
        const listed = yield* datasourceNamed(session, "Superstore Orders")
        const datasource = single(
          yield* session.get(`${session.site}/datasources/${attr(listed, "id")}`),
          200,
          "datasource"
        )
        expect({
          type: attr(datasource, "type"),
          isCertified: attr(datasource, "isCertified"),
          hasExtracts: attr(datasource, "hasExtracts"),
          encryptExtracts: attr(datasource, "encryptExtracts"),
          project: attr(find(datasource, "project"), "id"),
          owner: attr(find(datasource, "owner"), "id")
        }).toEqual({
          type: "postgres",
          isCertified: "true",
          hasExtracts: "true",
          encryptExtracts: "false",
          project: ids.projects.default,
          owner: ids.users.admin
        })
        expect(attr(datasource, "updatedAt")).toMatch(TSC_DATE)
        expect(tagsOf(datasource).sort()).toEqual(["certified", "sales"])
      }))

    it.scopedLive("server.datasources.filter(is_certified=True)", () =>
      Effect.gen(function*() {
        // server/filter.py Filter.__str__ writes the value with str(): Python's "True".
        const session = yield* tsc()
        const query = "filter=isCertified%3Aeq%3ATrue&pageNumber=1&pageSize=100"
        expect(names(yield* page(session, `${session.site}/datasources`, query), "datasource"))
          .toEqual(["Superstore Orders"])
      }))

    it.scopedLive("server.datasources.filter(owner_email='alice@example.com').order_by('-size')", () =>
      Effect.gen(function*() {
        // RequestOptions.Field.OwnerEmail and Size, on Query Data Sources.
        const session = yield* tsc()
        const query = "sort=size%3Adesc&filter=ownerEmail%3Aeq%3Aalice%40example.com&pageNumber=1&pageSize=100"
        expect(names(yield* page(session, `${session.site}/datasources`, query), "datasource")).toEqual([
          "Finance Ledger"
        ])
        // A new email (users.update) is what the owner's content filters on next.
        const email = `<tsRequest><user email="alice@new.example.com" /></tsRequest>`
        expectSuccess(yield* session.put(`${session.site}/users/${ids.users.alice}`, email), 200)
        const moved = "filter=ownerEmail%3Aeq%3Aalice%40new.example.com&pageNumber=1&pageSize=100"
        expect(names(yield* page(session, `${session.site}/datasources`, moved), "datasource")).toEqual([
          "Finance Ledger"
        ])
      }))

    it.scopedLive("server.datasources.populate_connections(datasource)", () =>
      Effect.gen(function*() {
        // server/endpoint/datasources_endpoint.py _get_datasource_connections (no query).
        const session = yield* tsc()
        const id = attr(yield* datasourceNamed(session, "Superstore Orders"), "id")
        const connection = single(
          yield* session.get(`${session.site}/datasources/${id}/connections`),
          200,
          "connection"
        )
        expect({ type: attr(connection, "type"), serverAddress: attr(connection, "serverAddress") }).toEqual({
          type: "postgres",
          serverAddress: "postgres.example.com"
        })
      }))

    it.scopedLive("server.datasources.update_connection(datasource, connection)", () =>
      Effect.gen(function*() {
        // update_connection keeps the `.//t:connection` whose id is the one it sent.
        const session = yield* tsc()
        const id = attr(yield* datasourceNamed(session, "Superstore Orders"), "id")
        const connectionId = attr(
          single(yield* session.get(`${session.site}/datasources/${id}/connections`), 200, "connection"),
          "id"
        )
        const body =
          `<tsRequest><connection serverAddress="pg.example.com" serverPort="5433" userName="tableau" embedPassword="true" /></tsRequest>`
        const reply = yield* session.put(`${session.site}/datasources/${id}/connections/${connectionId}`, body)
        const connections = findAll(expectTableauDocument(expectSuccess(reply, 200).text), "connection")
        const changed = must(connections.find((one) => attr(one, "id") === connectionId), "the changed connection")
        expect({ serverAddress: attr(changed, "serverAddress"), serverPort: attr(changed, "serverPort") }).toEqual({
          serverAddress: "pg.example.com",
          serverPort: "5433"
        })
      }))

    it.scopedLive("server.datasources.update(datasource)", () =>
      Effect.gen(function*() {
        // server/endpoint/datasources_endpoint.py Datasources.update: update_tags, then
        // request_factory.py DatasourceRequest.update_req: name, project, owner, isCertified
        // (always), certificationNote, encryptExtracts (read as "false"), description.
        const session = yield* tsc()
        const listed = yield* datasourceNamed(session, "Superstore Orders")
        const base = `${session.site}/datasources/${attr(listed, "id")}`
        expectSuccess(yield* session.delete(`${base}/tags/sales`), 204)
        const tagged = yield* session.put(`${base}/tags`, `<tsRequest><tags><tag label="gold" /></tags></tsRequest>`)
        expect(tagsOf(expectTableauDocument(expectSuccess(tagged, 200).text)).sort()).toEqual(["certified", "gold"])
        const body =
          `<tsRequest><datasource name="Orders" isCertified="true" certificationNote="ok" encryptExtracts="false" description="${
            et(attr(listed, "description") ?? "")
          }"><project id="${ids.projects.default}" /><owner id="${ids.users.admin}" /></datasource></tsRequest>`
        // models/datasource_item.py _parse_common_elements
        const datasource = single(yield* session.put(base, body), 200, "datasource")
        expect({
          name: attr(datasource, "name"),
          isCertified: attr(datasource, "isCertified"),
          certificationNote: attr(datasource, "certificationNote")
        }).toEqual({ name: "Orders", isCertified: "true", certificationNote: "ok" })
        expect(tagsOf(datasource).sort()).toEqual(["certified", "gold"])
      }))

    it.scopedLive("server.datasources.update(datasource) by its owner, an Explorer, certification unchanged", () =>
      Effect.gen(function*() {
        // update_req always writes isCertified (str(False).lower()), encryptExtracts and
        // description: bob renames the data source he owns in alice's Sales project, the
        // certification as he read it. Only a change of the certification needs the right to certify.
        const session = yield* tsc({ credentials: patOf(defaults.bob) })
        const listed = yield* datasourceNamed(session, "Survey Results")
        expect(attr(listed, "isCertified")).toBe("false")
        const base = `${session.site}/datasources/${attr(listed, "id")}`
        const body =
          `<tsRequest><datasource name="Survey (bob)" isCertified="false" encryptExtracts="false" description="${
            et("Answers & \"notes\", cleaned")
          }"><project id="${ids.projects.sales}" /><owner id="${ids.users.bob}" /></datasource></tsRequest>`
        const datasource = single(yield* session.put(base, body), 200, "datasource")
        // models/datasource_item.py _parse_common_elements: name, description, isCertified.
        const read = (node: Node) => ({
          name: attr(node, "name"),
          description: attr(node, "description"),
          isCertified: attr(node, "isCertified"),
          encryptExtracts: attr(node, "encryptExtracts")
        })
        const expected = {
          name: "Survey (bob)",
          description: "Answers & \"notes\", cleaned",
          isCertified: "false",
          encryptExtracts: "false"
        }
        expect(read(datasource)).toEqual(expected)
        expect(read(single(yield* session.get(base), 200, "datasource"))).toEqual(expected)
        // Certifying it is still for an administrator or the project's owner.
        const certify = yield* session.put(
          base,
          `<tsRequest><datasource name="Survey (bob)" isCertified="true" certificationNote="mine" encryptExtracts="false" description="" /></tsRequest>`
        )
        expect({ status: certify.status, code: attr(children(rootOf(certify.text), "error")[0], "code") }).toEqual({
          status: 403,
          code: "403004"
        })
      }))

    it.scopedLive("server.datasources.update(datasource) with a new description", () =>
      Effect.gen(function*() {
        // DatasourceItem.description is not None once read: update_req writes it back, changed.
        const session = yield* tsc()
        const listed = yield* datasourceNamed(session, "Finance Ledger")
        const base = `${session.site}/datasources/${attr(listed, "id")}`
        const body =
          `<tsRequest><datasource name="Finance Ledger" isCertified="false" encryptExtracts="false" description="The general ledger"><project id="${ids.projects.finance}" /><owner id="${ids.users.alice}" /></datasource></tsRequest>`
        expect(attr(single(yield* session.put(base, body), 200, "datasource"), "description")).toBe(
          "The general ledger"
        )
        const listedAgain = yield* datasourceNamed(session, "Finance Ledger")
        expect(attr(listedAgain, "description")).toBe("The general ledger")
      }))

    it.scopedLive("server.datasources.refresh(datasource)", () =>
      Effect.gen(function*() {
        // TaskRequest.refresh_req as for workbooks; JobItem reads `.//t:datasource[@id]`.
        const session = yield* tsc()
        const id = attr(yield* datasourceNamed(session, "Superstore Orders"), "id")
        const job = single(
          yield* session.post(`${session.site}/datasources/${id}/refresh`, "<tsRequest />"),
          202,
          "job"
        )
        expect(attr(findAll(job, "datasource").find((one) => attr(one, "id") !== undefined), "id")).toBe(id)
      }))

    it.scopedLive("server.datasources.delete(datasource_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/datasources_endpoint.py Datasources.delete
        const session = yield* tsc()
        const id = attr(yield* datasourceNamed(session, "Superstore Orders"), "id")
        expectSuccess(yield* session.delete(`${session.site}/datasources/${id}`), 204)
        expect((yield* session.get(`${session.site}/datasources/${id}`)).status).toBe(404)
      }))
  })

  describe("views", () => {
    it.scopedLive("server.views.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/views_endpoint.py Views.get; models/view_item.py ViewItem.from_xml
        // reads `.//t:workbook` (as a WorkbookItem), `.//t:owner`, `.//t:project`, `./t:tags`.
        const session = yield* tsc()
        const view = must(find(yield* page(session, `${session.site}/views`), "view"), ".//t:view")
        expect(attr(find(view, "workbook"), "id")).toMatch(/^[0-9a-f-]{36}$/)
        expect(attr(find(view, "owner"), "id")).toBe(ids.users.admin)
        expect(attr(find(view, "project"), "id")).toBe(ids.projects.default)
        expect(children(view, "tags")).toHaveLength(1)
        expect(attr(view, "createdAt")).toMatch(TSC_DATE)
      }))

    it.scopedLive("server.views.get_by_id(view_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/views_endpoint.py Views.get_by_id (3.1)
        const session = yield* tsc()
        const listed = must(find(yield* page(session, `${session.site}/views`), "view"), ".//t:view")
        const view = single(yield* session.get(`${session.site}/views/${attr(listed, "id")}`), 200, "view")
        expect({ id: attr(view, "id"), name: attr(view, "name") }).toEqual({
          id: attr(listed, "id"),
          name: attr(listed, "name")
        })
      }))

    it.scopedLive("server.views.get(usage=True), get_by_id(view_id, usage=True) and populate_views(workbook, usage=True)", () =>
      Effect.gen(function*() {
        // views_endpoint.py appends ?includeUsageStatistics=true; models/view_item.py reads
        // `.//t:usage` totalViewCount as int (total_views raises UnpopulatedPropertyError without it).
        const session = yield* tsc()
        const totals = (root: Node) =>
          findAll(root, "view").map((view) => {
            const usage = find(view, "usage")
            return usage === undefined ? undefined : Number(attr(usage, "totalViewCount"))
          })
        const listed = expectTableauDocument(
          expectSuccess(yield* session.get(`${session.site}/views?includeUsageStatistics=true`), 200).text
        )
        const counts = totals(listed)
        expect(counts.length).toBeGreaterThan(0)
        expect(counts.every((count) => count !== undefined && Number.isInteger(count) && count >= 0)).toBe(true)
        // Without the parameter there is no <usage>.
        expect(totals(yield* page(session, `${session.site}/views`)).every((count) => count === undefined)).toBe(true)
        // Superstore (size 1): its overview seen 10 times, its details never.
        const id = yield* workbookId(session, "Superstore")
        const ofWorkbook = expectTableauDocument(
          expectSuccess(yield* session.get(`${session.site}/workbooks/${id}/views?includeUsageStatistics=true`), 200)
            .text
        )
        expect(
          findAll(ofWorkbook, "view").map((
            view
          ) => [attr(view, "name"), Number(attr(find(view, "usage"), "totalViewCount"))])
        )
          .toEqual([["Overview", 10], ["Details", 0]])
        const overview = attr(findAll(ofWorkbook, "view")[0], "id")
        const one = single(
          yield* session.get(`${session.site}/views/${overview}?includeUsageStatistics=true`),
          200,
          "view"
        )
        expect(attr(find(one, "usage"), "totalViewCount")).toBe("10")
        expect(find(single(yield* session.get(`${session.site}/views/${overview}`), 200, "view"), "usage"))
          .toBeUndefined()
      }))

    it.scopedLive("server.views.order_by('-hits_total') and filter(hits_total__gt=0)", () =>
      Effect.gen(function*() {
        // RequestOptions.Field.HitsTotal: the count that <usage totalViewCount> shows.
        const session = yield* tsc()
        const root = yield* page(
          session,
          `${session.site}/views`,
          "includeUsageStatistics=true&sort=hitsTotal%3Adesc&pageNumber=1&pageSize=100"
        )
        const counts = findAll(root, "view").map((view) => Number(attr(find(view, "usage"), "totalViewCount")))
        expect(counts.length).toBe(40)
        expect(counts).toEqual([...counts].sort((a, b) => b - a))
        const seen = yield* page(
          session,
          `${session.site}/views`,
          "filter=hitsTotal%3Agt%3A0&pageNumber=1&pageSize=100"
        )
        expect(paginationOf(seen).totalAvailable).toBe(counts.filter((count) => count > 0).length)
      }))

    it.scopedLive("server.views.filter(workbook_name='Customer Churn')", () =>
      Effect.gen(function*() {
        // requests writes the space as "+".
        const session = yield* tsc()
        const query = "filter=workbookName%3Aeq%3ACustomer+Churn&pageNumber=1&pageSize=100"
        expect(names(yield* page(session, `${session.site}/views`, query), "view")).toEqual(["Overview", "Details"])
      }))

    it.scopedLive("server.views.update(view)", () =>
      Effect.gen(function*() {
        // server/endpoint/views_endpoint.py Views.update: only update_tags (PUT and DELETE of
        // .../views/{id}/tags).
        const session = yield* tsc()
        const id = attr(find(yield* page(session, `${session.site}/views`), "view"), "id")
        const reply = yield* session.put(
          `${session.site}/views/${id}/tags`,
          `<tsRequest><tags><tag label="viewtag" /></tags></tsRequest>`
        )
        expect(tagsOf(expectTableauDocument(expectSuccess(reply, 200).text))).toEqual(["viewtag"])
        expectSuccess(yield* session.delete(`${session.site}/views/${id}/tags/viewtag`), 204)
      }))
  })

  describe("jobs", () => {
    const refresh = (session: Tsc) =>
      Effect.gen(function*() {
        const id = yield* workbookId(session, "Superstore")
        const job = single(yield* session.post(`${session.site}/workbooks/${id}/refresh`, "<tsRequest />"), 202, "job")
        return attr(job, "id") ?? ""
      })

    /** `server.jobs.get_by_id(id)` as models/job_item.py JobItem._parse_element reads it. */
    const getById = (session: Tsc, id: string) =>
      Effect.gen(function*() {
        const job = single(yield* session.get(`${session.site}/jobs/${id}`), 200, "job")
        const completedAt = attr(job, "completedAt")
        return {
          id: attr(job, "id"),
          // parse_datetime: anything but %Y-%m-%dT%H:%M:%SZ is None.
          completedAt: completedAt !== undefined && TSC_DATE.test(completedAt) ? completedAt : undefined,
          finishCode: Number(attr(job, "finishCode") ?? "-1")
        }
      })

    it.scopedLive("server.jobs.get()", () =>
      Effect.gen(function*() {
        // server/endpoint/jobs_endpoint.py Jobs.get; models/job_item.py BackgroundJobItem.
        const session = yield* tsc()
        const id = yield* refresh(session)
        const job = must(find(yield* page(session, `${session.site}/jobs`), "backgroundJob"), ".//t:backgroundJob")
        expect({ id: attr(job, "id"), status: attr(job, "status"), jobType: attr(job, "jobType") }).toEqual({
          id,
          status: "Pending",
          jobType: "refresh_extracts"
        })
        expect(attr(job, "createdAt")).toMatch(TSC_DATE)
      }))

    it.scopedLive("server.jobs.get_by_id(job_id)", () =>
      Effect.gen(function*() {
        const session = yield* tsc()
        const id = yield* refresh(session)
        expect(yield* getById(session, id)).toEqual({ id, completedAt: undefined, finishCode: -1 })
      }))

    it.scopedLive("server.jobs.wait_for_job(job_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/jobs_endpoint.py Jobs.wait_for_job: get_by_id until completed_at is
        // not None, then finishCode 0 returns the job, 1 raises JobFailedException.
        const session = yield* tsc()
        const id = yield* refresh(session)
        yield* session.server.emulator.advanceClock("6 seconds")
        const done = yield* getById(session, id)
        expect({ completed: done.completedAt !== undefined, finishCode: done.finishCode }).toEqual({
          completed: true,
          finishCode: 0
        })
        yield* session.server.emulator.failJobs(1)
        const failing = yield* refresh(session)
        yield* session.server.emulator.advanceClock("6 seconds")
        expect((yield* getById(session, failing)).finishCode).toBe(1)
      }))

    it.scopedLive("server.jobs.cancel(job_id)", () =>
      Effect.gen(function*() {
        // server/endpoint/jobs_endpoint.py Jobs.cancel: put_request(url), no body, as text/xml.
        const session = yield* tsc()
        const id = yield* refresh(session)
        expect(SUCCESS).toContain((yield* session.put(`${session.site}/jobs/${id}`)).status)
        // wait_for_job then ends with JobCancelledException (finishCode 2), not an endless wait.
        const cancelled = yield* getById(session, id)
        expect({ completed: cancelled.completedAt !== undefined, finishCode: cancelled.finishCode }).toEqual({
          completed: true,
          finishCode: 2
        })
      }))
  })
})
