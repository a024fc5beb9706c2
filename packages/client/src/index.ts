/**
 * @since 0.1.0
 */
export * as ApiVersion from "./ApiVersion.js"
export * as Credentials from "./Credentials.js"
export * as TableauError from "./TableauError.js"
export * as TableauServer from "./TableauServer.js"
export * as TableauSession from "./TableauSession.js"
export * as Xml from "./Xml.js"
