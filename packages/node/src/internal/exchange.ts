/**
 * One request and its answer through `Dispatcher.dispatch`, undici's own interface under
 * `undici.request`. The answer's body is kept as the chunks undici hands over, instead of going
 * through a Node `Readable` and an `AbortSignal` per request: on a small call on loopback that is
 * half of undici's CPU time, and the body can be read whole with no stream at all.
 *
 * @internal
 */
import type { Dispatcher } from "undici"

/** What undici takes as a request body. @internal */
export type Body = Exclude<Dispatcher.DispatchOptions["body"], undefined>

/** The head of an answer; its body is read through `Exchange`. @internal */
export interface Head {
  readonly status: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string>>>
}

// A body nobody reads yet is held up to this much before the connection is paused, as a Node
// Readable would (its default highWaterMark); a body read whole is never paused.
const HIGH_WATER_MARK = 64 * 1024
// A body declared up to this size is read before the answer is handed over: one wait per call
// instead of two, and the body does not live across a turn of the event loop, where V8 would
// promote page after page of it to the old generation.
const READ_BEFORE_HANDOVER = 1024 * 1024

/**
 * The state of one exchange: undici calls its handler methods, the response's readers call the
 * rest. A waiting reader is woken through `wakeReader`.
 *
 * @internal
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined
  // The reason of an abort asked for before undici started the request.
  private abortedEarly: Error | undefined
  private head: Head | undefined
  private readonly chunks: Array<Buffer> = []
  private buffered = 0
  private readingWhole = false
  private ended = false
  private failure: Error | undefined
  private waiter: (() => void) | undefined
  private settleHead: { resolve: (head: Head) => void; reject: (cause: unknown) => void } | undefined
  /** Settles with the head once it has come (and a small body with it), or with the failure. */
  readonly started: Promise<Head>

  constructor() {
    this.started = new Promise((resolve, reject) => {
      this.settleHead = { resolve, reject }
    })
  }

  /** Stops the exchange wherever it is: before it starts, waiting for the head, or mid-body. */
  abort(reason: Error): void {
    if (this.finished) return
    if (this.controller === undefined) this.abortedEarly = reason
    else this.controller.abort(reason)
  }

  /** The answer has been read to its end, or has failed: nothing more will arrive. */
  get finished(): boolean {
    return this.ended || this.failure !== undefined
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.abortedEarly !== undefined) controller.abort(this.abortedEarly)
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | Array<string> | undefined>
  ): void {
    // 1xx answers come before the real one, which is the one we want.
    if (status < 200) return
    this.head = { status, headers: headers as Head["headers"] }
    const declared = Number(headers["content-length"])
    if (declared <= READ_BEFORE_HANDOVER) this.readingWhole = true
    else this.handOver()
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk)
    this.buffered += chunk.length
    if (!this.readingWhole && this.buffered > HIGH_WATER_MARK) controller.pause()
    this.wakeReader()
  }

  onResponseEnd(): void {
    this.ended = true
    this.release()
    this.handOver()
    this.wakeReader()
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.failure = error
    this.release()
    this.handOver(error)
    this.wakeReader()
  }

  // undici's controller keeps the raw headers, views into the socket's read buffer: held from a
  // response that lives on, they would keep every page's buffer alive until a full GC.
  private release(): void {
    this.controller = undefined
  }

  // With the head in, the answer is handed over, even when the body then failed: its readers get
  // the failure, as they would had it been read after the hand-over. Without, the request fails.
  private handOver(failure?: Error): void {
    const settle = this.settleHead
    if (settle === undefined || (this.head === undefined && failure === undefined)) return
    this.settleHead = undefined
    if (this.head !== undefined) settle.resolve(this.head)
    else settle.reject(failure)
  }

  private wakeReader(): void {
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.()
  }

  private waitForMore(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve
    })
  }

  /** The whole body, when it has all come (and nothing failed); the chunks are given up to the caller. */
  takeWhole(): ReadonlyArray<Buffer> | undefined {
    return this.ended ? this.chunks.splice(0) : undefined
  }

  /** The whole body as its chunks, in order; the chunks are given up to the caller. */
  readAll(): Promise<ReadonlyArray<Buffer>> {
    this.readingWhole = true
    this.controller?.resume()
    const loop = (): Promise<ReadonlyArray<Buffer>> => {
      if (this.failure !== undefined) return Promise.reject(this.failure)
      if (this.ended) return Promise.resolve(this.chunks.splice(0))
      return this.waitForMore().then(loop)
    }
    return loop()
  }

  /** The next chunk of the body, or undefined at its end; the connection resumes as chunks are taken. */
  next(): Promise<Buffer | undefined> {
    const chunk = this.chunks.shift()
    if (chunk !== undefined) {
      this.buffered -= chunk.length
      if (this.buffered <= HIGH_WATER_MARK) this.controller?.resume()
      return Promise.resolve(chunk)
    }
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (this.ended) return Promise.resolve(undefined)
    this.controller?.resume()
    return this.waitForMore().then(() => this.next())
  }
}
