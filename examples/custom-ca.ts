/**
 * A server with a self-signed or private-CA certificate: trust its CA with the Node transport,
 * TSC's `server.add_http_options({'verify': '/path/to/cert.pem'})`. `TableauNode.layerConfig()`
 * reads the CA file from TABLEAU_CA_FILE (Node's own NODE_EXTRA_CA_CERTS works too). The example
 * first tries without it, to show the error you would meet.
 *
 *   TABLEAU_SERVER_URL=https://tableau.internal TABLEAU_CA_FILE=/path/to/ca.pem \
 *   TABLEAU_PAT_NAME=... TABLEAU_PAT_SECRET=... npx tsx custom-ca.ts
 *   (or, against the bundled emulator over https: npm run example -w examples -- custom-ca)
 */
import { TableauServer, TableauSession } from "@tableau-effect/client"
import { TableauNode, TableauRuntime } from "@tableau-effect/node"
import { Config, Effect, Layer } from "effect"

const signedIn = TableauSession.state.pipe(
  Effect.provide(TableauSession.layerConfig().pipe(Layer.provide(TableauServer.layerConfig())))
)

const program = Effect.gen(function*() {
  const caFile = yield* Config.string("TABLEAU_CA_FILE")

  const untrusted = yield* signedIn.pipe(Effect.provide(TableauNode.layer()), Effect.either)
  if (untrusted._tag === "Left") {
    yield* Effect.logInfo(`Without the CA: ${untrusted.left._tag}: ${untrusted.left.message}`)
  } else yield* Effect.logInfo("Without the CA: signed in too (a publicly trusted certificate needs no CA file)")

  const state = yield* signedIn.pipe(Effect.provide(TableauNode.layerConfig()))
  yield* Effect.logInfo(`With tls.ca = ${caFile}: signed in to site id ${state.siteId}`)
})

TableauRuntime.runMain(program)
