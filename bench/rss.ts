/**
 * Peak resident-set growth of this process, for B5: a full GC first (with --expose-gc), then a
 * sample every 5 ms and at every `sample()` call, until `stop()` gives the growth in MB.
 */
export const gc = (globalThis as { gc?: () => void }).gc

export const watchRss = () => {
  gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  const timer = setInterval(sample, 5)
  return {
    sample,
    stop: (): number => {
      clearInterval(timer)
      sample()
      return (peak - baseline) / 2 ** 20
    }
  }
}
