/**
 * @since 0.1.0
 */
export * as ApiVersion from "./ApiVersion.js"
export * as Credentials from "./Credentials.js"
export * as Filter from "./Filter.js"
export * as Generated from "./Generated.js"
export * as Jobs from "./Jobs.js"
export * as Pagination from "./Pagination.js"
export * as Projects from "./Projects.js"
export * as Resource from "./Resource.js"
export * as Sites from "./Sites.js"
export * as Sort from "./Sort.js"
export * as TableauError from "./TableauError.js"
export * as TableauServer from "./TableauServer.js"
export * as TableauSession from "./TableauSession.js"
export * as Users from "./Users.js"
export * as Workbooks from "./Workbooks.js"
export * as Xml from "./Xml.js"
