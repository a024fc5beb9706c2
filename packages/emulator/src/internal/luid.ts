/**
 * Deterministic LUIDs (Tableau's UUID-shaped ids): a name-based UUID (version 5 layout, SHA-1)
 * so fixtures get the same ids on every run.
 *
 * @internal
 */
import { createHash } from "node:crypto"

const NAMESPACE = "tableau-effect/emulator"

/** @internal */
export const luid = (name: string): string => {
  const hash = createHash("sha1").update(`${NAMESPACE}/${name}`).digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString("hex")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
