import * as Effect from "effect/Effect"
import { TableauUrlError } from "../TableauError.js"

/** @internal */
export interface ServerUrl {
  /** Origin plus any reverse-proxy prefix, no trailing slash. */
  readonly base: string
  readonly isCloudHost: boolean
  readonly invalid: (reason: string) => TableauUrlError
}

// A URL may carry user:password@: never repeat that part in an error.
const sanitize = (raw: string): string => raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@")

/**
 * Checks a server URL: http(s), no credentials, query or fragment, no `/api/` path; keeps a
 * reverse-proxy path prefix and drops one trailing slash.
 *
 * @internal
 */
export const parseServerUrl = (raw: string): Effect.Effect<ServerUrl, TableauUrlError> => {
  const fail = (reason: string) => Effect.fail(new TableauUrlError({ url: sanitize(raw), reason }))
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return fail("it is not a URL; write it like https://tableau.example.com")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return fail("the URL must start with http:// or https://")
  }
  if (url.username !== "" || url.password !== "") {
    return fail("the URL must not contain a user name or password; pass credentials to TableauSession")
  }
  // A browser address of a site's page: /#/site/NAME/... (Tableau Server) or /site/NAME.
  const site = /^#?\/site\/([^/?#]{1,200})/.exec(url.hash) ?? /(?:^|\/)site\/([^/?#]{1,200})/.exec(url.pathname)
  if (site !== null) {
    return fail(
      `it is the address of a site's page${url.hash !== "" ? " (a browser address with a #fragment)" : ""}; ` +
        `use the server root and the site's contentUrl: ` +
        `TableauServer.layer({ url: "${url.origin}" }) and site: ${
          JSON.stringify(decodeURIComponent(site[1]!))
        } in the credentials`
    )
  }
  if (url.hash !== "" || raw.includes("#")) {
    return fail("the URL has a #fragment (a browser page address?); use the server's root URL, e.g. " + url.origin)
  }
  if (url.search !== "" || raw.includes("?")) return fail("the URL must not have a query string")
  const path = url.pathname.replace(/\/$/, "")
  if (/(^|\/)api(\/|$)/i.test(path)) {
    return fail(`the URL must be the server's root, not a REST path; use ${url.origin}`)
  }
  const base = url.origin + path
  const host = url.hostname.toLowerCase()
  return Effect.succeed({
    base,
    isCloudHost: host === "online.tableau.com" || host.endsWith(".online.tableau.com"),
    invalid: (reason) => new TableauUrlError({ url: base, reason })
  })
}
