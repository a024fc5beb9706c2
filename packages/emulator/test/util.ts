/**
 * Test helpers: requests through the emulator layer's HttpClient, sign-in bodies, and a small
 * XML reader for assertions.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import * as Effect from "effect/Effect"
import { XMLParser } from "fast-xml-parser"

export const { defaults, ids } = Fixtures

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" })

/** Parses an XML answer; attributes become fields. */
export const parseXml = (text: string): unknown => parser.parse(text)

/** Parses JSON without letting `any` in. */
export const json = (text: string): unknown => JSON.parse(text)

/** Walks parsed XML by element and attribute names. */
export const at = (value: unknown, ...keys: ReadonlyArray<string>): unknown => {
  let current = value
  for (const key of keys) {
    current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined
  }
  return current
}

/** A repeated element as a list (one element parses to an object, none to undefined). */
export const list = (value: unknown): ReadonlyArray<unknown> =>
  value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value]

/** The `name` attributes of a collection, e.g. names(text, "workbooks", "workbook"). */
export const names = (text: string, collection: string, element: string): ReadonlyArray<string> =>
  list(at(parseXml(text), "tsResponse", collection, element)).map((item) => String(at(item, "name")))

/** The pagination attributes of a list answer. */
export const pagination = (text: string) => {
  const element = at(parseXml(text), "tsResponse", "pagination")
  return {
    pageNumber: Number(at(element, "pageNumber")),
    pageSize: Number(at(element, "pageSize")),
    totalAvailable: Number(at(element, "totalAvailable"))
  }
}

export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/** Sends a request through the layer's HttpClient, with the raw URL path and query. */
export const send = (
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: {
    readonly token?: string
    readonly body?: string | Uint8Array
    readonly contentType?: string
    readonly headers?: Record<string, string>
  } = {}
): Effect.Effect<Answer, HttpClientError.HttpClientError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(`http://tableau.emulator${path}`)
    if (options.token !== undefined) request = HttpClientRequest.setHeader(request, "X-Tableau-Auth", options.token)
    if (options.headers !== undefined) request = HttpClientRequest.setHeaders(request, options.headers)
    if (typeof options.body === "string") {
      request = HttpClientRequest.bodyText(request, options.body, options.contentType ?? "application/xml")
    } else if (options.body !== undefined) {
      request = HttpClientRequest.bodyUint8Array(request, options.body, options.contentType ?? "application/xml")
    }
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text }
  })

/** The `<error code>` of an answer, or undefined. */
export const errorCode = (answer: Answer): string | undefined => {
  const match = /<error code="(\d+)">/.exec(answer.text)
  return match?.[1]
}

const escape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;")

const site = (contentUrl: string, userId?: string) =>
  `<site contentUrl="${escape(contentUrl)}"/>${userId === undefined ? "" : `<user id="${escape(userId)}"/>`}`

/** Sign-in bodies, one per credential kind. */
export const bodies = {
  password: (name: string, password: string, contentUrl = "", userId?: string) =>
    `<tsRequest><credentials name="${escape(name)}" password="${escape(password)}">${
      site(contentUrl, userId)
    }</credentials></tsRequest>`,
  pat: (name: string, secret: string, contentUrl = "", userId?: string) =>
    `<tsRequest><credentials personalAccessTokenName="${escape(name)}" personalAccessTokenSecret="${escape(secret)}">${
      site(contentUrl, userId)
    }</credentials></tsRequest>`,
  jwt: (jwt: string, contentUrl = "", options: { readonly isUat?: boolean; readonly userId?: string } = {}) =>
    `<tsRequest><credentials jwt="${escape(jwt)}"${options.isUat === true ? ` isUat="true"` : ""}>${
      site(contentUrl, options.userId)
    }</credentials></tsRequest>`,
  switchSite: (contentUrl: string) => `<tsRequest><site contentUrl="${escape(contentUrl)}"/></tsRequest>`
}

/** The credentials of a sign-in answer. */
export const credentialsOf = (answer: Answer) => {
  const credentials = at(parseXml(answer.text), "tsResponse", "credentials")
  const estimate = at(credentials, "estimatedTimeToExpiration")
  return {
    token: String(at(credentials, "token")),
    siteId: String(at(credentials, "site", "id")),
    contentUrl: String(at(credentials, "site", "contentUrl")),
    userId: String(at(credentials, "user", "id")),
    estimatedTimeToExpiration: typeof estimate === "string" ? estimate : undefined
  }
}

/** Signs in and answers the credentials; fails the test when the sign-in fails. */
export const signIn = (body: string, version = "3.24") =>
  Effect.gen(function*() {
    const answer = yield* send("POST", `/api/${version}/auth/signin`, { body })
    if (answer.status !== 200) return yield* Effect.dieMessage(`sign-in answered ${answer.status}: ${answer.text}`)
    return credentialsOf(answer)
  })

/** Signs in as admin with a password on the Default site. */
export const signInAdmin = signIn(bodies.password(defaults.admin.username, defaults.admin.password))

/** The emulator service. */
export const emulator = TableauEmulator.TableauEmulator

/** The default fixtures, but alice last signed in at `lastLogin` (bob never has). */
export const aliceSignedInAt = (lastLogin: string): Fixtures.Fixtures => {
  const fixtures = Fixtures.make()
  return { ...fixtures, users: fixtures.users.map((user) => user.name === "alice" ? { ...user, lastLogin } : user) }
}
