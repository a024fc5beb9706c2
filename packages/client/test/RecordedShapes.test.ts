/**
 * Answers in the shapes Tableau's REST reference documents and tableauserverclient's recorded
 * answers hold, where they are narrower than the 3.29 XSD: each decodes to what a caller reads.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  Credentials,
  Datasources,
  Groups,
  Jobs,
  TableauServer,
  TableauSession,
  Workbooks
} from "@tableau-effect/client"
import { Effect, Layer, Schema } from "effect"
import { BASE, fake, happyServer, xml } from "./support/FakeTableau.js"

const WORKBOOK = "3cc6cd06-89ce-4fdc-b935-5294135d6d42"
const DATASOURCE = "9dbd2263-16b5-46e1-9c43-a76bb8ab65fb"
const GROUP = "ef8b19c0-43b6-11e6-af50-63f5805dbe3c"
const PROJECT = "1d0304cd-3796-429f-b815-7258370b9b74"
const OWNER = "dd2239f6-ddf1-4107-981a-4cf94e415794"

/** A session whose every call other than sign-in and sign-out is answered with `body`. */
const answering = (body: string) => {
  const s = fake(happyServer((r) => r.path.includes("/auth/") ? undefined : { body: xml(body) }))
  return TableauSession.layer(Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "pat-secret" })).pipe(
    Layer.provide(TableauServer.layer({ url: BASE, apiVersion: "3.24" })),
    Layer.provide(s.layer)
  )
}

const refreshJob = (content: string) =>
  `<job id="7c3d599e-949f-44c3-94a1-f30ba85757e4" mode="Asynchronous" type="RefreshExtract" ` +
  `createdAt="2020-03-05T22:05:32Z"><extractRefreshJob>${content}</extractRefreshJob></job>`

describe("a refresh's job, without the <notes> the XSD requires", () => {
  it.effect("Workbooks.refresh answers the queued job, naming the workbook", () =>
    Effect.gen(function*() {
      const job = yield* Workbooks.refresh(WORKBOOK)
      assert.strictEqual(job.type, "RefreshExtract")
      assert.strictEqual(job.extractRefreshJob?.workbook?.id, WORKBOOK)
      assert.isUndefined(job.extractRefreshJob?.notes)
      assert.deepStrictEqual(Jobs.notesOf(job), [])
    }).pipe(Effect.provide(answering(refreshJob(`<workbook id="${WORKBOOK}" name="Superstore"/>`)))))

  it.effect("Datasources.refresh the same, naming the data source", () =>
    Effect.gen(function*() {
      const job = yield* Datasources.refresh(DATASOURCE)
      assert.strictEqual(job.extractRefreshJob?.datasource?.name, "Sample datasource")
    }).pipe(Effect.provide(answering(refreshJob(`<datasource id="${DATASOURCE}" name="Sample datasource"/>`)))))

  it.effect("notes, when a finished job has them, are still read", () =>
    Effect.gen(function*() {
      const job = yield* Jobs.get("7c3d599e-949f-44c3-94a1-f30ba85757e4")
      assert.deepStrictEqual(Jobs.notesOf(job), ["Login failed for user."])
    }).pipe(
      Effect.provide(answering(refreshJob(`<notes>Login failed for user.</notes><workbook id="${WORKBOOK}"/>`)))
    ))
})

describe("an Active Directory group's <import> without its source", () => {
  const group = `<group id="${GROUP}" name="Analysts">` +
    `<import domainName="example.org" siteRole="ExplorerCanPublish" grantLicenseMode="onLogin"/></group>`

  it.effect("Groups.update reads the domain, role and license mode", () =>
    Effect.gen(function*() {
      const updated = yield* Groups.update(GROUP, { name: "Analysts" })
      assert.deepStrictEqual(updated.import, {
        domainName: "example.org",
        siteRole: "ExplorerCanPublish",
        grantLicenseMode: "onLogin"
      })
    }).pipe(Effect.provide(answering(group))))

  it.effect("a page of groups keeps such a group", () =>
    Effect.gen(function*() {
      const { items } = yield* Groups.page({})
      assert.deepStrictEqual(items.map((item) => item.import?.domainName), ["example.org"])
    }).pipe(
      Effect.provide(
        answering(`<pagination pageNumber="1" pageSize="100" totalAvailable="1"/><groups>${group}</groups>`)
      )
    ))
})

describe("a data source's update answered with isCertified=\"True\" and its project by id alone", () => {
  it.effect("Datasources.update reads it certified, in that project", () =>
    Effect.gen(function*() {
      const datasource = yield* Datasources.update(DATASOURCE, { name: "Sample datasource" })
      assert.isTrue(datasource.isCertified)
      assert.strictEqual(datasource.certificationNote, "Checked by finance.")
      assert.deepStrictEqual(datasource.project, { id: PROJECT })
      assert.deepStrictEqual(datasource.owner, { id: OWNER })
    }).pipe(Effect.provide(answering(
      `<datasource id="${DATASOURCE}" name="Sample datasource" contentUrl="Sampledatasource" type="dataengine" ` +
        `createdAt="2016-08-04T21:31:55Z" updatedAt="2016-08-17T20:13:13Z" isCertified="True" ` +
        `certificationNote="Checked by finance."><project id="${PROJECT}"/><owner id="${OWNER}"/></datasource>`
    ))))
})

describe("xs:boolean from attribute text", () => {
  const decode = Schema.decodeUnknownEither(Datasources.Datasource)
  const base = { id: DATASOURCE, name: "Sample datasource" }

  it("reads true and false in any letter case, and 1 and 0", () => {
    const read = (text: string) => {
      const decoded = decode({ ...base, isCertified: text })
      return decoded._tag === "Right" ? decoded.right.isCertified : decoded.left.message
    }
    for (const text of ["true", "True", "TRUE", "1"]) assert.strictEqual(read(text), true, text)
    for (const text of ["false", "False", "0"]) assert.strictEqual(read(text), false, text)
  })

  it("refuses any other text, naming the field", () => {
    for (const text of ["yes", "", "t", "truth", " true"]) {
      const decoded = decode({ ...base, isCertified: text })
      assert.isTrue(decoded._tag === "Left" && String(decoded.left).includes("isCertified"), text)
    }
  })

  it("is written back as true or false", () => {
    const datasource = Schema.decodeUnknownSync(Datasources.Datasource)({ ...base, isCertified: "True" })
    assert.strictEqual(Schema.encodeSync(Datasources.Datasource)(datasource).isCertified, "true")
  })
})
