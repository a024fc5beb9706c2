/**
 * Every request body the SDK sends, checked against Tableau's XSD: sign-in with each credential
 * kind (impersonation included) and switchSite, as they crossed the wire to the emulator.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { ConnectedApp, EmulatorSchema, Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { Effect, Layer } from "effect"
import { xsdPath } from "../../../test-support/xsd.js"

const { defaults, ids } = Fixtures

/** Signs in (and out) with the credentials, then runs `then`; answers the bodies sent, in order. */
const bodiesOf = (
  credentials: Credentials.Credentials,
  options: {
    readonly apiVersion?: string
    readonly then?: (session: TableauSession.Service) => Effect.Effect<unknown, unknown>
  } = {}
) =>
  Effect.gen(function*() {
    const sent: Array<string> = []
    const decoder = new TextDecoder()
    const emulator = TableauEmulator.layer({ apiVersion: options.apiVersion ?? "3.24" })
    const recording = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (client) =>
        HttpClient.tapRequest(client, (request) =>
          Effect.sync(() => {
            if (request.body._tag === "Uint8Array") sent.push(decoder.decode(request.body.body))
          })))
    ).pipe(Layer.provide(emulator))
    // A refused sign-in still sent its body: the bodies are what counts here, not the outcome.
    const outcome = yield* Effect.scoped(
      Effect.flatMap(TableauSession.signIn(credentials), (session) => options.then?.(session) ?? Effect.void)
    ).pipe(
      Effect.provide(TableauServer.layer({ url: "http://tableau.emulator", apiVersion: options.apiVersion ?? "3.24" })),
      Effect.provide(recording),
      Effect.exit
    )
    return { sent, succeeded: outcome._tag === "Success" }
  })

describe.skipIf(xsdPath === undefined)("the SDK's request bodies validate against ts-api_3_29.xsd", () => {
  const xsd = xsdPath ?? ""

  it.effect(
    "sign-in with a password, a PAT, a JWT, a unified access token, impersonation; switchSite",
    () =>
      Effect.gen(function*() {
        const { admin, alice } = defaults
        const jwt = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "alice" })
        const uat = yield* ConnectedApp.mintJwt({ ...defaults.connectedApp, username: "alice" })
        const runs: Record<string, { readonly sent: ReadonlyArray<string>; readonly succeeded: boolean }> = {
          password: yield* bodiesOf(
            Credentials.usernamePassword({ username: admin.username, password: `${admin.password}` })
          ),
          pat: yield* bodiesOf(
            Credentials.personalAccessToken({ tokenName: alice.patName, tokenSecret: alice.patSecret })
          ),
          jwt: yield* bodiesOf(Credentials.jwt({ jwt })),
          uat: yield* bodiesOf(Credentials.jwt({ jwt: uat, isUat: true, site: defaults.sites.marketing }), {
            apiVersion: "3.27"
          }),
          impersonation: yield* bodiesOf(Credentials.personalAccessToken({
            tokenName: admin.patName,
            tokenSecret: admin.patSecret,
            impersonateUserId: ids.users.bob
          })),
          "escaped values": yield* bodiesOf(
            Credentials.usernamePassword({ username: "o'neil & co", password: `p'&<>"` })
          ),
          switchSite: yield* bodiesOf(
            Credentials.usernamePassword({ username: admin.username, password: admin.password }),
            { then: (session) => session.switchSite(defaults.sites.marketing) }
          )
        }
        const named: Record<string, string> = {}
        for (const [kind, run] of Object.entries(runs)) {
          expect(run.succeeded, kind).toBe(kind !== "escaped values")
          run.sent.forEach((body, index) => (named[`${kind} #${index + 1}`] = body))
        }
        // Sign-in bodies for each kind, and the switchSite body after its sign-in.
        expect(Object.keys(named)).toContain("switchSite #2")
        expect(named["escaped values #1"]).toContain(`name="o&apos;neil &amp; co"`)
        expect(named["uat #1"]).toContain(`isUat="true"`)
        expect(named["impersonation #1"]).toContain(`<user id="${ids.users.bob}"/>`)
        expect(named["switchSite #2"]).toContain(`<site contentUrl="MarketingTeam"/>`)
        yield* EmulatorSchema.validate(named, { xsd })
      }),
    30_000
  )
})
