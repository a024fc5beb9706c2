/**
 * Credentials read from the `TABLEAU_*` environment variables (see `Credentials.config`).
 *
 * @internal
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { connectedApp, type Credentials, jwt, personalAccessToken, usernamePassword } from "../Credentials.js"

const optional = (name: string) => Config.option(Config.string(name))
const optionalSecret = (name: string) => Config.option(Config.redacted(name))

/** @internal */
export const config: Config.Config<Credentials> = Config.all({
  site: Config.withDefault(Config.string("TABLEAU_SITE"), ""),
  impersonateUserId: optional("TABLEAU_IMPERSONATE_USER_ID"),
  patName: optional("TABLEAU_PAT_NAME"),
  patSecret: optionalSecret("TABLEAU_PAT_SECRET"),
  username: optional("TABLEAU_USERNAME"),
  password: optionalSecret("TABLEAU_PASSWORD"),
  jwt: optionalSecret("TABLEAU_JWT"),
  clientId: optional("TABLEAU_CONNECTED_APP_CLIENT_ID"),
  secretId: optional("TABLEAU_CONNECTED_APP_SECRET_ID"),
  secretValue: optionalSecret("TABLEAU_CONNECTED_APP_SECRET_VALUE")
}).pipe(
  Config.mapOrFail((env) => {
    const common = {
      site: env.site,
      ...(Option.isSome(env.impersonateUserId) ? { impersonateUserId: env.impersonateUserId.value } : {})
    }
    const kinds = [
      ...(Option.isSome(env.patName) || Option.isSome(env.patSecret) ? ["TABLEAU_PAT_NAME/TABLEAU_PAT_SECRET"] : []),
      ...(Option.isSome(env.password) ? ["TABLEAU_PASSWORD"] : []),
      ...(Option.isSome(env.jwt) ? ["TABLEAU_JWT"] : []),
      ...(Option.isSome(env.clientId) || Option.isSome(env.secretId) || Option.isSome(env.secretValue)
        ? ["TABLEAU_CONNECTED_APP_*"]
        : [])
    ]
    const invalid = (message: string) => Either.left(ConfigError.InvalidData([], message))
    const missing = (names: ReadonlyArray<string>) =>
      Either.left(ConfigError.MissingData([], `Tableau credentials are incomplete: set ${names.join(" and ")}`))
    if (kinds.length === 0) {
      return Either.left(ConfigError.MissingData(
        [],
        "No Tableau credentials: set TABLEAU_PAT_NAME + TABLEAU_PAT_SECRET, TABLEAU_USERNAME + TABLEAU_PASSWORD, " +
          "TABLEAU_JWT, or TABLEAU_CONNECTED_APP_CLIENT_ID + _SECRET_ID + _SECRET_VALUE + TABLEAU_USERNAME"
      ))
    }
    if (kinds.length > 1) {
      return invalid(`Ambiguous Tableau credentials: ${kinds.join(" and ")} are all set; keep one kind`)
    }
    if (Option.isSome(env.patName) || Option.isSome(env.patSecret)) {
      if (Option.isNone(env.patName)) return missing(["TABLEAU_PAT_NAME"])
      if (Option.isNone(env.patSecret)) return missing(["TABLEAU_PAT_SECRET"])
      return Either.right<Credentials>(
        personalAccessToken({ ...common, tokenName: env.patName.value, tokenSecret: env.patSecret.value })
      )
    }
    if (Option.isSome(env.password)) {
      if (Option.isNone(env.username)) return missing(["TABLEAU_USERNAME"])
      return Either.right<Credentials>(
        usernamePassword({ ...common, username: env.username.value, password: env.password.value })
      )
    }
    if (Option.isSome(env.jwt)) return Either.right<Credentials>(jwt({ ...common, jwt: env.jwt.value }))
    const absent = [
      ...(Option.isNone(env.clientId) ? ["TABLEAU_CONNECTED_APP_CLIENT_ID"] : []),
      ...(Option.isNone(env.secretId) ? ["TABLEAU_CONNECTED_APP_SECRET_ID"] : []),
      ...(Option.isNone(env.secretValue) ? ["TABLEAU_CONNECTED_APP_SECRET_VALUE"] : []),
      ...(Option.isNone(env.username) ? ["TABLEAU_USERNAME"] : [])
    ]
    if (
      absent.length > 0 || Option.isNone(env.clientId) || Option.isNone(env.secretId) ||
      Option.isNone(env.secretValue) || Option.isNone(env.username)
    ) return missing(absent)
    return Either.right<Credentials>(connectedApp({
      ...common,
      clientId: env.clientId.value,
      secretId: env.secretId.value,
      secretValue: env.secretValue.value,
      username: env.username.value
    }))
  })
)
