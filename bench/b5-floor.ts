/**
 * B5's floor, in a process of its own: the same 100,000 workbooks through an undici request loop
 * and fast-xml-parser, for the peak growth of the resident set size that V8 itself adds when a
 * program allocates at this rate. Measured the same way as b5.ts; prints JSON.
 */
import { floorListAll } from "./floor.js"
import { watchRss } from "./rss.js"

const rss = watchRss()
const count = await floorListAll(process.argv[2]!, Number(process.argv[3] ?? 1000), rss.sample)
console.log(JSON.stringify({ count, growthMb: rss.stop() }))
