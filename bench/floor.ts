/**
 * The hand-written floor: an undici request loop and fast-xml-parser, no Effect, no Schema.
 * What any client must at least do to get the same data.
 */
import { XMLParser } from "fast-xml-parser"
import { Agent, request } from "undici"

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", removeNSPrefix: true })

export const parseOnly = (text: string): unknown => parser.parse(text)

const SIGN_IN =
  `<tsRequest><credentials personalAccessTokenName="admin-pat" personalAccessTokenSecret="admin-pat-secret"><site contentUrl=""/></credentials></tsRequest>`

interface Signed {
  readonly token: string
  readonly siteId: string
}

export const floorSession = async (base: string, agent: Agent): Promise<Signed> => {
  const response = await request(`${base}/api/3.24/auth/signin`, {
    method: "POST",
    body: SIGN_IN,
    headers: { "content-type": "application/xml" },
    dispatcher: agent
  })
  const tree = parser.parse(await response.body.text())
  return { token: tree.tsResponse.credentials.token, siteId: tree.tsResponse.credentials.site.id }
}

export const floorSignOut = async (base: string, agent: Agent, session: Signed): Promise<void> => {
  const response = await request(`${base}/api/3.24/auth/signout`, {
    method: "POST",
    headers: { "x-tableau-auth": session.token },
    dispatcher: agent
  })
  await response.body.dump()
}

export const floorGet = async (base: string, agent: Agent, session: Signed, path: string): Promise<unknown> => {
  const response = await request(`${base}/api/3.24${path}`, {
    headers: { "x-tableau-auth": session.token },
    dispatcher: agent
  })
  return parser.parse(await response.body.text())
}

interface WorkbooksPage {
  readonly tsResponse: {
    readonly pagination: { readonly totalAvailable: string }
    readonly workbooks: { readonly workbook?: Array<unknown> | unknown } | ""
  }
}

/** One page of workbooks, parsed (fast-xml-parser's tree, not typed). */
const floorPage = (base: string, agent: Agent, session: Signed, pageSize: number, page: number) =>
  floorGet(
    base,
    agent,
    session,
    `/sites/${session.siteId}/workbooks?pageSize=${pageSize}&pageNumber=${page}`
  ) as Promise<WorkbooksPage>

/**
 * Sign in, list every workbook page by page, sign out: returns the number of workbooks.
 * `onItem`, when given, is called once per workbook (B5 samples memory there).
 */
export const floorListAll = async (base: string, pageSize: number, onItem?: () => void): Promise<number> => {
  const agent = new Agent({ connections: 8 })
  const session = await floorSession(base, agent)
  let count = 0
  for (let page = 1;; page++) {
    const tree = await floorPage(base, agent, session, pageSize, page)
    const items = tree.tsResponse.workbooks === "" ? [] : tree.tsResponse.workbooks.workbook
    const seen = Array.isArray(items) ? items.length : items === undefined ? 0 : 1
    if (onItem !== undefined) { for (let i = 0; i < seen; i++) onItem() }
    count += seen
    if (page * pageSize >= Number(tree.tsResponse.pagination.totalAvailable)) break
  }
  await floorSignOut(base, agent, session)
  await agent.close()
  return count
}

/**
 * Sign in, then time fetching every workbook page with `concurrency` requests in flight (page 1
 * first, for the count, then a worker per slot taking the next page number), sign out: the
 * floor of B6. Returns the time from the first page's request to the last page parsed.
 */
export const floorTimedConcurrent = async (base: string, pageSize: number, concurrency: number): Promise<number> => {
  const agent = new Agent({ connections: concurrency })
  const session = await floorSession(base, agent)
  const start = performance.now()
  const first = await floorPage(base, agent, session, pageSize, 1)
  const lastPage = Math.ceil(Number(first.tsResponse.pagination.totalAvailable) / pageSize)
  let next = 2
  const worker = async () => {
    while (next <= lastPage) await floorPage(base, agent, session, pageSize, next++)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const took = performance.now() - start
  await floorSignOut(base, agent, session)
  await agent.close()
  return took
}
