/**
 * The item classes decode what real servers send, through the generated wire model: strict
 * dates, open enumerations, personal-space workbooks.
 */
import * as Headers from "@effect/platform/Headers"
import { assert, describe, it } from "@effect/vitest"
import { Fixtures, TableauEmulator } from "@tableau-effect/emulator"
import { DateTime, Effect, FastCheck, Schema, Stream } from "effect"
import { Users, Workbooks } from "../src/index.js"
import { emulated } from "./support/EmulatedSession.js"

const response = (inner: string) => ({
  status: 200,
  contentType: "application/xml",
  url: "https://tableau.test/api/3.24/sites/s/workbooks",
  headers: Headers.empty,
  body:
    `<tsResponse xmlns="http://tableau.com/api"><pagination pageNumber="1" pageSize="100" totalAvailable="1"/>${inner}</tsResponse>`
})

const workbook = (attributes: string, children = `<project id="p" name="default"/><owner id="o"/>`) =>
  `<workbooks><workbook id="w" name="W" contentUrl="W" createdAt="2024-01-15T09:00:00Z" updatedAt="2024-01-16T09:00:00Z" ${attributes}>${children}</workbook></workbooks>`

describe("dates", () => {
  for (const createdAt of ["2016-06-31T20:34:04Z", "1", "June 5, 2016", "2016-08-03", "2016-08-03T20:34:04"]) {
    it.effect(`createdAt="${createdAt}" is a TableauDecodeError naming the field`, () =>
      Effect.gen(function*() {
        const body = workbook("").replace(`createdAt="2024-01-15T09:00:00Z"`, `createdAt="${createdAt}"`)
        const error = yield* Effect.flip(Workbooks.collection.decode(response(body)))
        assert.strictEqual(error._tag, "TableauDecodeError")
        assert.include(error.reason, "createdAt")
        assert.include(error.reason, "ISO 8601")
      }))
  }

  it.effect("an offset or a fraction is read as the instant it names, in UTC", () =>
    Effect.gen(function*() {
      const body = workbook("").replace(`createdAt="2024-01-15T09:00:00Z"`, `createdAt="2024-01-15T11:00:00.250+02:00"`)
      const { items } = yield* Workbooks.collection.decode(response(body))
      assert.strictEqual(DateTime.formatIso(items[0]!.createdAt), "2024-01-15T09:00:00.250Z")
    }))

  // Any instant a Date can hold, written as Tableau writes it (or with a fraction and an offset),
  // reads as the instant Date reads; years 0-99 are not taken for 1900-1999.
  it.prop(
    "every xs:dateTime with a zone reads as the instant it names",
    {
      instant: FastCheck.date({
        min: new Date("0000-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true
      }),
      offset: FastCheck.integer({ min: -14 * 60, max: 14 * 60 })
    },
    ({ instant, offset }) => {
      const local = new Date(instant.getTime() + offset * 60_000).toISOString().replace(/^\+0*(\d{4})/, "$1")
      const zone = offset === 0
        ? "Z"
        : `${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${
          String(Math.abs(offset) % 60).padStart(2, "0")
        }`
      const text = local.replace("Z", zone)
      if (!/^\d{4}-/.test(text)) return true
      const [decoded] = Schema.decodeUnknownSync(Schema.Array(Workbooks.Workbook))([{
        id: "w",
        name: "W",
        contentUrl: "W",
        createdAt: text,
        updatedAt: "2024-01-16T09:00:00Z",
        owner: { id: "o" }
      }])
      assert.strictEqual(DateTime.toEpochMillis(decoded!.createdAt), instant.getTime(), text)
    }
  )

  for (
    const [text, iso] of [
      ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"],
      ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
      ["0099-12-31T23:59:59Z", "0099-12-31T23:59:59.000Z"],
      ["1970-01-01T00:30:00+01:00", "1969-12-31T23:30:00.000Z"]
    ] as const
  ) {
    it.effect(`${text} is ${iso}`, () =>
      Effect.gen(function*() {
        const body = workbook("").replace(`createdAt="2024-01-15T09:00:00Z"`, `createdAt="${text}"`)
        const { items } = yield* Workbooks.collection.decode(response(body))
        assert.strictEqual(DateTime.formatIso(items[0]!.createdAt), iso)
      }))
  }

  for (
    const createdAt of [
      "1900-02-29T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-01-01T00:00:00+15:00",
      "275760-09-13T00:00:00-01:00"
    ]
  ) {
    it.effect(`createdAt="${createdAt}" names no instant and is a TableauDecodeError`, () =>
      Effect.gen(function*() {
        const body = workbook("").replace(`createdAt="2024-01-15T09:00:00Z"`, `createdAt="${createdAt}"`)
        const error = yield* Effect.flip(Workbooks.collection.decode(response(body)))
        assert.include(error.reason, "createdAt")
      }))
  }
})

describe("personal space", () => {
  it.effect("a workbook without <project> but with a <location> decodes; the page keeps every item", () =>
    Effect.gen(function*() {
      const personal =
        `<location id="9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f" type="PersonalSpace" name="Personal Space"/><owner id="o"/>`
      const { items } = yield* Workbooks.collection.decode(response(workbook("", personal)))
      assert.strictEqual(items.length, 1)
      assert.isUndefined(items[0]!.project)
      assert.deepStrictEqual(items[0]!.location, {
        id: "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f",
        name: "Personal Space",
        type: "PersonalSpace"
      })
    }))

  it.effect("a <project> without its id is still an error: optional is not lenient about a present element", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Workbooks.collection.decode(response(workbook("", `<project name="Default"/><owner id="o"/>`)))
      )
      assert.strictEqual(error._tag, "TableauDecodeError")
      assert.include(error.reason, "project")
    }))
})

