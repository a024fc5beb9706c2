/**
 * An `HttpClient` on undici's `Dispatcher.dispatch`, on the same pool as undici's fetch and
 * `undici.request`, without their layers: no WHATWG Request/Response objects or web streams, no
 * Node `Readable` or `AbortSignal` per call (see `Exchange`). Redirects are never followed:
 * dispatch does not follow them.
 *
 * A traced request goes through the platform's `HttpClient.make` (its `http.client` span, trace
 * headers, abort on interruption). A request whose tracing is off takes a shorter path, which
 * `TableauServer` uses (it has a span of its own): it keeps what the platform's path adds besides
 * tracing, that the request is aborted when the caller is interrupted, and so is a body being
 * read. On loopback the platform's path costs as much CPU again as undici itself.
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
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { RequestDeadline } from "@tableau-effect/client"
import type { Agent, Dispatcher } from "undici"
import { type Body, Exchange, type Head } from "./exchange.js"

const decoder = new TextDecoder("utf-8")
const TEXTUAL = /^text\/|[/+](?:xml|json)\b/i
const encoder = new TextEncoder()
// The reason given to undici when the caller is interrupted; nobody reads it.
const interrupted = new Error("the request was interrupted")

// undici checks an idle keep-alive connection for a close from the server one event-loop turn
// after its response ended. A call sent right after the previous body was read finds it still
// being checked, and the pool opens a second connection for it (build/conns.ts: 2 connections
// for 2,000 sequential calls); waiting one turn lets every call reuse the first.
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// One request in flight and its deadline's timer, which runs until the body has been read. A body
// never read is aborted when the deadline passes; the timer does not keep the process alive.
interface Call {
  readonly exchange: Exchange
  /** The body has been read (or the request failed): the deadline no longer applies. */
  readonly done: () => void
  readonly abort: () => void
}

const startCall = (deadline: RequestDeadline.RequestDeadline | undefined): Call => {
  const exchange = new Exchange()
  let timer: ReturnType<typeof setTimeout> | undefined
  if (deadline !== undefined) {
    // undici fails the request with the reason it was aborted with, so RequestDeadline.exceeded
    // reaches the caller as the error's cause, for TableauServer to tell a timeout apart.
    timer = setTimeout(() => exchange.abort(RequestDeadline.exceeded), deadline.millis)
    timer.unref()
  }
  const done = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  return {
    exchange,
    done,
    abort: () => {
      done()
      exchange.abort(interrupted)
    }
  }
}

// Chunks decoded one after another, so that a character split between two is decoded whole.
const textOf = (chunks: ReadonlyArray<Buffer>): string => {
  if (chunks.length === 1) return decoder.decode(chunks[0])
  const streaming = new TextDecoder("utf-8")
  let text = ""
  for (const chunk of chunks) text += streaming.decode(chunk, { stream: true })
  return text + streaming.decode()
}

