/**
 * What every kind of published content has (workbooks and data sources today; flows and
 * virtual connections later): an update of its name, project and owner plus the kind's own
 * fields, a delete, tags, connections and an extract refresh. Each kind's module makes its set
 * from its resource and exports it under the same names, so the set is declared once here.
 *
 * @internal
 */
import type * as Schema from "effect/Schema"
import * as Resource from "../Resource.js"
import * as Connections from "./connections.js"
import * as Tags from "./tags.js"

/**
 * The changes every kind of content takes; what is left out stays as it is. Moving it
 * (`projectId`) or giving it to another user (`ownerId`) takes LUIDs, checked before sending.
 *
 * @internal
 */
export interface ContentChanges {
  readonly name?: string | undefined
  readonly projectId?: string | undefined
  readonly ownerId?: string | undefined
}

/** The API version each operation of the set came with; they differ between kinds. @internal */
export interface Minimums {
  readonly update: string
  readonly remove: string
  readonly tags: string
  readonly connections: string
  readonly updateConnection: string
  readonly refresh: string
}

const ref = (id: string | undefined) => id === undefined ? undefined : { id }

/**
 * `update`, `remove`, `addTags`, `removeTag`, `connections`, `updateConnection` and `refresh` of
 * a kind of content. The update body is the item element of `schema` (the kind's generated wire
 * schema) with `name`, `project` and `owner` from the common changes and the rest from `fields`.
 *
 * @internal
 */
export const operations = <
  A,
  I,
  const P extends string,
  const Item extends string,
  W,
  WI,
  Changes extends ContentChanges
>(
  resource: Resource.Resource<A, I, P, Item>,
  options: {
    readonly schema: Schema.Schema<W, WI>
    readonly fields: (changes: Changes) => Resource.Loose<W>
    readonly minimum: Minimums
  }
) => ({
  /**
   * Changes the item (`PUT {path}/{id}`): its name, project, owner and the kind's own fields;
   * what is left out stays as it is. Answers the item as it now is.
   */
  update: Resource.update(resource, {
    minimum: options.minimum.update,
    body: Resource.body(resource.definition.item, options.schema, (changes: Changes) => ({
      ...options.fields(changes),
      name: changes.name,
      project: ref(changes.projectId),
      owner: ref(changes.ownerId)
    }), { luids: ["project.id", "owner.id"] })
  }),
  /** Deletes the item (`DELETE {path}/{id}`), answered with 204. */
  remove: Resource.remove(resource, { minimum: options.minimum.remove }),
  ...Tags.operations(resource, options.minimum.tags),
  ...Connections.operations(resource, options.minimum)
})
