/**
 * An `HttpClient` on `undici.request`: the same pool as undici's fetch without the WHATWG layers
 * (web streams, Request/Response objects, header guards), which cost more than half of a small
 * call on loopback. Redirects are never followed: undici.request does not follow them.
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
import { request as undiciRequest } from "undici"

type Sent = Dispatcher.ResponseData

const decoder = new TextDecoder("utf-8")
const SMALL_BODY = 1024 * 1024
const TEXTUAL = /^text\/|[/+](?:xml|json)\b/i
const encoder = new TextEncoder()

// undici frees a keep-alive connection one event-loop turn after its response ended (setImmediate,
// in case the server closes it after all). A call sent right after the previous body was read
// would find the connection busy and open another one; waiting one turn lets it reuse the first.
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// One request in flight: its own abort controller (for interruption, and for the deadline), and
// the deadline's timer, which runs until the body has been read. A body never read is aborted
// when the deadline passes; the timer does not keep the process alive.
interface Call {
  readonly signal: AbortSignal
  /** The body has been read (or the request failed): the deadline no longer applies. */
  readonly done: () => void
  readonly abort: () => void
  /** The deadline when it is what ended the request, else what undici said. */
  readonly cause: (cause: unknown) => unknown
}

const startCall = (deadline: RequestDeadline.RequestDeadline | undefined): Call => {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  if (deadline !== undefined) {
    timer = setTimeout(() => controller.abort(RequestDeadline.exceeded), deadline.millis)
    timer.unref()
  }
  const done = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  return {
    signal: controller.signal,
    done,
    abort: () => {
      done()
      controller.abort()
    },
    cause: (cause) => controller.signal.reason === RequestDeadline.exceeded ? RequestDeadline.exceeded : cause
  }
}

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: Headers.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  // The body can be read once; every reader but `stream` shares that one read, started on demand
  // as text or as bytes, whichever is asked for first. Text is decoded from undici's chunks as
  // they are, without the copy that bytes need: a page read as text leaves no buffer behind for
  // the garbage collector to find later.
  private read: Promise<string | Uint8Array> | undefined
  // The body once it has been read: `readFirst` reads it before the response is handed over.
  private body: string | Uint8Array | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    private readonly source: Sent,
    private readonly call: Call
  ) {
    super()
    this.status = source.statusCode
    // Repeated headers are joined with ", ", as the platform does for fetch.
    this.headers = Headers.fromInput(source.headers)
  }

  /**
   * Reads a small body (a declared length up to `SMALL_BODY`) before the response is handed over:
   * as text when the content type is textual, else as bytes. Its readers then answer at once.
   * A response handed over before its body is read costs the caller a second wait, and its body
   * lives on across a turn of the event loop, long enough for V8 to promote page after page of
   * it to the old generation (B5 grew by 5 MB every 100 pages of 100 workbooks).
   */
  readFirst(): Promise<void> {
    const length = Number(this.source.headers["content-length"])
    if (!(length <= SMALL_BODY)) return Promise.resolve()
    const type = String(this.source.headers["content-type"] ?? "")
    this.read = TEXTUAL.test(type) ? this.source.body.text() : this.source.body.bytes()
    return this.read.then((body) => {
      this.body = body
      this.call.done()
    })
  }

  get cookies(): Cookies.Cookies {
    return Cookies.fromSetCookie(this.source.headers["set-cookie"] ?? [])
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
          resume(Effect.fail(this.undecodable(this.call.cause(cause))))
        }
      )
      return Effect.sync(() => {
        this.call.done()
        this.source.body.destroy()
      })
    })
  }

  private undecodable(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  // A body read as text and then asked for as bytes is encoded again: the same bytes unless they
  // were not UTF-8 to begin with.
  private get bytes(): Effect.Effect<Uint8Array, HttpClientError.ResponseError> {
    return this.readAs(() => this.source.body.bytes(), (body) => typeof body === "string" ? encoder.encode(body) : body)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return this.readAs(() => this.source.body.text(), (body) => typeof body === "string" ? body : decoder.decode(body))
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
    const chunks: AsyncIterable<Uint8Array> = this.source.body
    return Stream.fromAsyncIterable(chunks, (cause) => this.undecodable(this.call.cause(cause))).pipe(
      Stream.ensuring(Effect.sync(this.call.done))
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

type Body = Exclude<NonNullable<Parameters<typeof undiciRequest>[1]>["body"], undefined>

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

const failure = (request: HttpClientRequest.HttpClientRequest, url: string | URL, cause: unknown) =>
  new HttpClientError.RequestError({
    request,
    reason: typeof url === "string" && !URL.canParse(url) ? "InvalidUrl" : "Transport",
    cause
  })

// The URL the platform would build (params appended, hash set); undici takes it as a string.
// A plain URL is handed over as it is: undici parses it anyway, and one it cannot parse is told
// apart only when the request fails (see failure), which keeps a parse off every call.
const urlOf = (request: HttpClientRequest.HttpClientRequest): Either.Either<string, HttpClientError.RequestError> => {
  if (request.urlParams.length === 0 && Option.isNone(request.hash)) return Either.right(request.url)
  return Either.map(
    Either.mapLeft(UrlParams.makeUrl(request.url, request.urlParams, request.hash), (cause) =>
      new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause })),
    (url) => url.toString()
  )
}

/**
 * The client on `agent`: every request goes through undici.request on the pool, aborted when the
 * caller is interrupted or the `RequestDeadline` passes, and never follows a redirect.
 *
 * @internal
 */
export const makeUndiciClient = (agent: Agent): HttpClient.HttpClient => {
  const send = (request: HttpClientRequest.HttpClientRequest, url: string | URL, body: Body, call: Call) =>
    nextTurn().then(() =>
      undiciRequest(url, {
        method: request.method,
        headers: plainHeaders(request.headers),
        body,
        signal: call.signal,
        dispatcher: agent
      })
    ).then(
      (sent) => {
        const response = new UndiciResponse(request, sent, call)
        // A body that fails while read first is the failure of its readers, as it would be
        // without readFirst: the response itself is handed over.
        return response.readFirst().then(() => response, () => response)
      },
      (cause) => {
        call.done()
        throw call.cause(cause)
      }
    )

  const traced = HttpClient.make((request, url, signal, fiber) =>
    Effect.flatMap(bodyOf(request), (body) =>
      Effect.tryPromise({
        try: () => {
          const call = startCall(fiber.getFiberRef(RequestDeadline.current))
          signal.addEventListener("abort", call.abort, { once: true })
          return send(request, url, body, call)
        },
        catch: (cause) => failure(request, url, cause)
      }))
  )

  const untraced = (
    request: HttpClientRequest.HttpClientRequest,
    deadline: RequestDeadline.RequestDeadline | undefined
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> => {
    const url = urlOf(request)
    if (Either.isLeft(url)) return Effect.fail(url.left)
    return Effect.flatMap(bodyOf(request), (body) =>
      Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
        const call = startCall(deadline)
        send(request, url.right, body, call).then(
          (response) => resume(Effect.succeed(response)),
          (cause) => resume(Effect.fail(failure(request, url.right, cause)))
        )
        return Effect.sync(call.abort)
      }))
  }

  return RequestDeadline.enforcing(HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (effect) =>
      Effect.flatMap(effect, (request) =>
        Effect.withFiberRuntime((fiber) => {
          const untracedRequest = !fiber.getFiberRef(FiberRef.currentTracerEnabled) ||
            fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
          return untracedRequest
            ? untraced(request, fiber.getFiberRef(RequestDeadline.current))
            : traced.execute(request)
        })),
    Effect.succeed
  ))
}
