/**
 * The client stack the tests drive: `TableauSession.layer` over `TableauServer.layer` over a
 * transport layer, signed in with the emulator's admin PAT.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { Fixtures } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

export const admin = Credentials.personalAccessToken({
  tokenName: Fixtures.defaults.admin.patName,
  tokenSecret: Fixtures.defaults.admin.patSecret
})

/** A signed-in session (and its server) for `url`, over the given transport. */
export const tableau = <E>(
  url: string,
  transport: Layer.Layer<HttpClient.HttpClient, E>,
  options: Partial<TableauServer.Options> = {}
) =>
  TableauSession.layer(admin).pipe(
    Layer.provideMerge(TableauServer.layer({ url, apiVersion: "auto", timeout: "10 seconds", ...options })),
    Layer.provide(transport)
  )

/** `TableauServer.serverInfo` at `url` (API 3.24, no sign-in), over the given transport. */
export const serverInfoVia = <E>(
  url: string,
  transport: Layer.Layer<HttpClient.HttpClient, E>,
  options: Partial<TableauServer.Options> = {}
) =>
  Effect.provide(
    TableauServer.serverInfo,
    TableauServer.layer({ url, apiVersion: "3.24", timeout: "10 seconds", ...options }).pipe(Layer.provide(transport))
  )

/** Who signed in, and what serverinfo says: what a first program does. */
export const whoAndWhat = Effect.gen(function*() {
  const state = yield* TableauSession.state
  const info = yield* TableauServer.serverInfo
  return {
    userId: state.userId,
    site: state.site,
    restApiVersion: info.restApiVersion,
    productVersion: info.productVersion
  }
})

/** Narrows a tagged error, failing the test with the error's message when the tag differs. */
export function assertTag<E extends { readonly _tag: string }, T extends E["_tag"]>(
  error: E,
  tag: T
): asserts error is Extract<E, { readonly _tag: T }> {
  if (error._tag !== tag) {
    throw new Error(`expected ${tag}, got ${error._tag}: ${error instanceof Error ? error.message : String(error)}`)
  }
}
