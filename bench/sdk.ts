/**
 * The same jobs through tableau-effect: TableauNode's undici pool, TableauServer, TableauSession,
 * and the resource streams.
 */
import { Credentials, Sites, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauNode } from "@tableau-effect/node"
import { Effect, Layer, Logger, LogLevel, Stream } from "effect"

const pat = Credentials.personalAccessToken({ tokenName: "admin-pat", tokenSecret: "admin-pat-secret" })

export const sessionLayer = (url: string) =>
  TableauSession.layer(pat).pipe(
    // Default settings (retries, timeout, body limit, spans) except the pinned API version.
    Layer.provide(TableauServer.layer({ url, apiVersion: "3.24" })),
    Layer.provide(TableauNode.layer({ connections: 8 })),
    // The bench prints its table, not the session's Info lines.
    Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
  )

/** Sign in, stream every workbook, sign out: returns the number of workbooks. */
export const sdkListAll = (url: string, pageSize: number, concurrency = 1): Promise<number> =>
  Effect.runPromise(
    Workbooks.stream({ pageSize, concurrency }).pipe(Stream.runCount, Effect.provide(sessionLayer(url)))
  )

/** Sign in, `n` sequential authenticated GETs of the current site, sign out. */
export const sdkGets = (url: string, n: number): Promise<void> =>
  Effect.runPromise(
    Effect.provide(Effect.repeatN(Sites.current, n - 1), sessionLayer(url)).pipe(Effect.asVoid)
  )

/** Sign in, then time one stream of every workbook (sign-in and sign-out left out), sign out. */
export const sdkTimedStream = (url: string, pageSize: number, concurrency: number): Promise<number> =>
  Effect.runPromise(
    Effect.gen(function*() {
      const start = performance.now()
      const count = yield* Workbooks.stream({ pageSize, concurrency }).pipe(Stream.runCount)
      if (count !== 10_000) return yield* Effect.die(new Error(`streamed ${count} workbooks`))
      return performance.now() - start
    }).pipe(Effect.provide(sessionLayer(url)))
  )
