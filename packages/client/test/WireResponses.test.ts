/**
 * The envelopes of internal/wireResponses.ts, derived from the generated wire model, decode what
 * servers old and new send (TableauServer, auth, classify and Pagination use them).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Workbooks, Xml } from "../src/index.js"
import * as Wire from "../src/internal/wireResponses.js"

const info = (body: string) => ({
  status: 200,
  contentType: "application/xml",
  url: "https://tableau.test/api/3.24/x",
  body
})
const SITE = "a946d998-2ead-4894-bb50-1054a91dcab3"
const USER = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"
const doc = (inner: string) => `<tsResponse xmlns="http://tableau.com/api">${inner}</tsResponse>`

describe("serverinfo", () => {
  it.effect("decodes a 3.29 answer and an older one without prepConductorVersion and platform", () =>
    Effect.gen(function*() {
      const decode = Xml.decode(Wire.ServerInfoResponse)
      const complete = yield* decode(info(doc(
        `<serverInfo><productVersion build="20261.26.0101.0000">2026.2.0</productVersion><prepConductorVersion>20261.26.0101.0000</prepConductorVersion><restApiVersion>3.29</restApiVersion><platform>linux</platform><serverSettings><oAuthEnabled>true</oAuthEnabled><sheetImageMaxAgeFloor>1</sheetImageMaxAgeFloor><sheetImageMaxAgeCeiling>60</sheetImageMaxAgeCeiling><offlineInteractionSupportedPhase>0</offlineInteractionSupportedPhase></serverSettings></serverInfo>`
      )))
      assert.deepStrictEqual(complete.tsResponse.serverInfo.productVersion, {
        text: "2026.2.0",
        build: "20261.26.0101.0000"
      })
      assert.strictEqual(complete.tsResponse.serverInfo.platform, "linux")
      const old = yield* decode(
        info(doc(`<serverInfo><productVersion>10.5</productVersion><restApiVersion>3.0</restApiVersion></serverInfo>`))
      )
      assert.deepStrictEqual(old.tsResponse.serverInfo.productVersion, { text: "10.5" })
      assert.isUndefined(old.tsResponse.serverInfo.platform)
    }))
})

describe("sign-in", () => {
  it.effect("requires a token, a site id and a user id, the ids LUIDs; contentUrl defaults to the Default site", () =>
    Effect.gen(function*() {
      const decode = Xml.decode(Wire.SignInResponse)
      const ok = yield* decode(
        info(
          doc(
            `<credentials token="t|1" estimatedTimeToExpiration="177:05:38"><site id="${SITE}"/>` +
              `<user id="${USER}"/></credentials>`
          )
        )
      )
      assert.strictEqual(ok.tsResponse.credentials.site.contentUrl, "")
      assert.strictEqual(ok.tsResponse.credentials.estimatedTimeToExpiration, "177:05:38")
      const noToken = yield* Effect.flip(
        decode(info(doc(`<credentials><site id="${SITE}"/><user id="${USER}"/></credentials>`)))
      )
      assert.include(noToken.reason, "token")
      const pathLike = yield* Effect.flip(
        decode(info(doc(`<credentials token="t|1"><site id="../../x"/><user id="${USER}"/></credentials>`)))
      )
      assert.include(pathLike.reason, "must be a Tableau LUID")
    }))
})

describe("errors", () => {
  it.effect("keeps the code as text, and summary and detail default to empty", () =>
    Effect.gen(function*() {
      const decoded = yield* Xml.decode(Wire.ErrorResponse)(info(doc(`<error code="401002"/>`)))
      assert.deepStrictEqual(decoded.tsResponse.error, { code: "401002", summary: "", detail: "" })
    }))
})

describe("an item that does not decode", () => {
  it.effect("fails the page naming the item's index and id", () =>
    Effect.gen(function*() {
      const Page = Xml.response({
        items: Wire.collection("workbook", Workbooks.Workbook).pipe(
          Schema.propertySignature,
          Schema.fromKey("workbooks")
        )
      })
      const item = (id: string, extra = "") =>
        `<workbook id="${id}" name="W" contentUrl="W" createdAt="2024-01-15T09:00:00Z" updatedAt="2024-01-15T09:00:00Z"${extra}><owner id="o"/></workbook>`
      const good = yield* Xml.decode(Page)(info(doc(`<workbooks>${item("a")}</workbooks>`)))
      assert.strictEqual(good.tsResponse.items.length, 1)
      const error = yield* Effect.flip(
        Xml.decode(Page)(info(doc(`<workbooks>${item("a")}${item("b", ` size="big"`)}</workbooks>`)))
      )
      assert.strictEqual(error._tag, "TableauDecodeError")
      assert.include(error.reason, "item 1 (id b): size")
    }))
})
