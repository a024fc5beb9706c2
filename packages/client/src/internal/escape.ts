/**
 * XML attribute escaping, both ways, from one table: `Xml.escapeAttribute` writes request bodies,
 * and the request pipeline reads a sign-in body's secrets back out of them to scrub echoes.
 *
 * @internal
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;"
}
const UNESCAPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ESCAPES).map(([char, escaped]) => [escaped, char])
)

/** @internal */
export const escapeAttribute = (value: string): string => value.replace(/[&<>"'\r\n\t]/g, (ch) => ESCAPES[ch]!)

/** Reads back exactly what `escapeAttribute` writes; any other reference is left as it is. @internal */
export const unescapeAttribute = (value: string): string =>
  value.replace(/&(?:amp|lt|gt|quot|apos|#13|#10|#9);/g, (escaped) => UNESCAPES[escaped]!)
