import { describe, expect, it } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { BASE, fake, happyServer } from "./support/FakeTableau.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("Config", () => {
  it.effect("reads a PAT, the site and the server from TABLEAU_* variables and signs in", () =>
    Effect.gen(function*() {
      const s = fake(happyServer())
      const TableauLive = TableauSession.layerConfig().pipe(
        Layer.provide(TableauServer.layerConfig()),
        Layer.provide(s.layer)
      )
      const state = yield* Effect.provide(TableauSession.state, TableauLive).pipe(withEnv({
        TABLEAU_SERVER_URL: BASE,
        TABLEAU_API_VERSION: "3.21",
        TABLEAU_SITE: "MarketingTeam",
        TABLEAU_PAT_NAME: "ci",
        TABLEAU_PAT_SECRET: "s3cret"
      }))
      expect(state.site).toBe("MarketingTeam")
      expect(s.recorded[0]!.path).toBe("/api/3.21/auth/signin")
      expect(s.recorded[0]!.body).toContain(`personalAccessTokenName="ci" personalAccessTokenSecret="s3cret"`)
    }))

  it.effect("each kind of credentials", () =>
    Effect.gen(function*() {
      const password = yield* Credentials.config.pipe(withEnv({ TABLEAU_USERNAME: "admin", TABLEAU_PASSWORD: "pw" }))
      expect(password._tag).toBe("UsernamePassword")
      const jwt = yield* Credentials.config.pipe(withEnv({ TABLEAU_JWT: "a.b.c", TABLEAU_SITE: "acme" }))
      expect(jwt._tag === "Jwt" && !Effect.isEffect(jwt.jwt) && Redacted.value(jwt.jwt)).toBe("a.b.c")
      const app = yield* Credentials.config.pipe(withEnv({
        TABLEAU_CONNECTED_APP_CLIENT_ID: "client",
        TABLEAU_CONNECTED_APP_SECRET_ID: "secret-id",
        TABLEAU_CONNECTED_APP_SECRET_VALUE: "secret-value",
        TABLEAU_USERNAME: "alice"
      }))
      expect(app._tag === "Jwt" && Effect.isEffect(app.jwt)).toBe(true)
    }))

  it.effect("incomplete settings name the missing variable", () =>
    Effect.gen(function*() {
      const noSecret = yield* Effect.flip(Credentials.config.pipe(withEnv({ TABLEAU_PAT_NAME: "ci" })))
      expect(String(noSecret)).toContain("TABLEAU_PAT_SECRET")
      const noUser = yield* Effect.flip(Credentials.config.pipe(withEnv({ TABLEAU_PASSWORD: "pw" })))
      expect(String(noUser)).toContain("TABLEAU_USERNAME")
      const app = yield* Effect.flip(Credentials.config.pipe(withEnv({ TABLEAU_CONNECTED_APP_CLIENT_ID: "c" })))
      expect(String(app)).toContain(
        "TABLEAU_CONNECTED_APP_SECRET_ID and TABLEAU_CONNECTED_APP_SECRET_VALUE and TABLEAU_USERNAME"
      )
      const nothing = yield* Effect.flip(Credentials.config.pipe(withEnv({})))
      expect(String(nothing)).toContain("No Tableau credentials")
      const noUrl = yield* Effect.flip(
        Effect.provide(
          TableauServer.TableauServer,
          TableauServer.layerConfig().pipe(Layer.provide(fake(happyServer()).layer))
        )
          .pipe(withEnv({}))
      )
      expect(String(noUrl)).toContain("TABLEAU_SERVER_URL")
    }))

  it.effect("ambiguous settings name both kinds, and no secret", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Credentials.config.pipe(withEnv({
        TABLEAU_PAT_NAME: "ci",
        TABLEAU_PAT_SECRET: "pat-secret-value",
        TABLEAU_USERNAME: "admin",
        TABLEAU_PASSWORD: "password-value"
      })))
      expect(String(error)).toContain("Ambiguous")
      expect(String(error)).toContain("TABLEAU_PAT_NAME/TABLEAU_PAT_SECRET and TABLEAU_PASSWORD")
      expect(String(error)).not.toMatch(/pat-secret-value|password-value/)
    }))
})
