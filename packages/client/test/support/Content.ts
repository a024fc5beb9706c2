/**
 * What the content tests (data sources, workbook writes, views) share: sessions as other users
 * of the default fixtures, and the error a refusal is.
 */
import { assert } from "@effect/vitest"
import { Credentials, TableauServer, TableauSession } from "@tableau-effect/client"
import type { TableauError } from "@tableau-effect/client"
import { TableauEmulator } from "@tableau-effect/emulator"
import { Layer } from "effect"
import { BASE_URL, defaults } from "./EmulatedSession.js"

/** A session as bob (an Explorer of the Default site) on a fresh emulator. */
export const asBob = (apiVersion = "3.24") =>
  TableauSession.layer(
    Credentials.personalAccessToken({ tokenName: defaults.bob.patName, tokenSecret: defaults.bob.patSecret })
  ).pipe(
    Layer.provide(TableauServer.layer({ url: BASE_URL, apiVersion })),
    Layer.provideMerge(TableauEmulator.layer())
  )

/** Asserts that `error` is Tableau's answer with this status and code. */
export const assertApiError = (error: TableauError.TableauError, status: number, code: string) => {
  assert.strictEqual(error._tag, "TableauApiError", error.message)
  if (error._tag === "TableauApiError") assert.deepStrictEqual([error.status, error.code], [status, code])
}

export const LUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
