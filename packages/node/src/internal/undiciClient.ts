/**
 * An `HttpClient` on `undici.request`: the same pool as undici's fetch without the WHATWG layers
 * (web streams, Request/Response objects, header guards), which cost more than half of a small
 * call on loopback. Redirects are never followed: undici.request does not follow them.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Agent, Dispatcher } from "undici"
import { request as undiciRequest } from "undici"

type Sent = Dispatcher.ResponseData

const decoder = new TextDecoder("utf-8")

// undici frees a keep-alive connection one event-loop turn after its response ended (setImmediate,
// in case the server closes it after all). A call sent right after the previous body was read
// would find the connection busy and open another one; waiting one turn lets it reuse the first.
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  // The body can be read once; every reader but `stream` shares that one read, started on demand.
  private read: Promise<Uint8Array> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, private readonly source: Sent) {
    super()
    this.status = source.statusCode
    // Repeated headers are joined with ", ", as the platform does for fetch.
    this.headers = Headers.fromInput(source.headers)
  }

  get cookies(): Cookies.Cookies {
    return Cookies.fromSetCookie(this.source.headers["set-cookie"] ?? [])
  }

  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => this.read ??= this.source.body.bytes(),
      catch: (cause) => this.undecodable(cause)
    })
  }

  private undecodable(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => decoder.decode(bytes))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    // A body of its own buffer is handed over as it is; a slice of a shared one is copied out.
    return Effect.map(this.bytes, (bytes) =>
      (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer
        : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer)
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: (): unknown => text === "" ? null : JSON.parse(text),
        catch: (cause) => this.undecodable(cause)
      }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => this.undecodable(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const chunks: AsyncIterable<Uint8Array> = this.source.body
    return Stream.fromAsyncIterable(chunks, (cause) => this.undecodable(cause))
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const plainHeaders = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) {
    // undici counts the bytes of a string or buffer body itself.
    if (name !== "content-length") out[name] = headers[name]!
  }
  return out
}

type Body = Exclude<NonNullable<Parameters<typeof undiciRequest>[1]>["body"], undefined>

const bodyOf = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Body, HttpClientError.RequestError> => {
  switch (request.body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(request.body.body)
    case "Raw":
      return Effect.succeed(request.body.body as Body)
    case "FormData":
      return Effect.succeed(request.body.formData as Body)
    case "Stream":
      return Stream.toReadableStreamEffect(request.body.stream).pipe(
        Effect.map((stream) => stream as unknown as Body),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

/**
 * The client on `agent`: every request goes through undici.request on the pool, with the fiber's
 * abort signal, and never follows a redirect.
 *
 * @internal
 */
export const makeUndiciClient = (agent: Agent): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(bodyOf(request), (body) =>
      Effect.tryPromise({
        try: async () => {
          await nextTurn()
          const sent = await undiciRequest(url, {
            method: request.method,
            headers: plainHeaders(request.headers),
            body,
            signal,
            dispatcher: agent
          })
          return new UndiciResponse(request, sent)
        },
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      }))
  )
