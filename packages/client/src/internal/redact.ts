/**
 * Secrets out of text that came from a server: excerpts of bodies, error summaries and details,
 * `Location` headers. A server (or a proxy, a WAF) may echo the request it got, raw or escaped;
 * `scrub` finds the secrets of that request in every escaped form and cuts them out.
 *
 * Every scan here runs in time linear in the text (plain loops, `indexOf`, and patterns whose
 * every repetition is bounded or anchored), so no answer can stall the event loop.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"

const EXCERPT_LENGTH = 200
const REDACTED = "<redacted>"
// Shorter values would cut ordinary words out of a text; a secret that short is no secret.
const MIN_SECRET_LENGTH = 4
// Escapes in escapes (a JSON string in an HTML page in a percent-encoded URL): levels decoded.
const LEVELS = 3

// ---------------------------------------------------------------------------------------------
// Decoding escapes, remembering where each character came from
// ---------------------------------------------------------------------------------------------

/** A text decoded once, and for each of its UTF-16 units the span of the source it came from. */
interface Decoded {
  readonly text: string
  readonly starts: ReadonlyArray<number>
  readonly ends: ReadonlyArray<number>
}

const NAMED: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: "\"",
  apos: "'",
  nbsp: "\u00a0",
  sol: "/",
  colon: ":",
  equals: "="
}
const JSON_ESCAPES: Readonly<Record<string, string>> = {
  "\"": "\"",
  "\\": "\\",
  "/": "/",
  "'": "'",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t"
}

const isHex = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)
const isDigit = (code: number) => code >= 48 && code <= 57

const fromCodePoint = (value: number): string | undefined =>
  Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : undefined

// One escape at `i` (an entity, a backslash escape or a percent escape), read with a bounded
// look-ahead: the decoded text and the length it took, or undefined.
const escapeAt = (text: string, i: number): readonly [string, number] | undefined => {
  const c = text[i]
  if (c === "&") {
    // The ";" is looked for only as far as an escape reaches (12 characters): searching the rest
    // of the text for each "&" made scrubbing a text of many "&" and no ";" quadratic.
    const within = text.slice(i + 1, i + 13).indexOf(";")
    if (within < 0) return undefined
    const end = i + 1 + within
    const name = text.slice(i + 1, end)
    if (name[0] === "#") {
      const hex = name[1] === "x" || name[1] === "X"
      const digits = hex ? name.slice(2) : name.slice(1)
      if (digits.length === 0) return undefined
      for (let k = 0; k < digits.length; k++) {
        if (!(hex ? isHex(digits.charCodeAt(k)) : isDigit(digits.charCodeAt(k)))) return undefined
      }
      const value = fromCodePoint(parseInt(digits, hex ? 16 : 10))
      return value === undefined ? undefined : [value, end - i + 1]
    }
    const named = NAMED[name.toLowerCase()]
    return named === undefined ? undefined : [named, end - i + 1]
  }
  if (c === "\\") {
    const next = text[i + 1]
    if (next === undefined) return undefined
    if (next === "u" || next === "x") {
      const size = next === "u" ? 4 : 2
      for (let k = 0; k < size; k++) if (!isHex(text.charCodeAt(i + 2 + k))) return undefined
      return [String.fromCharCode(parseInt(text.slice(i + 2, i + 2 + size), 16)), 2 + size]
    }
    const simple = JSON_ESCAPES[next]
    return simple === undefined ? undefined : [simple, 2]
  }
  if (c === "%") {
    if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return undefined
    // A byte as the character of that code: a UTF-8 secret is searched in that form too.
    return [String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16)), 3]
  }
  if (c === "+") return [" ", 1]
  return undefined
}

const decodeOnce = (text: string, starts: ReadonlyArray<number>, ends: ReadonlyArray<number>): Decoded | undefined => {
  let out = ""
  const outStarts: Array<number> = []
  const outEnds: Array<number> = []
  let changed = false
  for (let i = 0; i < text.length;) {
    const escape = escapeAt(text, i)
    if (escape === undefined) {
      out += text[i]
      outStarts.push(starts[i]!)
      outEnds.push(ends[i]!)
      i++
      continue
    }
    const [value, length] = escape
    changed = true
    for (let k = 0; k < value.length; k++) {
      outStarts.push(starts[i]!)
      outEnds.push(ends[i + length - 1]!)
    }
    out += value
    i += length
  }
  return changed ? { text: out, starts: outStarts, ends: outEnds } : undefined
}

// ---------------------------------------------------------------------------------------------
// Scrubbing
// ---------------------------------------------------------------------------------------------

// Each secret, and the forms in which a decoded text can hold it: its UTF-8 bytes as characters
// (what percent-decoding gives), and with "+" for spaces undone by the decoder already.
const formsOf = (secrets: ReadonlyArray<Redacted.Redacted<string>>): ReadonlyArray<string> => {
  const forms = new Set<string>()
  for (const secret of secrets) {
    const value = Redacted.value(secret)
    if (value.length < MIN_SECRET_LENGTH) continue
    forms.add(value)
    const bytes = new TextEncoder().encode(value)
    if (bytes.length !== value.length) forms.add(String.fromCharCode(...bytes))
  }
  return Array.from(forms)
}

