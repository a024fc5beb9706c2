import { sdkGets } from "./sdk.js"
const url = process.argv[2]!
await sdkGets(url, 300)
const t0 = performance.now(); const c0 = process.cpuUsage()
await sdkGets(url, 3000)
const c = process.cpuUsage(c0)
console.log("wall per call µs", ((performance.now() - t0) / 3).toFixed(0), "cpu per call µs", ((c.user + c.system) / 3000).toFixed(0))
