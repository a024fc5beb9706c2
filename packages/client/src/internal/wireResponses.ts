/**
 * The envelopes the session and server modules decode (serverinfo, sign-in, errors, pagination),
 * derived from the generated wire model, with the leniency recorded servers need, for
 * TableauServer.ts, internal/auth.ts, internal/classify.ts and Pagination.ts.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as ApiVersion from "../ApiVersion.js"
import * as Generated from "../Generated.js"
import * as Xml from "../Xml.js"
import { CollectionElement } from "./element.js"
import { Luid } from "./luid.js"
import * as X from "./xsd.js"

const serverInfo = Generated.ServerInfo.fields

/**
 * `<tsResponse><serverInfo>`: the 3.29 schema requires prepConductorVersion, platform and
 * serverSettings, which servers older than it omit, so they stay optional here; restApiVersion
 * is checked as an API version ("3.24"), not by the XSD's pattern, which is a build number's.
 *
 * @internal
 */
export const ServerInfoResponse = Xml.response({
  serverInfo: X.element(Schema.Struct({
    productVersion: serverInfo.productVersion,
    prepConductorVersion: X.optional(serverInfo.prepConductorVersion),
    restApiVersion: ApiVersion.ApiVersion,
    platform: X.optional(serverInfo.platform)
  }))
})

const credentials = Generated.TableauCredentialsType.fields
const site = Generated.SiteType.fields

// A token goes into a header: printable ASCII, no spaces or control characters, and no "&" (a
// character reference the parser left undecoded is not a token).
const Token = credentials.token.from.pipe(
  Schema.pattern(/^[\x21-\x25\x27-\x7e]{1,4096}$/, { message: () => "must be a non-empty header-safe token" })
)

/**
 * `<tsResponse><credentials token><site id contentUrl/><user id/></credentials>`: what sign-in and
 * switchSite answer. The XSD makes every attribute optional (the type is shared with requests);
 * an answer without a token, a site id or a user id is useless, so those are required here.
 * Both ids go into later paths (`/sites/{siteId}/...`): only a LUID is let through, never
 * `../..`, `?` or `#` from a server.
 *
 * @internal
 */
export const SignInResponse = Xml.response({
  credentials: X.element(Schema.Struct({
    token: Token,
    estimatedTimeToExpiration: credentials.estimatedTimeToExpiration,
    site: X.element(Schema.Struct({
      id: Luid,
      contentUrl: Schema.optionalWith(site.contentUrl.from, { default: () => "" })
    })),
    user: X.element(Schema.Struct({ id: Luid }))
  }))
})

const error = Generated.ErrorType.fields

/**
 * `<tsResponse><error code><summary/><detail/></error>`. The code stays the text Tableau sent
 * ("401002": callers compare codes as text), checked as the XSD's positiveInteger; summary and
 * detail, required by the XSD, default to "" because proxies and old servers leave them out.
 *
 * @internal
 */
export const ErrorResponse = Xml.response({
  error: X.element(Schema.Struct({
    code: Schema.String.pipe(Schema.pattern(/^[1-9]\d*$/, { message: () => "an error code is a positive integer" })),
    summary: Schema.optionalWith(error.summary, { default: () => "" }),
    detail: Schema.optionalWith(error.detail, { default: () => "" })
  }))
})

/**
 * The fields of `<pagination pageNumber pageSize totalAvailable/>`, all required by the XSD, as
 * digits only (for `Pagination.Pagination`).
 *
 * @internal
 */
export const paginationFields = Generated.PaginationType.fields

const idOf = (item: unknown): string | undefined => {
  const id: unknown = typeof item === "object" && item !== null ? (item as { readonly id?: unknown }).id : undefined
  return typeof id === "string" ? id.slice(0, 64) : undefined
}

const DECODE_OPTIONS = { errors: "first", onExcessProperty: "ignore" } as const

/**
 * A collection element whose items are decoded one by one; an item that does not decode fails
 * the page with its index and id (`item 5 (id 9f9e...)`), so the caller knows which item to look
 * at, instead of a path in the tree. The decision for issue 14: a page fails whole, typed; the
 * stream stops there with that error (a page is one answer of the server: half of it is not
 * a page).
 *
 * @internal
 */
export const collection = <A, I>(itemName: string, item: Schema.Schema<A, I>) => {
  const decodeItem = ParseResult.decodeUnknownEither(item, DECODE_OPTIONS)
  return Schema.transformOrFail(CollectionElement, Schema.Array(Schema.typeSchema(item)), {
    strict: true,
    decode: (element, _, ast) => {
      const raw: unknown = element === "" ? [] : element[itemName] ?? []
      const items: ReadonlyArray<unknown> = Array.isArray(raw) ? raw : [raw]
      const decoded: Array<A> = []
      for (let index = 0; index < items.length; index++) {
        const one = decodeItem(items[index])
        if (one._tag === "Left") {
          const [first] = ParseResult.ArrayFormatter.formatIssueSync(one.left)
          const id = idOf(items[index])
          const where = first === undefined || first.path.length === 0 ? "" : `${first.path.join(".")} `
          const what = first === undefined ? "does not decode" : first._tag === "Missing" ? "is missing" : first.message
          return ParseResult.fail(
            new ParseResult.Type(
              ast,
              element,
              `item ${index}${id === undefined ? "" : ` (id ${id})`}: ${where}${
                what.replace(/,?\s*actual[\s\S]*$/, "")
              }`
            )
          )
        }
        decoded.push(one.right)
      }
      return ParseResult.succeed(decoded)
    },
    encode: (items) =>
      ParseResult.fail(new ParseResult.Forbidden(Schema.Array(Schema.typeSchema(item)).ast, items, "decode only"))
  })
}
