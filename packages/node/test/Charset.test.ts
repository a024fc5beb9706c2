/**
 * A body in the charset it declares reaches the SDK as those bytes over TableauNode, with a
 * Content-Length as with chunks: the transport must not decode it as UTF-8 on the way.
 */
import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession, Workbooks } from "@tableau-effect/client"
import { TableauNode } from "@tableau-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { serve } from "./support/servers.js"

const SITE = "a946d998-2ead-4894-bb50-1054a91dcab3"
const signIn = `<?xml version="1.0" encoding="UTF-8"?><tsResponse xmlns="http://tableau.com/api">` +
  `<credentials token="t"><site id="${SITE}" contentUrl=""/><user id="9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"/>` +
  `</credentials></tsResponse>`
const page = `<?xml version="1.0" encoding="ISO-8859-1"?><tsResponse xmlns="http://tableau.com/api">` +
  `<pagination pageNumber="1" pageSize="100" totalAvailable="1"/><workbooks>` +
  `<workbook id="00000000-0000-4000-8000-000000000001" name="Café" contentUrl="Cafe" ` +
  `createdAt="2024-01-01T00:00:00Z" updatedAt="2024-01-01T00:00:00Z"><owner id="9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"/>` +
  `</workbook></workbooks></tsResponse>`

describe("TableauNode and declared charsets", () => {
  for (const framing of ["content-length", "chunked"] as const) {
    it.scoped(`an ISO-8859-1 page with ${framing} decodes its é`, () =>
      Effect.gen(function*() {
        const server = yield* serve((request, response) => {
          request.resume()
          const body = Buffer.from(request.url?.includes("signin") ? signIn : page, "latin1")
          const headers: Record<string, string> = { "content-type": "application/xml;charset=ISO-8859-1" }
          if (framing === "content-length") headers["content-length"] = String(body.length)
          if (request.url?.includes("signout")) return response.writeHead(204).end()
          response.writeHead(200, headers)
          if (framing === "chunked") response.write(body.subarray(0, 10))
          response.end(framing === "chunked" ? body.subarray(10) : body)
        })
        const { items } = yield* Workbooks.page().pipe(
          Effect.provide(
            TableauSession.layer(Credentials.personalAccessToken({ tokenName: "n", tokenSecret: "s" })).pipe(
              Layer.provide(TableauServer.layer({ url: server.url, apiVersion: "3.24" })),
              Layer.provide(TableauNode.layer())
            )
          )
        )
        expect(items.map((workbook) => workbook.name)).toEqual(["Café"])
      }))
  }
})
