/**
 * REST API versions ("3.24") and the minimum version of each feature the client gates on.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { TableauVersionError } from "./TableauError.js"

/**
 * A REST API version such as `"3.24"`: major and minor, digits only.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { ApiVersion } from "@tableau-effect/client"
 *
 * const v = Schema.decodeUnknownSync(ApiVersion.ApiVersion)("3.24")
 * ```
 *
 * @since 0.1.0
 * @category Models
 */
export const ApiVersion = Schema.String.pipe(
  Schema.pattern(/^\d{1,2}\.\d{1,3}$/, { message: () => "an API version looks like \"3.24\"" }),
  Schema.brand("@tableau-effect/client/ApiVersion")
)

/**
 * @since 0.1.0
 * @category Models
 */
export type ApiVersion = typeof ApiVersion.Type

/**
 * Compares two versions numerically ("3.9" < "3.10"): negative, zero or positive.
 *
 * @example
 * ```ts
 * import { ApiVersion } from "@tableau-effect/client"
 *
 * console.log(ApiVersion.compare("3.9", "3.10") < 0) // true
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const compare = (a: string, b: string): number => {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number)
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number)
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor
}

/**
 * The minimum REST API version of each feature the client checks before sending a request.
 *
 * @since 0.1.0
 * @category Models
 */
export const minimums = {
  serverInfo: "2.4",
  switchSite: "2.6",
  personalAccessToken: "3.6",
  jwtCloud: "3.16",
  jwtServer: "3.17",
  unifiedAccessToken: "3.27"
} as const

/**
 * Succeeds when `actual` is at least `required`, else fails with `TableauVersionError`.
 *
 * @example
 * ```ts
 * import { ApiVersion } from "@tableau-effect/client"
 *
 * const gate = ApiVersion.require("switchSite", "2.6", "3.24")
 * ```
 *
 * @since 0.1.0
 * @category Operations
 */
export const require = (feature: string, required: string, actual: string): Effect.Effect<void, TableauVersionError> =>
  compare(actual, required) >= 0 ? Effect.void : Effect.fail(new TableauVersionError({ feature, required, actual }))
