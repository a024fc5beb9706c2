import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as ApiVersion from "../ApiVersion.js"
import * as Credentials from "../Credentials.js"
import type { TableauError } from "../TableauError.js"
import { TableauApiError, TableauUnsupportedError } from "../TableauError.js"
import type { Service as ServerService } from "../TableauServer.js"
import type { SessionState } from "../TableauSession.js"
import * as Xml from "../Xml.js"
import { SignInResponse } from "./wireResponses.js"

// A token is at stake: always checked for well-formedness, whatever the size.
const decodeSignIn = Xml.decode(SignInResponse, { validate: true })

const toState = (decoded: typeof SignInResponse.Type): SessionState => {
  const { site, token, user } = decoded.tsResponse.credentials
  return { token: Redacted.make(token), siteId: site.id, site: site.contentUrl, userId: user.id }
}

/**
 * What goes into `<credentials>`: the credentials as given, and for a JWT the JWT itself, already
 * resolved from its source (a source is asked once, right before sign-in).
 */
type Sendable =
  | { readonly credentials: Credentials.PersonalAccessToken | Credentials.UsernamePassword }
  | { readonly credentials: Credentials.Jwt; readonly jwt: Redacted.Redacted<string> }

/** The attributes of `<credentials>` for each kind; secrets are unwrapped here and nowhere else. */
const credentialAttributes = (sendable: Sendable): Record<string, string | undefined> => {
  if ("jwt" in sendable) {
    return { jwt: Redacted.value(sendable.jwt), isUat: sendable.credentials.isUat ? "true" : undefined }
  }
  const { credentials } = sendable
  return credentials._tag === "PersonalAccessToken"
    ? {
      personalAccessTokenName: credentials.tokenName,
      personalAccessTokenSecret: Redacted.value(credentials.tokenSecret)
    }
    : { name: credentials.username, password: Redacted.value(credentials.password) }
}

const credentialsElement = (sendable: Sendable, site: string): string => {
  const impersonate = sendable.credentials.impersonateUserId
  return Xml.element("credentials", credentialAttributes(sendable), [
    Xml.element("site", { contentUrl: site }),
    ...(impersonate !== undefined ? [Xml.element("user", { id: impersonate })] : [])
  ])
}

/**
 * The sign-in request body, as Tableau expects it; JWT credentials need their resolved JWT.
 *
 * @internal
 */
export const signInBody = (sendable: Sendable, site: string = sendable.credentials.site): string =>
  Xml.element("tsRequest", {}, [credentialsElement(sendable, site)])

// Everything that can be known to fail is refused before a credential leaves the process.
const checkBeforeSending = (server: ServerService, credentials: Credentials.Credentials) =>
  Effect.gen(function*() {
    const cloud = server.deployment === "cloud"
    const { minimums } = ApiVersion
    if (credentials._tag === "PersonalAccessToken") {
      yield* ApiVersion.require("personal access token sign-in", minimums.personalAccessToken, server.apiVersion)
    }
    if (credentials._tag === "Jwt") {
      yield* credentials.isUat
        ? ApiVersion.require("unified access token (isUat) sign-in", minimums.unifiedAccessToken, server.apiVersion)
        : ApiVersion.require(
          `JWT sign-in on Tableau ${cloud ? "Cloud" : "Server"}`,
          cloud ? minimums.jwtCloud : minimums.jwtServer,
          server.apiVersion
        )
    }
    if (cloud && credentials.impersonateUserId !== undefined) {
      return yield* new TableauUnsupportedError({
        operation: "impersonation",
        reason: "Tableau Cloud does not allow signing in as another user"
      })
    }
  })

/**
 * Validates the credentials, checks version gates, signs in, and decodes the new session.
 *
 * @internal
 */
export const signInRequest = (
  server: ServerService,
  credentials: Credentials.Credentials,
  site?: string
): Effect.Effect<SessionState, TableauError> =>
  Effect.gen(function*() {
    const valid = yield* Credentials.validate(credentials)
    yield* checkBeforeSending(server, valid)
    // A JWT source is asked only now, after every check: each JWT is good for one sign-in.
    const sendable: Sendable = valid._tag === "Jwt"
      ? { credentials: valid, jwt: yield* Credentials.resolveJwt(valid) }
      : { credentials: valid }
    const contentUrl = site ?? valid.site
    const response = yield* server.execute(
      HttpClientRequest.post(`/api/${server.apiVersion}/auth/signin`).pipe(
        HttpClientRequest.bodyText(signInBody(sendable, contentUrl), "application/xml")
      )
    ).pipe(Effect.catchTag("TableauApiError", (error) => Effect.fail(explainRefusal(error, valid, contentUrl))))
    return toState(yield* decodeSignIn(response))
  })

// A refused sign-in (401001) says what was tried: the credential kind and name and the site,
// never the secret, and that a site is named by its contentUrl, not its display name.
const explainRefusal = (
  error: TableauApiError,
  credentials: Credentials.Credentials,
  site: string
): TableauApiError =>
  error.code !== "401001" ? error : new TableauApiError({
    ...error,
    hint: `Tried ${Credentials.describe(credentials, site)}. Check the credentials and the ` +
      "site: it is the contentUrl (the part after /site/ in a browser URL; \"\" is the Default site), not the " +
      "site's display name; Tableau Cloud always needs one, and a personal access token may have expired or been revoked"
  })

/**
 * Signs the token out. Any 2xx is success.
 *
 * @internal
 */
export const signOutRequest = (server: ServerService, state: SessionState): Effect.Effect<void, TableauError> =>
  Effect.asVoid(
    server.execute(
      HttpClientRequest.post(`/api/${server.apiVersion}/auth/signout`).pipe(
        HttpClientRequest.setHeader("x-tableau-auth", Redacted.value(state.token))
      )
    )
  )

/**
 * Switches site; 403070 (already on that site) keeps the current state.
 *
 * @internal
 */
export const switchSiteRequest = (
  server: ServerService,
  current: SessionState,
  contentUrl: string
): Effect.Effect<SessionState, TableauError> =>
  server.execute(
    HttpClientRequest.post(`/api/${server.apiVersion}/auth/switchSite`).pipe(
      HttpClientRequest.setHeader("x-tableau-auth", Redacted.value(current.token)),
      HttpClientRequest.bodyText(Xml.element("tsRequest", {}, [Xml.element("site", { contentUrl })]), "application/xml")
    )
  ).pipe(
    Effect.flatMap(decodeSignIn),
    Effect.map(toState),
    Effect.catchIf(
      (error) => error._tag === "TableauApiError" && error.code === "403070",
      () => Effect.succeed(current)
    ),
    Effect.catchTag("TableauApiError", (error) =>
      Effect.fail(
        error.status === 404 || error.code === "401001"
          ? new TableauApiError({
            ...error,
            hint: `No site with the contentUrl ${JSON.stringify(contentUrl)} is open to this user: ` +
              "Sites.list shows the sites (and their contentUrl, which is not the display name)"
          })
          : error
      ))
  )
