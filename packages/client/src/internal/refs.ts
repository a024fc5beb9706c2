/**
 * The nested elements of content items, derived from the generated wire model: the project,
 * location and owner references, and tags as their labels.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"
import * as X from "./xsd.js"

const project = Generated.ProjectType.fields
const user = Generated.UserType.fields

/** `<project id="..." name="..."/>` inside a content item: both attributes needed. @internal */
export const ProjectRef = X.element(Schema.Struct({ id: project.id.from, name: project.name.from }))

/** `<owner id="..." name="..."/>` inside a content item; `name` only when Tableau sends it. @internal */
export const OwnerRef = X.element(Schema.Struct({ id: user.id.from, name: user.name }))

/**
 * `<location id="..." name="..." type="PersonalSpace"/>`: where a content item lives, a project or
 * a personal space (which has no `<project>`). @internal
 */
export const Location = X.element(Generated.LocationType)

/** `<tags><tag label="a"/></tags>` as `["a"]`; `<tags/>` or no `<tags>` at all as `[]`. @internal */
export const Tags = Schema.optionalWith(
  Schema.transform(X.element(Generated.TagListType), Schema.Array(Schema.String), {
    strict: true,
    decode: (tags) => tags.tag.map((tag) => tag.label),
    encode: (labels) => ({ tag: labels.map((label) => ({ label })) })
  }),
  { default: () => [] }
)
