/**
 * A Tableau resource described once: its name, XML element and item names, path template,
 * item schema, filterable and sortable fields and minimum API version. From the description
 * come its list (`page`, `stream`), its `get`, and the writes and actions declared with
 * `operation`, `create`, `update`, `remove` and `action`, each with its span, its version gate
 * and its id checks. The emulator builds its routes from the same declarations (each operation
 * carries its `spec`), so the client and the emulator cannot disagree on a path or a version.
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as ApiVersion from "./ApiVersion.js"
import * as Path from "./internal/path.js"
import { tsRequest } from "./internal/requestBody.js"
import { single } from "./internal/resource.js"
import * as Pagination from "./Pagination.js"
import type { TableauDecodeError, TableauError, TableauRequestError } from "./TableauError.js"
import type { Response } from "./TableauServer.js"
import { TableauSession } from "./TableauSession.js"
import type { Service } from "./TableauSession.js"
import * as Xml from "./Xml.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * The ids a path template takes from the caller, in order: a string for each `{name}` but
 * `{siteId}`, which is the session's.
 *
 * @since 0.1.0
 * @category Models
 */
export type Ids<Path extends string> = Path.Ids<Path>

/**
 * What describes a resource.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Definition<A, I, P extends string, Item extends string> {
  /** Spans are `tableau.{name}.list`, `tableau.{name}.get`, ...: `"workbooks"`, `"groups.users"`. */
  readonly name: string
  /** The collection's path template: `/sites/{siteId}/workbooks`. */
  readonly path: P
  /** The collection element of a list answer: `workbooks`. */
  readonly element: string
  /** The item element: `workbook`; an item's path is `{path}/{{item}Id}`. */
  readonly item: Item
  readonly schema: Schema.Schema<A, I>
  /** The fields Tableau filters on (documentation, and what the emulator accepts). */
  readonly filterable: ReadonlyArray<string>
  /** The fields Tableau sorts on, when not all the filterable ones (it never sorts on more). */
  readonly sortable?: ReadonlyArray<string> | undefined
  /** The REST API version from which it can be read (list and get). */
  readonly minimum: string
  /** Where `get` came later than the list: Tableau's Get View is 3.0, List Views 2.2. */
  readonly get?: { readonly minimum: string } | undefined
  /** A check before anything is sent, e.g. "not on Tableau Cloud". */
  readonly check?: ((session: Service) => Effect.Effect<void, TableauError>) | undefined
}

/**
 * The declaration of one operation: span, method, path template, minimum API version, and how
 * its body is written and its answer read. The emulator routes on it.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Spec {
  readonly span: string
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly path: string
  readonly minimum: string
  /** The element inside `<tsRequest>`, when the operation sends one. */
  readonly request?: string | undefined
  /** The element inside `<tsResponse>`, when the answer carries one. */
  readonly response?: string | undefined
}

/**
 * An operation: a function from the path's ids (and its input, if it takes one) to an effect
 * needing a `TableauSession`, carrying its declaration as `spec`.
 *
 * @since 0.1.0
 * @category Models
 */
export type Operation<Args extends ReadonlyArray<unknown>, Out> =
  & ((...args: Args) => Effect.Effect<Out, TableauError, TableauSession>)
  & { readonly spec: Spec }

