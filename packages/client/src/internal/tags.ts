/**
 * Tags, the same for every resource that has them (workbooks, data sources, views): `PUT
 * {item}/tags` with `<tags><tag label/>...</tags>`, answered with the item's tags, and `DELETE
 * {item}/tags/{tagName}`. Each resource's module makes its pair from its resource.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as Generated from "../Generated.js"
import * as Resource from "../Resource.js"
import * as Xml from "../Xml.js"
import * as X from "./xsd.js"

/** `<tags><tag label="a"/></tags>` as `["a"]`; `<tags/>` as `[]`. @internal */
export const TagLabels = Schema.transform(
  Xml.collection("tag", X.element(Generated.TagType)),
  Schema.Array(Schema.String),
  {
    strict: true,
    decode: (tags) => tags.map((tag) => tag.label),
    encode: (labels) => labels.map((label) => ({ label }))
  }
)

// The labels are written through the generated tagListType: a control character in one is
// refused before sending, naming it (tags.tag[1].label).
const body = Resource.body(
  "tags",
  Generated.TagListType,
  (labels: ReadonlyArray<string>) => ({ tag: labels.map((label) => ({ label })) })
)

const answer = Resource.answer("tags", TagLabels)

/**
 * `addTags(id, labels)` and `removeTag(id, label)` of a resource, from the API version given
 * (tags appeared with each resource). Spans: `tableau.{name}.addTags`, `tableau.{name}.removeTag`.
 *
 * @internal
 */
export const operations = <A, I, const P extends string, const Item extends string>(
  resource: Resource.Resource<A, I, P, Item>,
  minimum: string
) => ({
  /** Adds tags to the item (`PUT {path}/{id}/tags`); answers its tag labels. */
  addTags: Resource.action(resource, {
    name: "addTags",
    method: "PUT",
    suffix: "/tags",
    minimum,
    body,
    answer
  }),
  // The label is a path segment: the path's own encoding escapes it, and a label that would
  // hold a "/" or be "." or ".." is refused before sending.
  /** Removes one tag from the item (`DELETE {path}/{id}/tags/{tagName}`). */
  removeTag: Resource.action(resource, { name: "removeTag", method: "DELETE", suffix: "/tags/{tagName}", minimum })
})