const findAll = (text: string, form: string, found: (start: number, end: number) => void) => {
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) found(at, at + form.length)
}

/** The longest text a secret can take once escaped, three levels deep. */
const maxEncodedLength = (secrets: ReadonlyArray<Redacted.Redacted<string>>): number =>
  secrets.reduce((longest, secret) => Math.max(longest, Redacted.value(secret).length * 40), 0)

/**
 * `text` with every secret cut out, found raw or in any escaped form a server can use: XML and
 * HTML entities (named, decimal, hexadecimal), JSON and JavaScript backslash escapes,
 * percent-encoding (also of UTF-8), `+` for a space, and these nested up to three levels.
 *
 * @internal
 */
export const scrub = (text: string, secrets: ReadonlyArray<Redacted.Redacted<string>>): string => {
  const forms = formsOf(secrets)
  if (forms.length === 0 || text.length === 0) return text
  const cut = new Uint8Array(text.length)
  let any = false
  const mark = (start: number, end: number) => {
    any = true
    cut.fill(1, start, end)
  }
  for (const form of forms) findAll(text, form, mark)
  let level: Decoded = { text, starts: [], ends: [] }
  let starts: ReadonlyArray<number> = Array.from({ length: text.length }, (_, i) => i)
  let ends: ReadonlyArray<number> = Array.from({ length: text.length }, (_, i) => i + 1)
  for (let depth = 0; depth < LEVELS; depth++) {
    const next = decodeOnce(level.text, starts, ends)
    if (next === undefined) break
    level = next
    starts = next.starts
    ends = next.ends
    for (const form of forms) findAll(next.text, form, (s, e) => mark(next.starts[s]!, next.ends[e - 1]!))
  }
  if (!any) return text
  let out = ""
  for (let i = 0; i < text.length;) {
    if (cut[i] === 0) {
      const next = cut.indexOf(1, i)
      const end = next < 0 ? text.length : next
      out += text.slice(i, end)
      i = end
    } else {
      const next = cut.indexOf(0, i)
      out += REDACTED
      i = next < 0 ? text.length : next
    }
  }
  return out
}

/**
 * At most `length` characters of `text` with the secrets cut out: scrubbed before it is cut, so
 * a secret that straddles the cut is found whole.
 *
 * @internal
 */
export const scrubClipped = (
  text: string,
  secrets: ReadonlyArray<Redacted.Redacted<string>>,
  length: number
): string => {
  const window = text.length > length ? text.slice(0, length + maxEncodedLength(secrets)) : text
  const clean = scrub(window, secrets)
  return clean.length > length ? `${clean.slice(0, length - 1)}…` : clean
}

// ---------------------------------------------------------------------------------------------
// Excerpts and log text
// ---------------------------------------------------------------------------------------------

// A body that fails to decode may still carry a session token (or echo a credential): excerpts
// never show these attributes' values. Each pattern is linear: the name is a literal, the
// spaces are bounded, the value runs to its quote or stops at 400 characters.
const SECRET_ATTRIBUTES =
  /\b(token|password|personalAccessTokenSecret|jwt|secret)\s{0,8}=\s{0,8}(?:"[^"]{0,400}"?|'[^']{0,400}'?)/gi
const SECRET_JSON = /"(token|password|personalAccessTokenSecret|jwt|secret)"\s{0,8}:\s{0,8}"(?:[^"\\]|\\.){0,400}"?/gi
// A proxy error page may echo the request's headers.
const AUTH_HEADER = /\b(x-tableau-auth|authorization)\s{0,8}[:=]\s{0,8}[^\s<>"']{1,400}/gi
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff]/g

/**
 * The first characters of a body, for error messages: the request's secrets, secret-looking
 * attributes and control characters removed, whitespace folded, at most 200 characters.
 *
 * @internal
 */
export const excerpt = (body: string, secrets: ReadonlyArray<Redacted.Redacted<string>> = []): string => {
  // Control characters go first: NULs between letters (UTF-16 read as UTF-8) would otherwise
  // hide a token attribute from the patterns below.
  const head = body.slice(0, EXCERPT_LENGTH * 8 + maxEncodedLength(secrets)).replace(CONTROL, "")
  const clean = scrub(head, secrets)
    .replace(SECRET_ATTRIBUTES, "$1=\"<redacted>\"")
    .replace(SECRET_JSON, "\"$1\":\"<redacted>\"")
    .replace(AUTH_HEADER, "$1: <redacted>")
    .replace(/\s+/g, " ")
    .trim()
  return clean.length > EXCERPT_LENGTH ? `${clean.slice(0, EXCERPT_LENGTH - 1)}…` : clean
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Server text made safe for one log line or span attribute: control characters (newlines
 * included) written as `\u000a`, so no value can start a line of its own; at most `length`.
 *
 * @internal
 */
export const printable = (text: string, length = 200): string => {
  const clipped = text.length > length ? `${text.slice(0, length - 1)}…` : text
  return clipped.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)
}
