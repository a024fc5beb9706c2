import { describe, expect, it } from "@effect/vitest"
import { Credentials } from "@tableau-effect/client"
import { Effect, Redacted } from "effect"
import * as util from "node:util"
import { signInBody } from "../src/internal/auth.js"

const USER = "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f"

describe("Credentials: the request XML of each kind", () => {
  it("personal access token, Default site", () => {
    const c = Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "s3cret" })
    expect(signInBody({ credentials: c })).toBe(
      `<tsRequest><credentials personalAccessTokenName="ci" personalAccessTokenSecret="s3cret"><site contentUrl=""/></credentials></tsRequest>`
    )
  })

  it("username and password with impersonation", () => {
    const c = Credentials.usernamePassword({
      username: "admin",
      password: "pw",
      site: "Sales",
      impersonateUserId: USER
    })
    expect(signInBody({ credentials: c })).toBe(
      `<tsRequest><credentials name="admin" password="pw"><site contentUrl="Sales"/><user id="${USER}"/></credentials></tsRequest>`
    )
  })

  it("JWT, and JWT with isUat", () => {
    const jwt = Redacted.make("a.b.c")
    expect(signInBody({ credentials: Credentials.jwt({ jwt, site: "acme" }), jwt })).toBe(
      `<tsRequest><credentials jwt="a.b.c"><site contentUrl="acme"/></credentials></tsRequest>`
    )
    expect(signInBody({ credentials: Credentials.jwt({ jwt, site: "acme", isUat: true }), jwt })).toBe(
      `<tsRequest><credentials jwt="a.b.c" isUat="true"><site contentUrl="acme"/></credentials></tsRequest>`
    )
  })

  it("escapes & < > \" ' in secrets and site names", () => {
    const c = Credentials.usernamePassword({ username: "o'neil", password: `p&<>"'w`, site: `R&D "EU"` })
    expect(signInBody({ credentials: c })).toBe(
      `<tsRequest><credentials name="o&apos;neil" password="p&amp;&lt;&gt;&quot;&apos;w">` +
        `<site contentUrl="R&amp;D &quot;EU&quot;"/></credentials></tsRequest>`
    )
  })

  it("accepts a Redacted secret as it is", () => {
    const secret = Redacted.make("from-vault")
    const c = Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: secret })
    expect(c.tokenSecret).toBe(secret)
  })
})

describe("Credentials: validation", () => {
  it.effect("decode turns untrusted input into credentials", () =>
    Effect.gen(function*() {
      const c = yield* Credentials.decode({ _tag: "PersonalAccessToken", tokenName: "ci", tokenSecret: "s" })
      expect(c._tag).toBe("PersonalAccessToken")
      expect(c.site).toBe("")
      if (c._tag === "PersonalAccessToken") expect(Redacted.value(c.tokenSecret)).toBe("s")
    }))

  it.effect("decode lists every problem by path, without the values", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Credentials.decode({
        _tag: "UsernamePassword",
        username: " padded ",
        password: "  hunter2-secret  ",
        impersonateUserId: "not-a-luid"
      }))
      expect(error._tag).toBe("TableauCredentialsError")
      expect(error.issues.map((i) => i.path.join("."))).toEqual(["username", "password", "impersonateUserId"])
      expect(error.message).toContain("password must not start or end with whitespace")
      expect(error.message).toContain("LUID")
      expect(error.message).not.toContain("hunter2")
      expect(JSON.stringify(error)).not.toContain("hunter2")
    }))

  it.effect("decode rejects an unknown kind and unknown fields", () =>
    Effect.gen(function*() {
      const unknownKind = yield* Effect.flip(Credentials.decode({ _tag: "Kerberos", ticket: "t" }))
      expect(unknownKind.issues[0]!.path).toEqual(["_tag"])
      const extra = yield* Effect.flip(
        Credentials.decode({ _tag: "Jwt", jwt: "a.b.c", isUat: "yes", sitee: "typo" })
      )
      expect(extra.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["isUat", "sitee"]))
    }))

  it.effect("validate catches what the constructors let through, e.g. an empty secret", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Credentials.validate(Credentials.personalAccessToken({ tokenName: "", tokenSecret: "" }))
      )
      expect(error.issues.map((i) => i.path.join("."))).toEqual(["tokenName", "tokenSecret"])
      expect(error.message).toContain("must not be empty")
    }))
})

describe("Credentials: secrets never print", () => {
  const all = [
    Credentials.personalAccessToken({ tokenName: "ci", tokenSecret: "PAT-SECRET-VALUE" }),
    Credentials.usernamePassword({ username: "admin", password: "PASSWORD-VALUE" }),
    Credentials.jwt({ jwt: "JWT-VALUE.x.y" })
  ]
  it("String, JSON.stringify and util.inspect show <redacted>", () => {
    for (const c of all) {
      for (const text of [String(c), JSON.stringify(c), util.inspect(c, { depth: 10 }), Credentials.describe(c)]) {
        expect(text).not.toMatch(/PAT-SECRET-VALUE|PASSWORD-VALUE|JWT-VALUE/)
      }
      expect(JSON.stringify(c)).toContain("<redacted>")
    }
  })
})