describe("personal space on the emulator", () => {
  const personal = Fixtures.personalSpaceWorkbook
  const withPersonalWorkbook = <A, E, R>(use: Effect.Effect<A, E, R>) =>
    Effect.flatMap(TableauEmulator.TableauEmulator, (emulator) => emulator.addWorkbooks([personal])).pipe(
      Effect.zipRight(use)
    )

  it.effect("Workbooks.stream lists every workbook of the site, the personal-space one included", () =>
    withPersonalWorkbook(Stream.runCollect(Workbooks.stream({ pageSize: 10 }))).pipe(
      Effect.map((items) => {
        const all = [...items]
        assert.strictEqual(all.length, 26)
        const found = all.find((item) => item.id === personal.id)!
        assert.isUndefined(found.project)
        assert.strictEqual(found.location?.type, "PersonalSpace")
        assert.isTrue(all.filter((item) => item.id !== personal.id).every((item) => item.project !== undefined))
      }),
      Effect.provide(emulated())
    ))

  it.effect("Workbooks.get reads the personal-space workbook", () =>
    withPersonalWorkbook(Workbooks.get(personal.id)).pipe(
      Effect.map((workbook) => {
        assert.strictEqual(workbook.name, "Scratchpad")
        assert.isUndefined(workbook.project)
        assert.deepStrictEqual(workbook.location?.type, "PersonalSpace")
        assert.strictEqual(workbook.owner.id, personal.ownerId)
      }),
      Effect.provide(emulated())
    ))
})

describe("enumerations", () => {
  it.effect("a site role the schema no longer lists (Interactor) decodes as Tableau sent it", () =>
    Effect.gen(function*() {
      const { items } = yield* Users.collection.decode(
        response(
          `<users><user id="u" name="old" siteRole="Interactor" authSetting="ServerDefault" newAttribute="x"/></users>`
        )
      )
      assert.strictEqual(items[0]!.siteRole, "Interactor")
      assert.strictEqual(items[0]!.authSetting, "ServerDefault")
    }))
})
