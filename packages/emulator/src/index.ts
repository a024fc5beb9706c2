/**
 * `@tableau-effect/emulator`: an emulated Tableau Server REST API, in memory (an HttpClient
 * layer for tests) or on loopback sockets (a scoped server and the `tableau-emulator` CLI).
 *
 * @since 0.1.0
 */

/**
 * Connected apps: mint a JWT for the emulator, verify one as Tableau does.
 *
 * @since 0.1.0
 */
export * as ConnectedApp from "./ConnectedApp.js"

/**
 * Validation of Tableau XML against Tableau's XSD (libxml2 in WebAssembly).
 *
 * @since 0.1.0
 */
export * as EmulatorSchema from "./EmulatorSchema.js"

/**
 * The socket server: `serve` on loopback, http or https, with an http->https redirect.
 *
 * @since 0.1.0
 */
export * as EmulatorServer from "./EmulatorServer.js"

/**
 * The state of an emulated server as immutable data in a `Ref`.
 *
 * @since 0.1.0
 */
export * as EmulatorState from "./EmulatorState.js"

/**
 * Faults to inject: error statuses, delays, dropped connections, malformed bodies.
 *
 * @since 0.1.0
 */
export * as Fault from "./Fault.js"

/**
 * The fixture data: sites, users and credentials, connected apps, projects, workbooks.
 *
 * @since 0.1.0
 */
export * as Fixtures from "./Fixtures.js"

/**
 * The one request handler both transports use.
 *
 * @since 0.1.0
 */
export * as Handler from "./Handler.js"

/**
 * The emulator service, its in-memory HttpClient and layer.
 *
 * @since 0.1.0
 */
export * as TableauEmulator from "./TableauEmulator.js"
