/**
 * The nested elements of content items, derived from the generated wire model: the project,
 * location and owner references, and tags as their labels.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"
import { CollectionElement } from "./element.js"
import * as X from "./xsd.js"

const project = Generated.ProjectType.fields
const user = Generated.UserType.fields

/**
 * `<project id="..." name="..."/>` inside a content item; `name` only when Tableau sends it (an
 * update's answer may name the project by id alone, as tableauserverclient's recorded answers do).
 *
 * @internal
 */
export const ProjectRef = X.element(Schema.Struct({ id: project.id.from, name: project.name }))

/** `<owner id="..." name="..."/>` inside a content item; `name` only when Tableau sends it. @internal */
export const OwnerRef = X.element(Schema.Struct({ id: user.id.from, name: user.name }))

/**
 * `<location id="..." name="..." type="PersonalSpace"/>`: where a content item lives, a project or
 * a personal space (which has no `<project>`). @internal
 */
export const Location = X.element(Generated.LocationType)

/**
 * `<tags><tag label="a"/></tags>` (the XSD's `tagListType` of `tagType`, whose label is required)
 * as `["a"]`; `<tags/>` or no `<tags>` at all as `[]`.
 *
 * @internal
 */
export const Tags = Schema.optionalWith(
  // One pass over the tags, rather than the generated TagListType mapped to labels: tags sit in
  // every workbook, and the generated element, list and struct layers cost more than the rest
  // of a workbook's decoding. The rules are the generated ones: a list by the schema (one <tag>
  // is a list of one), a label required on each.
  Schema.transformOrFail(CollectionElement, Schema.Array(Schema.String), {
    strict: true,
    decode: (element, _, ast) => {
      if (element === "") return ParseResult.succeed([])
      const raw: unknown = element["tag"] ?? []
      const tags: ReadonlyArray<unknown> = Array.isArray(raw) ? raw : [raw]
      const labels: Array<string> = []
      for (const tag of tags) {
        const label: unknown = typeof tag === "object" && tag !== null
          ? (tag as { readonly label?: unknown }).label
          : undefined
        if (typeof label !== "string") {
          return ParseResult.fail(new ParseResult.Type(ast, element, "Expected a <tag> with a label"))
        }
        labels.push(label)
      }
      return ParseResult.succeed(labels)
    },
    encode: (labels) => ParseResult.succeed({ tag: labels.map((label) => ({ label })) })
  }),
  { default: () => [] }
)
