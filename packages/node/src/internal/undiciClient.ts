/**
 * An `HttpClient` on an undici `Dispatcher`, through `dispatcher.request` and its `signal`: the
 * shape of `@effect/platform-node`'s undici client. `HttpClient.make` gives the span, the trace
 * headers and the abort: the signal fires when the caller is interrupted, while it reads the body,
 * when a `stream` of the body ends, or (with `HttpClient.withScope`) when the caller's scope
 * closes. Redirects are never followed: `dispatcher.request` does not follow them.
 *
 * @internal
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
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
import { Buffer } from "node:buffer"
import type { Dispatcher } from "undici"

/**
 * undici's own limits, per request, in milliseconds; one not given is the dispatcher's.
 *
 * @internal
 */
export interface Limits {
  readonly headersTimeout?: number | undefined
  readonly bodyTimeout?: number | undefined
}

type Body = Exclude<Dispatcher.DispatchOptions["body"], undefined>

// undici marks a keep-alive connection idle again one event-loop turn after its answer ended. A
// request sent within that turn (a call made right after the previous body was read) finds it
// busy and the pool opens a second connection for it: 2 connections for 20 sequential calls on
// plain `agent.request`, 1 with this wait (test: "keeps one connection alive").
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const TEXTUAL = /^text\/|[/+](?:xml|json)\b/i
const decoder = new TextDecoder()
// Not TextDecoder("latin1"): that WHATWG label means windows-1252, which maps 0x80-0x9F elsewhere.
const bytesAsLatin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1")

const bodyOf = (body: HttpBody.HttpBody): Effect.Effect<Body> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(body.body as Body)
    case "FormData":
      return Effect.succeed(body.formData as Body)
    case "Stream":
      // undici takes any async iterable of bytes as a body.
      return Effect.map(Stream.toReadableStreamEffect(body.stream), (stream) => stream as unknown as Body)
  }
}

// The chunks as they come, each copied into the string at once: undici's own `bytes()` leaves
// the socket's read buffers reachable from a kept response (6 MB for 100 kept answers of 60 KiB,
// test: "a response kept after its body is read holds none of the socket's buffers").
const latin1Text = (body: Dispatcher.ResponseData["body"]): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Array<string> = []
    body.on("data", (chunk: Uint8Array) => parts.push(bytesAsLatin1(chunk)))
    body.once("end", () => resolve(parts.join("")))
    body.once("error", reject)
  })

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  // The body is read once, and every reader but `stream` shares that read. A textual body is kept
  // as its bytes in a one-byte string (latin1: one character per byte, in the JS heap), so that a
  // response kept after its body was read holds no buffer, yet `arrayBuffer` gives the bytes that
  // came, whatever charset they are in (the SDK decodes in the declared one; text read as UTF-8
  // here would have turned ISO-8859-1 into U+FFFD).
  private readonly body: Effect.Effect<string | Uint8Array, HttpClientError.ResponseError>

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Dispatcher.ResponseData
  ) {
    super()
    this.status = source.statusCode
    this.headers = Headers.fromInput(source.headers)
    const textual = TEXTUAL.test(this.headers["content-type"] ?? "")
    this.body = Effect.runSync(Effect.cached(Effect.tryPromise({
      try: (): Promise<string | Uint8Array> => textual ? latin1Text(source.body) : source.body.bytes(),
      catch: (cause) => this.undecodable(cause)
    })))
    // A body failing while nobody reads it must not be an unhandled 'error' event.
    source.body.on("error", () => {})
  }

  private undecodable(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(
      this.body,
      (body) => decoder.decode(typeof body === "string" ? Buffer.from(body, "latin1") : body)
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.body, (body) => {
      const bytes = typeof body === "string" ? Buffer.from(body, "latin1") : body
      // A body of its own buffer is handed over as it is; a view into a larger one is copied out.
      return (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer
        : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        Effect.try({
          try: (): unknown => text === "" ? null : JSON.parse(text),
          catch: (cause) => this.undecodable(cause)
        })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => this.source.body.formData() as Promise<FormData>,
      catch: (cause) => this.undecodable(cause)
    })
  }

  // The body's chunks as they come. A stream ended early (its reader stopped, failed or was
  // interrupted) destroys the body, and undici aborts the request with it: the connection is
  // dropped then, also under HttpClient.withScope (where the platform leaves the signal to the
  // scope). Not the body's async iterator: its return() waits for a read in flight, so a body that
  // stalls half-way would hold an interrupted reader for ever.
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const body = this.source.body
    return Stream.asyncPush<Uint8Array, HttpClientError.ResponseError>((emit) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          body.on("data", (chunk: Uint8Array) => emit.single(chunk))
          body.once("end", () => emit.end())
          body.once("error", (cause) => emit.fail(this.undecodable(cause)))
        }),
        () =>
          Effect.sync(() => {
            if (!body.readableEnded) body.destroy()
          })
      )
    )
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/**
 * The client on `dispatcher`, with undici's own timeouts from `limits` on every request.
 *
 * @internal
 */
export const makeUndiciClient = (dispatcher: Dispatcher, limits: Limits): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(bodyOf(request.body), (body) =>
      Effect.tryPromise({
        try: () =>
          nextTurn().then(() =>
            dispatcher.request({
              signal,
              method: request.method,
              headers: request.headers,
              origin: url.origin,
              // The fragment stays with the client; it is never sent.
              path: url.pathname + url.search,
              body,
              ...(limits.headersTimeout !== undefined ? { headersTimeout: limits.headersTimeout } : {}),
              ...(limits.bodyTimeout !== undefined ? { bodyTimeout: limits.bodyTimeout } : {})
            })
          ),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      })).pipe(Effect.map((response) => new UndiciResponse(request, response)))
  )
