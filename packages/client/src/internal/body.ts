import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { TableauDecodeError, TableauTransportError } from "../TableauError.js"

const tooLarge = (url: string, limit: number, seen: string) =>
  new TableauTransportError({
    reason: "BodyTooLarge",
    url,
    description: `the response body is larger than ${limit} bytes (${seen})`,
    hint: "Raise maxResponseBytes in TableauServer.layer, or ask for smaller pages."
  })

// Statuses that never have a body: nothing to read (fetch's stream of a null body is an error).
const NO_BODY = new Set([204, 205, 304])

// The charset of the Content-Type, else the XML declaration's encoding, else UTF-8 (XML's
// default). Both are read from ASCII text of bounded length, so no pattern here can backtrack.
const CHARSET = /;\s*charset\s*=\s*"?([\w.:-]{1,40})/i
const DECLARATION = /^\s{0,64}<\?xml\s[^?>]{0,200}?encoding\s*=\s*["']([\w.:-]{1,40})["']/

const encodingOf = (contentType: string, head: string): string =>
  CHARSET.exec(contentType)?.[1] ?? DECLARATION.exec(head)?.[1] ?? "utf-8"

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const all = new Uint8Array(size)
  let offset = 0
  for (const bytes of chunks) {
    all.set(bytes, offset)
    offset += bytes.length
  }
  return all
}

/**
 * Reads a response body as text, failing as soon as more than `limit` bytes have come: the
 * bytes counted are those the transport hands over, after any content decoding, so a small
 * compressed body that inflates without end is cut off too. The text is decoded in the charset
 * the answer declares (header or XML declaration); bytes that are not valid in it, or a charset
 * nobody knows, are a `TableauDecodeError`, never text with replacement characters.
 *
 * Nothing here releases the connection: the caller's scope does (see `makeExecute`), whether
 * the body was read whole or refused.
 *
 * @internal
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  url: string
): Effect.Effect<string, TableauTransportError | TableauDecodeError | HttpClientError.ResponseError> => {
  const headers = response.headers
  const declared = Number(headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) {
    return Effect.fail(tooLarge(url, limit, `Content-Length ${declared}`))
  }
  if (NO_BODY.has(response.status) || declared === 0 || response.request.method === "HEAD") {
    return Effect.succeed("")
  }
  // A declared length of bytes that are not content-encoded is the size of what is read: one read,
  // no stream machinery (a third of a small call's CPU). A compressed body streams, counted as
  // it inflates. The size read is checked all the same: a browser's cross-origin fetch shows
  // Content-Length (the compressed size) but hides Content-Encoding.
  const encoded = headers["content-encoding"]
  if (Number.isFinite(declared) && (encoded === undefined || encoded === "identity")) {
    return Effect.flatMap(
      response.arrayBuffer,
      (buffer): Effect.Effect<string, TableauTransportError | TableauDecodeError> =>
        buffer.byteLength > limit
          ? Effect.fail(tooLarge(url, limit, `${buffer.byteLength} bytes read`))
          : decodeText(new Uint8Array(buffer), headers["content-type"] ?? "", response.status, url)
    )
  }
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    // The read stops at the limit without failing inside the stream (the fiber a transport may
    // read it in would log that failure at Debug); the refusal is made once the stream is left.
    return response.stream.pipe(
      Stream.runFoldWhile(0, (size) => size <= limit, (size: number, bytes: Uint8Array) => {
        if (size + bytes.length <= limit) chunks.push(bytes)
        return size + bytes.length
      }),
      Effect.catchIf(
        (error) => error._tag === "ResponseError" && error.reason === "EmptyBody",
        () => Effect.succeed(0)
      ),
      Effect.flatMap((size): Effect.Effect<string, TableauTransportError | TableauDecodeError> =>
        size > limit
          ? Effect.fail(tooLarge(url, limit, "streamed"))
          : decodeText(concat(chunks, size), headers["content-type"] ?? "", response.status, url)
      )
    )
  })
}

const decodeText = (
  bytes: Uint8Array,
  contentType: string,
  status: number,
  url: string
): Effect.Effect<string, TableauDecodeError> => {
  if (bytes.length === 0) return Effect.succeed("")
  const head = String.fromCharCode(...bytes.subarray(0, 300))
  const encoding = encodingOf(contentType, head)
  const fail = (reason: string) =>
    Effect.fail(
      new TableauDecodeError({ status, contentType, excerpt: "", reason, url })
    )
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding, { fatal: true })
  } catch {
    return fail(`the body declares the encoding ${JSON.stringify(encoding)}, which is not one this client knows`)
  }
  try {
    return Effect.succeed(decoder.decode(bytes))
  } catch {
    return fail(`the body is not valid ${decoder.encoding} text, as it declares`)
  }
}
