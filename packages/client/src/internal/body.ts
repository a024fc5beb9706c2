import type * as Headers from "@effect/platform/Headers"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { TableauTransportError } from "../TableauError.js"

const decoder = new TextDecoder("utf-8")

const tooLarge = (url: string, limit: number, seen: string) =>
  new TableauTransportError({
    reason: "BodyTooLarge",
    url,
    description: `the response body is larger than ${limit} bytes (${seen})`,
    hint: "Raise maxResponseBytes in TableauServer.layer, or ask for smaller pages."
  })

/**
 * Reads a response body as text, failing as soon as it passes `limit` bytes (so a hostile or
 * runaway body never fills memory). A missing body (204) reads as "".
 *
 * @internal
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  headers: Headers.Headers,
  limit: number,
  url: string
): Effect.Effect<string, TableauTransportError | HttpClientError.ResponseError> => {
  const declared = Number(headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) {
    return Effect.zipRight(
      Stream.runDrain(Stream.take(response.stream, 0)).pipe(Effect.ignore),
      Effect.fail(tooLarge(url, limit, `Content-Length ${declared}`))
    )
  }
  // A declared length within the limit is read in one go, as UTF-8 text (what Tableau sends):
  // no stream machinery per chunk, and no ArrayBuffer copied out on the way.
  if (Number.isFinite(declared)) return response.text
  return response.stream.pipe(
    Stream.runFoldEffect(
      { chunks: Chunk.empty<Uint8Array>(), size: 0 },
      (acc, bytes) => {
        const size = acc.size + bytes.length
        return size > limit
          ? Effect.fail(tooLarge(url, limit, "streamed"))
          : Effect.succeed({ chunks: Chunk.append(acc.chunks, bytes), size })
      }
    ),
    Effect.map(({ chunks, size }) => {
      if (size === 0) return ""
      if (Chunk.size(chunks) === 1) return decoder.decode(Chunk.unsafeHead(chunks))
      const all = new Uint8Array(size)
      let offset = 0
      for (const bytes of chunks) {
        all.set(bytes, offset)
        offset += bytes.length
      }
      return decoder.decode(all)
    }),
    Effect.catchIf(
      (error) => error._tag === "ResponseError" && error.reason === "EmptyBody",
      () => Effect.succeed("")
    )
  )
}
