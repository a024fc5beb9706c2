/**
 * What the parser makes of an element that holds a collection: "" when it is empty, else an
 * object of its children.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * One check, where a union of "" and a record schema would cost more than the items themselves.
 *
 * @internal
 */
export const CollectionElement = Schema.declare(
  (input: unknown): input is "" | { readonly [child: string]: unknown } =>
    input === "" || (typeof input === "object" && input !== null && !Array.isArray(input)),
  { identifier: "CollectionElement", description: "an empty element or an element with children" }
)
