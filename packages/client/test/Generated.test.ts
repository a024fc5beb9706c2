import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Either, Schema } from "effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { root, xsdPath } from "../../../test-support/xsd.js"
import { Generated, Xml } from "../src/index.js"

const decode = <A, I>(schema: Schema.Schema<A, I>) => Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })

const tree = (xml: string): Record<string, unknown> => {
  const parsed = Xml.parse(`<tsResponse xmlns="http://tableau.com/api">${xml}</tsResponse>`)
  if (Either.isLeft(parsed)) throw new Error(parsed.left)
  return (parsed.right as { tsResponse: Record<string, unknown> }).tsResponse
}

describe("Generated.ts", () => {
  it.skipIf(xsdPath === undefined)("is what the generator writes from ts-api_3_29.xsd now", () => {
    const written = execFileSync(
      process.execPath,
      ["--import", "tsx", path.join(root, "scripts/generate-schemas.ts"), xsdPath!, "--stdout"],
      { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }
    )
    const committed = fs.readFileSync(path.join(root, "packages/client/src/Generated.ts"), "utf8")
    // Not toEqual on 6000 lines: a mismatch says what to run, not a diff of the whole module.
    expect(written === committed, "Generated.ts is stale: run `npm run generate` and commit it").toBe(true)
  })
})

describe("the generated wire model", () => {
  it.effect("a list of one is a list, by the schema: <dataQualityWarningList> with one warning", () =>
    Effect.sync(() => {
      const parsed = tree(
        `<dataQualityWarningList><dataQualityWarning id="9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f" type="Deprecated"/></dataQualityWarningList>`
      )
      const list = decode(Generated.DataQualityWarningListType)(parsed["dataQualityWarningList"])
      expect(Either.getOrThrow(list).dataQualityWarning.map((warning) => warning.type)).toEqual(["Deprecated"])
    }))

  it.effect("an empty or absent list is an empty list", () =>
    Effect.sync(() => {
      expect(Either.getOrThrow(decode(Generated.TagListType)({})).tag).toEqual([])
      const workbooks = decode(Generated.WorkbookListType)({})
      expect(Either.getOrThrow(workbooks).workbook).toEqual([])
    }))

  it.effect("enumerations are open: a value the schema no longer lists decodes as it came", () =>
    Effect.sync(() => {
      const user = decode(Generated.UserType)({ id: "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", siteRole: "Interactor" })
      expect(Either.getOrThrow(user).siteRole).toBe("Interactor")
      const known: Generated.UserType["Type"]["siteRole"] = "Creator"
      expect(Either.getOrThrow(decode(Generated.UserType)({ siteRole: known })).siteRole).toBe("Creator")
    }))

  it.effect("booleans, counts and dates decode from attribute text; unknown attributes are ignored", () =>
    Effect.sync(() => {
      const workbook = Either.getOrThrow(
        decode(Generated.WorkbookType)({
          hasExtracts: "true",
          size: "12",
          createdAt: "2016-08-03T20:34:04Z",
          futureAttribute: "x"
        })
      )
      expect(workbook.hasExtracts).toBe(true)
      expect(workbook.size).toBe(12)
      expect(DateTime.formatIso(workbook.createdAt!)).toBe("2016-08-03T20:34:04.000Z")
      expect("futureAttribute" in workbook).toBe(false)
    }))

  it.effect("a date that does not exist fails, naming the field", () =>
    Effect.sync(() => {
      for (
        const createdAt of ["2016-06-31T00:00:00Z", "1", "June 5, 2016", "2016-02-30T10:00:00Z", "2016-08-03T24:00:00Z"]
      ) {
        const result = decode(Generated.WorkbookType)({ createdAt })
        expect(Either.isLeft(result), createdAt).toBe(true)
        if (Either.isLeft(result)) expect(String(result.left)).toContain("createdAt")
      }
      // 2016 is a leap year; 1900 is not.
      expect(Either.isRight(decode(Generated.WorkbookType)({ createdAt: "2016-02-29T10:00:00Z" }))).toBe(true)
      expect(Either.isLeft(decode(Generated.WorkbookType)({ createdAt: "1900-02-29T10:00:00Z" }))).toBe(true)
    }))

  it.effect("required attributes stay required: <tag> without a label fails", () =>
    Effect.sync(() => {
      expect(Either.isLeft(decode(Generated.TagType)({}))).toBe(true)
    }))

  it.effect("serverInfo keeps the schema's elements, text content with attributes included", () =>
    Effect.sync(() => {
      const parsed = tree(
        `<serverInfo><productVersion build="20242.24.0711.1636">2024.2.0</productVersion><prepConductorVersion>20242.24.0711.1636</prepConductorVersion><restApiVersion>3.23</restApiVersion><platform>linux</platform><serverSettings><oAuthEnabled>true</oAuthEnabled><sheetImageMaxAgeFloor>1</sheetImageMaxAgeFloor><sheetImageMaxAgeCeiling>60</sheetImageMaxAgeCeiling><offlineInteractionSupportedPhase>0</offlineInteractionSupportedPhase></serverSettings></serverInfo>`
      )
      const info = Either.getOrThrow(decode(Generated.ServerInfo)(parsed["serverInfo"]))
      expect(info.productVersion).toEqual({ text: "2024.2.0", build: "20242.24.0711.1636" })
      expect(info.platform).toBe("linux")
      expect(info.serverSettings.oAuthEnabled).toBe(true)
    }))
})
