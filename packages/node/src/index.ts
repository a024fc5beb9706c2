/**
 * `@tableau-effect/node`: the Node transport for the Tableau client (TLS with private CAs and
 * client certificates, a keep-alive pool, proxies through your own dispatcher, redirect safety),
 * an `HttpClient` on undici.
 *
 * @since 0.1.0
 */

/**
 * The `HttpClient` layer on an undici `Agent`: `layer`, `layerConfig`, `make`, `config`.
 *
 * @since 0.1.0
 */
export * as TableauNode from "./TableauNode.js"

/**
 * `TableauNodeConfigError`: an option (a CA file, a key, a timeout) that cannot be used.
 *
 * @since 0.1.0
 */
export * as TableauNodeError from "./TableauNodeError.js"

/**
 * `runMain`: runs a program as the process's main program (failures printed as their message,
 * exit code set, SIGINT/SIGTERM interrupt it so the sign-out runs).
 *
 * @since 0.1.0
 */
export * as TableauRuntime from "./TableauRuntime.js"