/**
 * A resource made by `make`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Resource<A, I, P extends string, Item extends string> {
  /** The definition, its `sortable` filled in. */
  readonly definition: Definition<A, I, P, Item> & { readonly sortable: ReadonlyArray<string> }
  /** The item path template: `/sites/{siteId}/workbooks/{workbookId}`. */
  readonly itemPath: `${P}/{${Item}Id}`
  /** The list declaration, for the emulator. */
  readonly list: Spec
  /**
   * The collection (`GET {path}`) for `Pagination.page` and `Pagination.stream`: a value for a
   * resource of the site (`Workbooks.collection`), a function of the parents' ids for one nested
   * in another (`Groups.members.collection(groupId)`).
   */
  readonly collection: Ids<P> extends readonly [] ? Pagination.Collection<A>
    : (...ids: Ids<P>) => Pagination.Collection<A>
  /**
   * One page (`GET {path}?pageSize&pageNumber&filter&sort`): its items and Tableau's
   * `<pagination>`; the parents' ids come first. A filter or sort field Tableau does not list
   * for the resource is sent as it is, and Tableau's 400 answers it.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Filter, Sort, Workbooks } from "@tableau-effect/client"
   *
   * const program = Effect.gen(function*() {
   *   const { items, pagination } = yield* Workbooks.page({
   *     pageSize: 50,
   *     filter: Filter.in("tags", ["sales", "finance"]),
   *     sort: Sort.desc("updatedAt")
   *   })
   *   yield* Effect.log(`${items.length} of ${pagination.totalAvailable} workbooks`)
   * })
   * ```
   */
  readonly page: (
    ...args: [...Ids<P>, options?: Pagination.PageOptions]
  ) => Effect.Effect<Pagination.Page<A>, TableauError, TableauSession>
  /**
   * Every item as a lazy stream, page after page (or `concurrency` pages at once); a page is
   * asked for only when the stream needs it.
   *
   * @example
   * ```ts
   * import { Stream } from "effect"
   * import { Workbooks } from "@tableau-effect/client"
   *
   * const count = Workbooks.stream({ pageSize: 1000, concurrency: 4 }).pipe(Stream.runCount)
   * ```
   */
  readonly stream: (
    ...args: [...Ids<P>, options?: Pagination.StreamOptions]
  ) => Stream.Stream<A, TableauError, TableauSession>
  /**
   * One item by id (`GET {path}/{{item}Id}`); an unknown id is a `TableauApiError` with status
   * 404, an id that is not a LUID a `TableauRequestError` before anything is sent.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Workbooks } from "@tableau-effect/client"
   *
   * const program = Effect.gen(function*() {
   *   const workbook = yield* Workbooks.get("9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f")
   *   yield* Effect.log(`${workbook.name} in ${workbook.project?.name ?? "a personal space"}`)
   * })
   * ```
   */
  readonly get: Operation<Ids<`${P}/{${Item}Id}`>, A>
}

/**
 * How an operation reads its input and its answer: `body` writes the `<tsRequest>` (see
 * `body`), `answer` decodes the response (see `answer`; without one the answer is ignored).
 *
 * @since 0.1.0
 * @category Models
 */
export interface OperationOptions<P extends string, In, Out> {
  readonly span: string
  readonly method: Spec["method"]
  readonly path: P
  readonly minimum: string
  readonly body?: Body<In> | undefined
  readonly answer?: Answer<Out> | undefined
  /** Query parameters of the request, from the input. */
  readonly query?: ((input: In) => Readonly<Record<string, string>>) | undefined
  readonly check?: ((session: Service) => Effect.Effect<void, TableauError>) | undefined
}

/**
 * A writer of `<tsRequest>` bodies, with the name of the element it writes.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Body<In> {
  readonly element: string
  readonly write: (input: In) => Effect.Effect<string, TableauRequestError>
}

/**
 * A reader of answers, with the name of the element it reads.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Answer<Out> {
  readonly element: string
  readonly read: (response: Response) => Effect.Effect<Out, TableauDecodeError>
}

type InputArgs<In> = [In] extends [never] ? [] : [input: In]

// ---------------------------------------------------------------------------------------------
// Constructors
// ---------------------------------------------------------------------------------------------

/**
 * The body `<tsRequest><element .../></tsRequest>` of a value of `schema` (a generated wire
 * schema, or one that encodes to it), optionally mapped from the caller's input first. Values are
 * encoded by the schema and XML-escaped; a control character XML cannot carry, or an id at one of
 * the `luids` paths that is not a LUID, is a `TableauRequestError` naming the field, and nothing
 * is sent.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Generated, Resource } from "@tableau-effect/client"
 *
 * const rename = Resource.body("project", Generated.ProjectType, (name: string) => ({ name }))
 * Effect.runPromise(rename.write("Sales & Ops")).then(console.log)
 * // <tsRequest><project name="Sales &amp; Ops"/></tsRequest>
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const body = <A, I, In = A>(
  element: string,
  schema: Schema.Schema<A, I>,
  from?: (input: In) => Loose<A>,
  options: {
    /** The fields that hold ids (`parentProjectId`, `owner.id`): each must be a LUID. */
    readonly luids?: ReadonlyArray<string> | undefined
  } = {}
): Body<In> => {
  const write = tsRequest(element, schema, options.luids)
  return {
    element,
    write: (input) => write(withoutUndefined(from === undefined ? input : from(input)) as A)
  }
}

