/**
 * The schema of an answer holding one item, shared by `Resource.answer` and its tests.
 *
 * @internal
 */
import * as Schema from "effect/Schema"

/**
 * The schema of a `<tsResponse>` holding one `<element>`, decoded as `{ tsResponse: { item } }`. @internal
 */
export const single = <A, I>(element: string, item: Schema.Schema<A, I>) =>
  Schema.Struct({
    tsResponse: Schema.Struct({ item: Schema.propertySignature(item).pipe(Schema.fromKey(element)) })
  })
