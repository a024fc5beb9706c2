/**
 * Every scan of server text runs in linear time (issue 13, hole 4): for each hostile shape, the
 * time for an input 4 times larger is less than 10 times the time for the smaller one (linear
 * gives about 4, quadratic 16, exponential far more). Medians of several runs, measured in one
 * test run, so a loaded machine slows both sides alike.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { TableauServer, Xml } from "@tableau-effect/client"
import { Effect, Redacted } from "effect"
import { excerpt, scrub } from "../../src/internal/redact.js"

const NS = `xmlns="http://tableau.com/api"`
const ROOT = `<tsResponse ${NS}><site id="1"/></tsResponse>`

const median = (f: () => void): number => {
  const times: Array<number> = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    f()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[2]!
}

/** The ratio of times for sizes 4n and n; a floor of 1 ms keeps tiny timings from deciding. */
const growth = (make: (n: number) => string, scan: (text: string) => unknown, n: number): number => {
  const small = make(n)
  const large = make(4 * n)
  scan(small) // warm up the JIT
  const a = median(() => scan(small))
  const b = median(() => scan(large))
  return b / Math.max(a, 1)
}

const shapes: ReadonlyArray<readonly [string, (n: number) => string]> = [
  ["empty comments after the root", (n) => ROOT + "<!---->".repeat(n)],
  ["unclosed comments after the root", (n) => ROOT + "<!--".repeat(n)],
  ["comments before the root", (n) => "<!---->".repeat(n) + ROOT],
  ["unclosed processing instructions", (n) => "<?x ".repeat(n) + ROOT],
  ["a run of <", (n) => "<".repeat(n)],
  ["a root never closed, full of <tsResponse", (n) => `<tsResponse ${NS}>` + "<tsResponse".repeat(n)],
  ["a start tag with endless attributes", (n) => "<tsResponse" + ` a="1"`.repeat(n)],
  ["a namespace prefix that never ends", (n) => "<" + "a".repeat(n)],
  ["a closing tag padded with spaces", (n) => `<tsResponse ${NS}></tsResponse` + " ".repeat(n)],
  [
    "character references with endless zeros",
    (n) => `<tsResponse ${NS}><a b="${"&#".repeat(n)}${"0".repeat(n)}"/></tsResponse>`
  ],
  ["comment markers inside a long trailer", (n) => ROOT + "<!-- -- ".repeat(n) + "-->"]
]

describe("linear scans of server text", () => {
  for (const [name, make] of shapes) {
    it(`Xml.parse: ${name}`, () => {
      expect(growth(make, (text) => Xml.parse(text, { validate: false }), 20_000)).toBeLessThan(10)
    })
  }

  const SECRET = [Redacted.make("S3cr&t\"<x>'sé cret-9f8e7d"), Redacted.make("TOKEN-0123456789")]
  const texts: ReadonlyArray<readonly [string, (n: number) => string]> = [
    ["ampersands", (n) => "&#".repeat(n)],
    ["percent signs", (n) => "%2".repeat(n)],
    ["backslashes", (n) => "\\u00".repeat(n)],
    ["almost the secret, over and over", (n) => "S3cr&amp;t".repeat(n)],
    ["the secret escaped, over and over", (n) => "S3cr%26t%22%3Cx%3E'sé%20cret-9f8e7d ".repeat(n)]
  ]
  for (const [name, make] of texts) {
    it(`scrub: ${name}`, () => {
      expect(growth(make, (text) => scrub(text, SECRET), 5_000)).toBeLessThan(10)
    })
  }

  it("excerpt: secret-looking attributes without an end", () => {
    expect(growth((n) => `token="${"x".repeat(n)}` + ` password=${" ".repeat(n)}`, (text) => excerpt(text), 50_000))
      .toBeLessThan(10)
  })

  it.effect("a 429 detail of digits is classified in linear time", () =>
    Effect.gen(function*() {
      const answerWith = (detail: string) =>
        HttpClient.make((request) =>
          Effect.succeed(HttpClientResponse.fromWeb(
            request,
            new Response(
              `<tsResponse ${NS}><error code="429000"><summary>S</summary><detail>${detail}</detail></error></tsResponse>`,
              { status: 429, headers: { "content-type": "application/xml" } }
            )
          ))
        )
      const timeFor = (n: number) =>
        Effect.gen(function*() {
          const times: Array<number> = []
          for (let i = 0; i < 5; i++) {
            const started = performance.now()
            yield* Effect.scoped(
              Effect.gen(function*() {
                const server = yield* TableauServer.make({
                  url: "https://tableau.test",
                  apiVersion: "3.24",
                  retry: false
                })
                const error = yield* Effect.flip(server.execute(HttpClientRequest.get("/api/3.24/sites")))
                expect(error._tag).toBe("TableauApiError")
              }).pipe(Effect.provideService(HttpClient.HttpClient, answerWith("9".repeat(n) + " 1 2 3")))
            )
            times.push(performance.now() - started)
          }
          return times.sort((a, b) => a - b)[2]!
        })
      yield* timeFor(1_000)
      const small = yield* timeFor(20_000)
      const large = yield* timeFor(80_000)
      expect(large / Math.max(small, 1)).toBeLessThan(10)
    }))
})