/**
 * A value of `A` whose optional fields may also be given as `undefined` (then left out), so a
 * body can be written from optional inputs field by field.
 *
 * @since 0.1.0
 * @category Models
 */
export type Loose<A> = { readonly [K in keyof A]?: A[K] | undefined }

const withoutUndefined = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutUndefined)
  if (typeof value !== "object" || value === null || !(Object.getPrototypeOf(value) === Object.prototype)) return value
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = withoutUndefined(field)
  return out
}

/**
 * The body `<tsRequest/>`, for the actions that take an empty one (a refresh); it takes no input.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Resource } from "@tableau-effect/client"
 *
 * Effect.runPromise(Resource.emptyBody.write(undefined as never)).then(console.log) // <tsRequest/>
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const emptyBody: Body<never> = { element: "tsRequest", write: () => Effect.succeed("<tsRequest/>") }

/**
 * The reader of `<tsResponse><element .../></tsResponse>`: the element decoded by `schema`.
 *
 * @example
 * ```ts
 * import { Resource, Workbooks } from "@tableau-effect/client"
 *
 * const workbook = Resource.answer("workbook", Workbooks.Workbook)
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const answer = <A, I>(element: string, schema: Schema.Schema<A, I>): Answer<A> => {
  // Like list pages, the item is checked by its schema; see Xml.ParseOptions.
  const decode = Xml.decode(single(element, schema), { validate: false })
  return { element, read: (response) => Effect.map(decode(response), (decoded) => decoded.tsResponse.item) }
}

const featureOf = (span: string): string => {
  const [first = "", ...rest] = span.replace(/^tableau\./, "").split(".")
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(".")
}

/**
 * One operation: `method path` with the session (its `{siteId}` and the caller's ids filled in,
 * each id checked), after the version gate and the check, in a span named `span`. Its
 * arguments are the path's ids, then the input when it has a `body` or a `query`.
 *
 * @example
 * ```ts
 * import { Generated, Resource } from "@tableau-effect/client"
 *
 * const Job = Generated.JobType
 * const refreshWorkbook = Resource.operation({
 *   span: "tableau.workbooks.refresh",
 *   method: "POST",
 *   path: "/sites/{siteId}/workbooks/{workbookId}/refresh",
 *   minimum: "2.8",
 *   body: Resource.emptyBody,
 *   answer: Resource.answer("job", Job)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const operation = <const P extends string, In = never, Out = void>(
  options: OperationOptions<P, In, Out>
): Operation<[...Ids<P>, ...InputArgs<In>], Out> => {
  const template = Path.parse(options.path)
  const count = template.params.length
  const feature = featureOf(options.span)
  const spec: Spec = {
    span: options.span,
    method: options.method,
    path: options.path,
    minimum: options.minimum,
    request: options.body?.element,
    response: options.answer?.element
  }
  const attributes = { "tableau.path": options.path }
  const run = (...args: ReadonlyArray<unknown>): Effect.Effect<Out, TableauError, TableauSession> =>
    Effect.gen(function*() {
      const session = yield* TableauSession
      const ids = args.slice(0, count) as ReadonlyArray<string>
      const input = args[count] as In
      yield* Path.checkIds(template, ids)
      yield* ApiVersion.require(feature, options.minimum, session.apiVersion)
      if (options.check !== undefined) yield* options.check(session)
      const text = options.body === undefined ? undefined : yield* options.body.write(input)
      const query = options.query?.(input) ?? {}
      const response = yield* session.execute((state) => {
        const request = HttpClientRequest.make(options.method)(template.fill(state, ids)).pipe(
          HttpClientRequest.setUrlParams(query)
        )
        return text === undefined ? request : HttpClientRequest.bodyText(request, text, "application/xml")
      })
      return options.answer === undefined ? undefined as Out : yield* options.answer.read(response)
    }).pipe(Effect.withSpan(options.span, { captureStackTrace: false, attributes }))
  return Object.assign(run, { spec }) as unknown as Operation<[...Ids<P>, ...InputArgs<In>], Out>
}

/**
 * A resource from its definition: its collection, `page`, `stream` and `get`.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Generated, Resource } from "@tableau-effect/client"
 *
 * const Flows = Resource.make({
 *   name: "flows",
 *   path: "/sites/{siteId}/flows",
 *   element: "flows",
 *   item: "flow",
 *   schema: Schema.Struct({ id: Schema.String, name: Schema.String }),
 *   filterable: ["name"],
 *   minimum: "3.3"
 * })
 * const program = Effect.gen(function*() {
 *   const { items } = yield* Flows.page({ pageSize: 10 })
 *   const first = yield* Flows.get(items[0]!.id)
 *   yield* Effect.log(first.name)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const make = <A, I, const P extends string, const Item extends string>(
  definition: Definition<A, I, P, Item>
): Resource<A, I, P, Item> => {
  const { check, minimum, name } = definition
  const template = Path.parse(definition.path)
  const count = template.params.length
  const feature = featureOf(`tableau.${name}.list`)
  // One decoder for every page of every parent: the collection made for each call shares it.
  const base = Pagination.collection({
    name,
    path: definition.path,
    url: () => definition.path,
    element: definition.element,
    item: definition.item,
    schema: definition.schema
  })
  const collection = (...ids: ReadonlyArray<string>): Pagination.Collection<A> => ({
    ...base,
    url: (state) => template.fill(state, ids),
    check: (session) =>
      Effect.zipRight(
        Effect.zipRight(Path.checkIds(template, ids), ApiVersion.require(feature, minimum, session.apiVersion)),
        check === undefined ? Effect.void : check(session)
      )
  })
  const split = <O>(args: ReadonlyArray<unknown>) =>
    [args.slice(0, count) as ReadonlyArray<string>, args[count] as O | undefined] as const
  const itemPath = `${definition.path}/{${definition.item}Id}` as `${P}/{${Item}Id}`
  return {
    definition: { ...definition, sortable: definition.sortable ?? definition.filterable },
    itemPath,
    list: { span: `tableau.${name}.list`, method: "GET", path: definition.path, minimum, response: definition.element },
    collection: (count === 0 ? collection() : collection) as Resource<A, I, P, Item>["collection"],
    page: ((...args: ReadonlyArray<unknown>) => {
      const [ids, options] = split<Pagination.PageOptions>(args)
      return Pagination.page(collection(...ids), options)
    }) as Resource<A, I, P, Item>["page"],
    stream: ((...args: ReadonlyArray<unknown>) => {
      const [ids, options] = split<Pagination.StreamOptions>(args)
      return Pagination.stream(collection(...ids), options)
    }) as Resource<A, I, P, Item>["stream"],
    get: operation({
      span: `tableau.${name}.get`,
      method: "GET",
      path: itemPath,
      minimum: definition.get?.minimum ?? minimum,
      answer: answer(definition.item, definition.schema),
      check
    }) as unknown as Resource<A, I, P, Item>["get"]
  }
}

/**
 * Creates an item: `POST {path}` with the body, answered with the new item.
 *
 * @example
 * ```ts
 * import { Generated, Projects, Resource } from "@tableau-effect/client"
 *
 * const createProject = Resource.create(Projects.resource, {
 *   minimum: "2.3",
 *   body: Resource.body("project", Generated.ProjectType, (input: { readonly name: string }) => input)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const create = <A, I, const P extends string, const Item extends string, In>(
  resource: Resource<A, I, P, Item>,
  options: {
    readonly minimum: string
    readonly body: Body<In>
    readonly query?: ((input: In) => Readonly<Record<string, string>>) | undefined
  }
): Operation<[...Ids<P>, input: In], A> =>
  operation({
    span: `tableau.${resource.definition.name}.create`,
    method: "POST",
    path: resource.definition.path,
    minimum: options.minimum,
    body: options.body,
    query: options.query,
    answer: answer(resource.definition.item, resource.definition.schema),
    check: resource.definition.check
  }) as unknown as Operation<[...Ids<P>, input: In], A>

/**
 * Updates an item: `PUT {path}/{id}` with the body, answered with the item as it now is.
 *
 * @example
 * ```ts
 * import { Generated, Projects, Resource } from "@tableau-effect/client"
 *
 * const renameProject = Resource.update(Projects.resource, {
 *   minimum: "2.3",
 *   body: Resource.body("project", Generated.ProjectType, (name: string) => ({ name }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const update = <A, I, const P extends string, const Item extends string, In, Out = A>(
  resource: Resource<A, I, P, Item>,
  options: { readonly minimum: string; readonly body: Body<In>; readonly answer?: Answer<Out> | undefined }
): Operation<[...Ids<`${P}/{${Item}Id}`>, input: In], Out> =>
  operation({
    span: `tableau.${resource.definition.name}.update`,
    method: "PUT",
    path: resource.itemPath,
    minimum: options.minimum,
    body: options.body,
    answer: options.answer ?? (answer(resource.definition.item, resource.definition.schema) as unknown as Answer<Out>),
    check: resource.definition.check
  }) as unknown as Operation<[...Ids<`${P}/{${Item}Id}`>, input: In], Out>

/**
 * Deletes an item: `DELETE {path}/{id}`, answered with nothing (204).
 *
 * @example
 * ```ts
 * import { Projects, Resource } from "@tableau-effect/client"
 *
 * const deleteProject = Resource.remove(Projects.resource, { minimum: "2.3" })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const remove = <A, I, const P extends string, const Item extends string>(
  resource: Resource<A, I, P, Item>,
  options: { readonly minimum: string }
): Operation<Ids<`${P}/{${Item}Id}`>, void> =>
  operation({
    span: `tableau.${resource.definition.name}.delete`,
    method: "DELETE",
    path: resource.itemPath,
    minimum: options.minimum,
    check: resource.definition.check
  }) as unknown as Operation<Ids<`${P}/{${Item}Id}`>, void>

/**
 * A named action on an item, `method {path}/{id}/{suffix}` (`POST .../refresh`), with an
 * optional body and answer; its span is `tableau.{name}.{action}`.
 *
 * @example
 * ```ts
 * import { Generated, Resource, Workbooks } from "@tableau-effect/client"
 *
 * const refresh = Resource.action(Workbooks.resource, {
 *   name: "refresh",
 *   method: "POST",
 *   suffix: "/refresh",
 *   minimum: "2.8",
 *   body: Resource.emptyBody,
 *   answer: Resource.answer("job", Generated.JobType)
 * })
 * ```
 *
 * @since 0.1.0
 * @category Constructors
 */
export const action = <
  A,
  I,
  const P extends string,
  const Item extends string,
  const Suffix extends string,
  In = never,
  Out = void
>(
  resource: Resource<A, I, P, Item>,
  options: Omit<OperationOptions<string, In, Out>, "span" | "path" | "check"> & {
    readonly name: string
    readonly suffix: Suffix
  }
): Operation<[...Ids<`${P}/{${Item}Id}${Suffix}`>, ...InputArgs<In>], Out> =>
  operation({
    span: `tableau.${resource.definition.name}.${options.name}`,
    method: options.method,
    path: `${resource.itemPath}${options.suffix}` as `${P}/{${Item}Id}${Suffix}`,
    minimum: options.minimum,
    body: options.body,
    answer: options.answer,
    query: options.query,
    check: resource.definition.check
  })
