/**
 * A server with a self-signed or private-CA certificate: trust its CA with the Node transport,
 * TSC's `server.add_http_options({'verify': '/path/to/cert.pem'})`. Without it the sign-in fails
 * with a TableauTransportError whose hint names this option.
 *
 *   npx tsx --conditions=@tableau-effect/source examples/custom-ca.ts
 *   (TABLEAU_SERVER_URL, TABLEAU_CA_FILE and credential variables to use a real server)
 */
import { Effect, Layer } from "effect"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { EmulatorServer, Fixtures } from "@tableau-effect/emulator"
import { TableauNode } from "@tableau-effect/node"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { runIfMain } from "./support/Target.js"

const signIn = (url: string, credentials: Credentials.Credentials, transport: TableauNode.Options) =>
  TableauSession.state.pipe(
    Effect.provide(TableauSession.layer(credentials).pipe(
      Layer.provide(TableauServer.layer({ url, apiVersion: "auto" })),
      Layer.provide(TableauNode.layer(transport))
    ))
  )

export const main = Effect.scoped(Effect.gen(function*() {
  const fromEnv = process.env.TABLEAU_SERVER_URL
  if (fromEnv !== undefined && process.env.TABLEAU_CA_FILE !== undefined) {
    const credentials = yield* Credentials.config
    const state = yield* signIn(fromEnv, credentials, { tls: { ca: process.env.TABLEAU_CA_FILE } })
    console.log(`Signed in over TLS with the CA in ${process.env.TABLEAU_CA_FILE}: site id ${state.siteId}`)
    return
  }
  yield* onServer(yield* EmulatorServer.serve({ https: "self-signed" }))
}))

/** The demonstration on an emulator that serves https with a self-signed certificate. */
export const onServer = (server: EmulatorServer.Server) => Effect.gen(function*() {
  const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tableau-ca-")), "ca.pem")
  fs.writeFileSync(caFile, server.caPem!)
  const { admin } = Fixtures.defaults
  const credentials = Credentials.personalAccessToken({ tokenName: admin.patName, tokenSecret: admin.patSecret })

  const untrusted = yield* Effect.flip(signIn(server.url, credentials, {}))
  console.log(`Without the CA: ${untrusted._tag}: ${untrusted.message}`)

  const state = yield* signIn(server.url, credentials, { tls: { ca: caFile } })
  console.log(`With tls.ca = ${caFile}: signed in to site id ${state.siteId}`)
})

runIfMain(import.meta.url, main)
