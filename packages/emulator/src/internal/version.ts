/**
 * REST API versions ("3.24") as comparable numbers.
 *
 * @internal
 */

/** Parses "3.24" to [3, 24]; anything else to undefined. @internal */
export const parse = (version: string): readonly [number, number] | undefined => {
  const match = /^(\d{1,3})\.(\d{1,3})$/.exec(version)
  return match === null ? undefined : [Number(match[1]), Number(match[2])]
}

/** Whether `version` is at least `minimum` (both well-formed). @internal */
export const atLeast = (version: string, minimum: string): boolean => {
  const left = parse(version)
  const right = parse(minimum)
  if (left === undefined || right === undefined) return false
  return left[0] !== right[0] ? left[0] > right[0] : left[1] >= right[1]
}

const PRODUCT_VERSIONS: Readonly<Record<string, readonly [string, string]>> = {
  "3.19": ["2023.1.0", "20231.23.0310.1044"],
  "3.20": ["2023.2.0", "20232.23.0611.2007"],
  "3.21": ["2023.3.0", "20233.23.0914.1512"],
  "3.22": ["2024.1.0", "20241.24.0312.0830"],
  "3.23": ["2024.1.0", "20241.24.0312.0830"],
  "3.24": ["2024.2.0", "20242.24.0711.1636"],
  "3.25": ["2025.1.0", "20251.25.0213.0910"],
  "3.26": ["2025.1.0", "20251.25.0213.0910"],
  "3.27": ["2025.3.0", "20253.25.0904.1401"]
}

/** The product version and build a server of this REST API version reports. @internal */
export const product = (apiVersion: string): readonly [string, string] =>
  PRODUCT_VERSIONS[apiVersion] ?? ["2024.2.0", "20242.24.0711.1636"]
