import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { Xml } from "@tableau-effect/client"

const info = (body: string): Xml.ResponseInfo => ({ status: 200, contentType: "application/xml", url: "https://x/api", body })

const Workbooks = Xml.response({
  workbooks: Xml.collection("workbook", Schema.Struct({
    id: Schema.String,
    tags: Xml.collection("tag", Schema.Struct({ label: Schema.String }))
  }))
})

describe("Xml", () => {
  it.effect("a collection of one is an array; an empty collection is empty", () =>
    Effect.gen(function*() {
      const one = yield* Xml.decode(Workbooks)(info(
        `<tsResponse xmlns="http://tableau.com/api"><workbooks><workbook id="w1"><tags><tag label="a"/></tags></workbook></workbooks></tsResponse>`
      ))
      expect(one.tsResponse.workbooks).toEqual([{ id: "w1", tags: [{ label: "a" }] }])
      const none = yield* Xml.decode(Workbooks)(info(`<tsResponse xmlns="http://tableau.com/api"><workbooks/></tsResponse>`))
      expect(none.tsResponse.workbooks).toEqual([])
    }))

  it.effect("reads prefixed element and attribute names by their local names, a prefixed collection of one still an array", () =>
    Effect.gen(function*() {
      const body = `<t:tsResponse xmlns:t="http://tableau.com/api" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
        `xsi:schemaLocation="x"><t:workbooks><t:workbook t:id="w1"><t:tags><t:tag label="a"/></t:tags></t:workbook>` +
        `</t:workbooks></t:tsResponse>`
      const decoded = yield* Xml.decode(Workbooks)(info(body))
      expect(decoded.tsResponse.workbooks).toEqual([{ id: "w1", tags: [{ label: "a" }] }])
      const tree = Xml.parse(body)
      expect(Either.isRight(tree) && (tree.right as { tsResponse: Record<string, unknown> }).tsResponse).toMatchObject({
        schemaLocation: "x",
        "xmlns:t": "http://tableau.com/api"
      })
    }))

  it("decodes character references and keeps values as strings", () => {
    const tree = Xml.parse(`<tsResponse><site name="R&amp;D &#38; &#x3C;EU&#x3E;" size="007"/></tsResponse>`)
    expect(tree).toEqual(Either.right({ tsResponse: { site: { name: "R&D & <EU>", size: "007" } } }))
  })

  it("decodes the five predefined entities once, with or without character references in the body", () => {
    const site = `<site name="&amp;#233; &lt;b&gt; &quot;q&quot; &apos;a&apos;"/>`
    const expected = { name: `&#233; <b> "q" 'a'` }
    expect(Xml.parse(`<tsResponse>${site}</tsResponse>`)).toEqual(Either.right({ tsResponse: { site: expected } }))
    expect(Xml.parse(`<tsResponse>${site}<x n="&#233;"/></tsResponse>`)).toEqual(
      Either.right({ tsResponse: { site: expected, x: { n: "é" } } })
    )
  })

  it("finds the end of <tsResponse> before a trailer longer than the tail it looks at first", () => {
    const doc = `<tsResponse><site name="a"/></tsResponse>`
    const trailer = `<!-- ${"x".repeat(10_000)} -->\n`
    expect(Xml.parse(`${doc}${trailer}`)).toEqual(Either.right({ tsResponse: { site: { name: "a" } } }))
    expect(Xml.parse(`${"<!-- pad -->".repeat(1000)}<tsResponse><site name="a"/>`)).toEqual(
      Either.left("the XML is truncated: <tsResponse> is never closed")
    )
  })

  it("rejects any DOCTYPE, even a harmless one", () => {
    expect(Xml.parse(`<!DOCTYPE tsResponse><tsResponse/>`)).toEqual(
      Either.left("the body declares a DOCTYPE, which is never accepted")
    )
  })

  it("builds elements with escaped attributes and leaves out undefined ones", () => {
    expect(Xml.element("site", { contentUrl: `a&b<c>"d"'e'`, skip: undefined })).toBe(
      `<site contentUrl="a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;"/>`
    )
    expect(Xml.element("a", {}, ["<b/>"])).toBe("<a><b/></a>")
  })

  it("excerpts are short, one line, and hide token-like attributes", () => {
    const e = Xml.excerpt(`<x token="abc" password='p'>\n${"y".repeat(500)}</x>`)
    expect(e.length).toBeLessThanOrEqual(200)
    expect(e).not.toContain("abc")
    expect(e).toContain(`token="<redacted>"`)
    expect(e).not.toContain("\n")
  })

  it.effect("a wrong shape names the path, not the value", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Xml.decode(Workbooks)(info(`<tsResponse><workbooks><workbook name="x"/></workbooks></tsResponse>`)))
      expect(error.reason).toBe("unexpected shape: tsResponse.workbooks.0.id is missing")
    }))
})
