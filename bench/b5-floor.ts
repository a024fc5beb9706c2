/**
 * B5's floor, in a process of its own: the same 100,000 workbooks through an undici request loop
 * and fast-xml-parser, for the peak growth of the resident set size that V8 itself adds when a
 * program allocates at this rate. Measured the same way as b5.ts; prints JSON.
 */
import { Agent } from "undici"
import { floorGet, floorSession, floorSignOut } from "./floor.js"
import { watchRss } from "./rss.js"

const url = process.argv[2]!
const rss = watchRss()
const agent = new Agent({ connections: 8 })
const session = await floorSession(url, agent)
let count = 0
for (let page = 1;; page++) {
  const tree = await floorGet(url, agent, session, `/sites/${session.siteId}/workbooks?pageSize=1000&pageNumber=${page}`) as {
    tsResponse: { pagination: { totalAvailable: string }; workbooks: { workbook: ReadonlyArray<unknown> } }
  }
  for (const _ of tree.tsResponse.workbooks.workbook) {
    count++
    rss.sample()
  }
  if (page * 1000 >= Number(tree.tsResponse.pagination.totalAvailable)) break
}
await floorSignOut(url, agent, session)
await agent.close()
console.log(JSON.stringify({ count, growthMb: rss.stop() }))
