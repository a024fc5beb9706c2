/** @internal */
export type TransportReason =
  | "Refused"
  | "Dns"
  | "Tls"
  | "Timeout"
  | "Reset"
  | "BodyTooLarge"
  | "HeadersTooLarge"
  | "Unknown"

// Headers larger than the transport accepts: the answer is wrong, not the connection, so it is
// told apart from a reset (which a GET may retry) and reported as too large.
const HEADERS_TOO_LARGE = new Set(["UND_ERR_HEADERS_OVERFLOW", "HPE_HEADER_OVERFLOW"])

const TLS_UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
])
const TLS_EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"])
const TLS_NAME = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "HOSTNAME_MISMATCH"])
const REFUSED = new Set(["ECONNREFUSED"])
const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL"])
const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"])
const TIMEOUT = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "TimeoutError"
])

const CA_HINT =
  "The server's certificate is not trusted: give its CA with TableauNode.layer({ tls: { ca: \"/path/to/ca.pem\" } }) " +
  "from @tableau-effect/node, or to every Node client with NODE_EXTRA_CA_CERTS=/path/to/ca.pem " +
  "(tls: { rejectUnauthorized: false } turns checks off, for development only)."

const CLIENT_CERT_HINT = "If the server requires a client certificate, give it with " +
  "TableauNode.layer({ tls: { cert: \"client.pem\", key: \"client-key.pem\" } })."

interface Failure {
  readonly reason: TransportReason
  readonly description: string
  readonly code?: string
  readonly hint?: string
  readonly cause?: Error
}

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const code = (error as { readonly code?: unknown }).code
  if (typeof code === "string") return code
  const name = (error as { readonly name?: unknown }).name
  return name === "TimeoutError" ? name : undefined
}

// fetch wraps the real failure: TypeError("fetch failed") -> cause (undici / OpenSSL error),
// sometimes an AggregateError of several attempts (IPv4 and IPv6). Walk a few levels.
const causes = (error: unknown): ReadonlyArray<unknown> => {
  const out: Array<unknown> = []
  const queue: Array<unknown> = [error]
  while (queue.length > 0 && out.length < 12) {
    const next = queue.shift()
    if (typeof next !== "object" || next === null) continue
    out.push(next)
    const { cause, errors } = next as { readonly cause?: unknown; readonly errors?: unknown }
    if (cause !== undefined) queue.push(cause)
    if (Array.isArray(errors)) queue.push(...errors)
  }
  return out
}

const messageOf = (error: unknown): string =>
  typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string"
    ? (error as { message: string }).message
    : String(error)

/** @internal */
// The innermost error, rebuilt from its name, code and first line: a transport's error objects
// can hold the request (headers, token) among their properties.
const causeOf = (innermost: unknown, code: string | undefined, description: string): Error => {
  const name = typeof innermost === "object" && innermost !== null &&
      typeof (innermost as { readonly name?: unknown }).name === "string"
    ? (innermost as { readonly name: string }).name
    : "Error"
  const cause = new Error(description)
  cause.name = name
  return code === undefined ? cause : Object.assign(cause, { code })
}

export const classifyTransportFailure = (error: unknown, url = ""): Failure => {
  const chain = causes(error)
  const withCode = chain.find((e) => codeOf(e) !== undefined)
  const code = withCode === undefined ? undefined : codeOf(withCode)
  const innermost = withCode ?? chain[chain.length - 1] ?? error
  // One line: OpenSSL's messages carry a trailing newline and a library/function trailer.
  const description = messageOf(innermost).split(/\r?\n/)[0]!.trim().slice(0, 300)
  const cause = causeOf(innermost, code, description)
  const base = code === undefined ? { description, cause } : { description, code, cause }
  if (code === undefined) return { reason: "Unknown", ...base }
  if (HEADERS_TOO_LARGE.has(code)) {
    return {
      reason: "HeadersTooLarge",
      ...base,
      hint:
        "The server's response headers are larger than the transport accepts: a proxy or a server fault, not a slow network."
    }
  }
  if (TLS_UNTRUSTED.has(code)) return { reason: "Tls", ...base, hint: CA_HINT }
  if (TLS_EXPIRED.has(code)) {
    return {
      reason: "Tls",
      ...base,
      hint: "The server's certificate has expired or is not yet valid: renew it on the server."
    }
  }
  if (TLS_NAME.has(code)) {
    return {
      reason: "Tls",
      ...base,
      hint: "The certificate does not name this host: use a URL with the host name the certificate was issued for."
    }
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "EPROTO") {
    return {
      reason: "Tls",
      ...base,
      hint: "The server does not speak TLS on this port: use http:// for this port, or the server's https port."
    }
  }
  if (code === "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED") return { reason: "Tls", ...base, hint: CLIENT_CERT_HINT }
  if (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT")) {
    return { reason: "Tls", ...base, hint: CA_HINT }
  }
  if (REFUSED.has(code)) {
    return { reason: "Refused", ...base, hint: "Is the server running, and are the host and port right?" }
  }
  if (DNS.has(code)) return { reason: "Dns", ...base, hint: "The host name does not resolve: check the server URL." }
  if (RESET.has(code)) {
    // After a TLS 1.3 handshake a server that wants a client certificate just hangs up; so does
    // an https server asked in plain http.
    if (!/other side closed/i.test(description)) return { reason: "Reset", ...base }
    return url.startsWith("http://")
      ? {
        reason: "Reset",
        ...base,
        hint: "The server closed the connection at once: is this an https port? Then use https:// in the URL. " +
          "Otherwise check the port."
      }
      : { reason: "Reset", ...base, hint: `The server closed the connection. ${CLIENT_CERT_HINT} Or check the port.` }
  }
  if (TIMEOUT.has(code)) return { reason: "Timeout", ...base, hint: "Raise the timeout option if the server is slow." }
  return { reason: "Unknown", ...base }
}
