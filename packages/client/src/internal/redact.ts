/**
 * Secrets out of text that came from a server: excerpts of bodies for error messages.
 *
 * @internal
 */
const EXCERPT_LENGTH = 200

// A body that fails to decode may still carry a session token (or echo a credential): excerpts
// never show these attributes' values.
const SECRET_ATTRIBUTES = /\b(token|password|personalAccessTokenSecret|jwt|secret)\s*=\s*(?:"[^"]*"?|'[^']*'?)/gi
const SECRET_JSON = /"(token|password|personalAccessTokenSecret|jwt|secret)"\s*:\s*"(?:[^"\\]|\\.)*"?/gi
// A proxy error page may echo the request's headers.
const AUTH_HEADER = /\b(x-tableau-auth|authorization)\s*[:=]\s*[^\s<>"']+/gi

/**
 * The first characters of a body, for error messages: secrets and control characters removed, at most 200.
 *
 * @internal
 */
export const excerpt = (body: string, secrets: ReadonlyArray<string> = []): string => {
  // Control characters go first: NULs between letters (UTF-16 read as UTF-8) would otherwise
  // hide a token attribute from the patterns below.
  // eslint-disable-next-line no-control-regex
  let clean = body.slice(0, EXCERPT_LENGTH * 8).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g, "")
    .replace(SECRET_ATTRIBUTES, "$1=\"<redacted>\"")
    .replace(SECRET_JSON, "\"$1\":\"<redacted>\"")
    .replace(AUTH_HEADER, "$1: <redacted>")
  for (const secret of secrets) {
    if (secret.length >= 4) clean = clean.split(secret).join("<redacted>")
  }
  clean = clean.replace(/\s+/g, " ").trim()
  return clean.length > EXCERPT_LENGTH ? `${clean.slice(0, EXCERPT_LENGTH - 1)}…` : clean
}