const bytesOf = (chunks: ReadonlyArray<Buffer>): Uint8Array =>
  chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Array<Buffer>)

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  // The body can be read once; every reader but `stream` shares that one read, as text or as
  // bytes, whichever is asked for first. A textual body that has already come (a small one, see
  // Exchange) is decoded at once, so its socket buffers are let go with the call.
  private read: Promise<string | Uint8Array> | undefined
  private body: string | Uint8Array | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly head: Head,
    private readonly call: Call
  ) {
    super()
    this.status = head.status
    // Repeated headers (arrays from undici) are joined with ", ", as the platform does for fetch;
    // set-cookie is read apart (see cookies).
    this.headers = Headers.fromInput(head.headers)
    const whole = call.exchange.takeWhole()
    if (whole !== undefined) {
      call.done()
      this.body = TEXTUAL.test(this.headers["content-type"] ?? "") ? textOf(whole) : bytesOf(whole)
    }
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.head.headers["set-cookie"]
    return Cookies.fromSetCookie(setCookie === undefined ? [] : typeof setCookie === "string" ? [setCookie] : setCookie)
  }

  // Interrupting the reader destroys the body, which closes the connection (on the traced path
  // the platform aborts the request's signal as well).
  private readAs<A>(start: () => Promise<string | Uint8Array>, as: (body: string | Uint8Array) => A) {
    if (this.body !== undefined) return Effect.succeed(as(this.body))
    return Effect.async<A, HttpClientError.ResponseError>((resume) => {
      ;(this.read ??= start()).then(
        (body) => {
          this.call.done()
          resume(Effect.succeed(as(body)))
        },
        (cause) => {
          this.call.done()
          resume(Effect.fail(this.undecodable(cause)))
        }
      )
      return Effect.sync(() => {
        this.call.abort()
      })
    })
  }

  private undecodable(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  // A body read as text and then asked for as bytes is encoded again: the same bytes unless they
  // were not UTF-8 to begin with.
  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    return this.readAs(
      () => this.call.exchange.readAll().then(bytesOf),
      (body) => typeof body === "string" ? encoder.encode(body) : body
    )
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.readAs(
      () => this.call.exchange.readAll().then(textOf),
      (body) => typeof body === "string" ? body : decoder.decode(body)
    )
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
    if (this.body !== undefined) return Stream.fromEffect(this.bytes)
    const { abort, done, exchange } = this.call
    // Ended early (the reader stopped or was interrupted), the rest of the body is not wanted.
    const chunks: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          exchange.next().then((value): IteratorResult<Uint8Array> =>
            value === undefined ? { done: true, value: undefined } : { done: false, value }
          ),
        return: () => {
          if (!exchange.finished) abort()
          return Promise.resolve({ done: true, value: undefined })
        }
      })
    }
    return Stream.fromAsyncIterable(chunks, (cause) => this.undecodable(cause)).pipe(
      Stream.ensuring(Effect.sync(done))
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

const plainHeaders = (headers: Headers.Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) {
    // undici counts the bytes of a string or buffer body itself.
    if (name !== "content-length") out[name] = headers[name]!
  }
  return out
}

// A body that is there already needs no effect of its own; only a stream is converted.
const bodyOf = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Body, HttpClientError.RequestError> => {
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

// The URL the platform would build (params appended, hash set).
const urlOf = (request: HttpClientRequest.HttpClientRequest): Either.Either<URL, HttpClientError.RequestError> =>
  Either.mapLeft(UrlParams.makeUrl(request.url, request.urlParams, request.hash), (cause) =>
    new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause }))

/**
 * The client on `agent`: every request is dispatched on the pool, aborted when the caller is
 * interrupted (or, sent through its `RequestDeadline.Send`, when the deadline passes), and never
 * follows a redirect.
 *
 * @internal
 */
export const makeUndiciClient = (agent: Agent): HttpClient.HttpClient => {
  const send = (request: HttpClientRequest.HttpClientRequest, url: URL, body: Body, call: Call) =>
    nextTurn().then(() => {
      agent.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers: plainHeaders(request.headers),
        body
      }, call.exchange)
      return call.exchange.started
    }).then(
      (head) => new UndiciResponse(request, head, call),
      (cause) => {
        call.done()
        throw cause
      }
    )

  const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
    new HttpClientError.RequestError({ request, reason: "Transport", cause })

  // The platform's path: its span, trace headers, and abort on interruption through `signal`.
  // No deadline here; `TableauServer` hands it over through `send`.
  const traced = HttpClient.make((request, url, signal) =>
    Effect.flatMap(bodyOf(request), (body) =>
      Effect.tryPromise({
        try: () => {
          const call = startCall(undefined)
          signal.addEventListener("abort", call.abort, { once: true })
          return send(request, url, body, call)
        },
        catch: (cause) => transportError(request, cause)
      }))
  )

  // Untraced, with the deadline: what `TableauServer` sends through (see RequestDeadline.Send).
  const sendWithin: RequestDeadline.Send = (request, deadline) => {
    const url = urlOf(request)
    if (Either.isLeft(url)) return Effect.fail(url.left)
    return Effect.flatMap(bodyOf(request), (body) =>
      Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
        const call = startCall(deadline)
        send(request, url.right, body, call).then(
          (response) => resume(Effect.succeed(response)),
          (cause) => resume(Effect.fail(transportError(request, cause)))
        )
        return Effect.sync(call.abort)
      }))
  }

  const client = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime((fiber) =>
          !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
            fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
            ? sendWithin(request, undefined)
            : traced.execute(request)
        )),
    Effect.succeed
  )
  return RequestDeadline.enforcing(client, sendWithin)
}
