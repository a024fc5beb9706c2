/**
 * What crossed the wire in a write test: every request the SDK sent (method, path, body), seen
 * through a wrap of the emulator's HttpClient, and the request bodies checked against Tableau's
 * XSD when it is there.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { EmulatorSchema, EmulatorServer, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { xsdPath } from "../../../../test-support/xsd.js"
import { adminCredentials, emulated } from "./EmulatedSession.js"

/** One request as sent: method, path below the server root (query included) and body text. */
export interface Sent {
  readonly method: string
  readonly path: string
  readonly body: string
}

/**
 * A session on an emulator (as `emulated`) whose requests land in `sent`, in order. Clear it
 * with `sent.length = 0` between steps.
 */
export const recorded = (options: Parameters<typeof emulated>[0] = {}) => {
  const sent: Array<Sent> = []
  const layer = emulated({ ...options, wrap: (client) => recording(options.wrap?.(client) ?? client, sent) })
  return { layer, sent }
}

const recording = (client: HttpClient.HttpClient, sent: Array<Sent>): HttpClient.HttpClient => {
  const decoder = new TextDecoder()
  return HttpClient.tapRequest(client, (request) =>
    Effect.sync(() => {
      const url = new URL(request.url, "http://tableau.emulator")
      sent.push({
        method: request.method,
        path: url.pathname + url.search,
        body: request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : ""
      })
    }))
}

/**
 * The same over a loopback socket: the emulator's HTTP server on port 0, the platform's
 * FetchHttpClient, a session signed in as the administrator. The emulator's service is in the
 * context as with the in-memory layer.
 */
export const overLoopback = (options: TableauEmulator.Options = {}) => {
  const sent: Array<Sent> = []
  const layer = Layer.unwrapScoped(
    Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ ...options, port: 0 })
      const client = yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
      const http = Layer.succeed(HttpClient.HttpClient, recording(client, sent))
      return TableauSession.layer(adminCredentials()).pipe(
        Layer.provide(TableauServer.layer({ url: server.url, apiVersion: "3.24" })),
        Layer.provide(http),
        Layer.merge(Layer.succeed(TableauEmulator.TableauEmulator, server.emulator))
      )
    })
  )
  return { layer, sent }
}

/** The writes among `sent` (sign-in and sign-out left out). */
export const writes = (sent: ReadonlyArray<Sent>): Array<Sent> =>
  sent.filter((request) => request.method !== "GET" && !/\/auth\//.test(request.path))

/** Validates the bodies against ts-api_3_29.xsd; without the XSD, checks nothing (the test says so by its name). */
export const validateBodies = (sent: ReadonlyArray<Sent>) =>
  xsdPath === undefined
    ? Effect.void
    : EmulatorSchema.validate(
      Object.fromEntries(
        sent.filter((request) => request.body !== "").map((request, index) => [
          `${request.method} ${request.path} #${index + 1}`,
          request.body
        ])
      ),
      { xsd: xsdPath }
    )
