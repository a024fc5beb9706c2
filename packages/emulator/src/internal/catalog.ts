/**
 * The content of the emulated server: one table per kind of item (sites, users, projects,
 * workbooks, ...), each item with its XML fragment rendered once when it enters or changes, so a
 * page of a list is a slice and a join. Every change is a new catalog; tables keep their order
 * (a Map's insertion order), so a renamed item stays where it was.
 *
 * @internal
 */
import type * as Fixtures from "../Fixtures.js"

/** The values an item's filters and sorts read. @internal */
export type Keys = Readonly<Record<string, string | ReadonlyArray<string>>>

/** An item, its pre-rendered XML, its filter keys, the sites it appears on, and its number. @internal */
export interface Entry<A> {
  readonly item: A
  readonly xml: string
  readonly keys: Keys
  /** Lower-case LUIDs of the sites whose lists hold it. */
  readonly sites: ReadonlyArray<string>
  /** Its place in its kind's order of creation, from 1 (a workbook's webpageUrl has it). */
  readonly ordinal: number
}

/** The items of one kind by lower-case id, in creation order. @internal */
export type Table<A> = ReadonlyMap<string, Entry<A>>

/**
 * A kind of item: how it is identified, where it appears, how it renders and filters, and what
 * it starts as. Each resource of the emulator declares one.
 *
 * @internal
 */
export interface Kind<A> {
  readonly name: string
  readonly id: (item: A) => string
  readonly sites: (item: A, catalog: Catalog) => ReadonlyArray<string>
  readonly render: (item: A, catalog: Catalog, ordinal: number) => string
  readonly keys: (item: A, catalog: Catalog) => Keys
  readonly initial: (fixtures: Fixtures.Fixtures) => ReadonlyArray<A>
}

/**
 * A kind whose items carry their LUID as `id`, as every item of the emulator does; one with no
 * `keys` filters on nothing, one with no `initial` starts empty.
 *
 * @internal
 */
export const kind = <A extends { readonly id: string }>(
  name: string,
  fields: Pick<Kind<A>, "sites" | "render"> & Partial<Pick<Kind<A>, "keys" | "initial">>
): Kind<A> => ({ name, id: (item) => item.id, keys: () => ({}), initial: () => [], ...fields })

/** The `sites` of a kind whose item lives on the one site of its `siteId`. @internal */
export const onItsSite = (item: { readonly siteId: string }): ReadonlyArray<string> => [item.siteId]

/** A kind among others, its item type forgotten (for the list of every kind). @internal */
export const erase = <A>(kind: Kind<A>): Kind<unknown> => kind as unknown as Kind<unknown>

/** @internal */
export interface Catalog {
  readonly baseUrl: string
  readonly connectedApps: ReadonlyArray<Fixtures.ConnectedApp>
  readonly tables: ReadonlyMap<string, Table<unknown>>
  /** The last ordinal given, by kind. */
  readonly sequences: ReadonlyMap<string, number>
}

const EMPTY: Table<never> = new Map()

/** The table of a kind. @internal */
export const table = <A>(catalog: Catalog, kind: Kind<A>): Table<A> =>
  (catalog.tables.get(kind.name) ?? EMPTY) as Table<A>

/** The entries of a kind, in order. @internal */
export const entries = <A>(catalog: Catalog, kind: Kind<A>): Array<Entry<A>> =>
  Array.from(table(catalog, kind).values())

/** The items of a kind, in order. @internal */
export const items = <A>(catalog: Catalog, kind: Kind<A>): Array<A> =>
  Array.from(table(catalog, kind).values(), (entry) => entry.item)

/** The entry of an id (any case), if there is one. @internal */
export const lookup = <A>(catalog: Catalog, kind: Kind<A>, id: string): Entry<A> | undefined =>
  table(catalog, kind).get(id.toLowerCase())

const entryOf = <A>(catalog: Catalog, kind: Kind<A>, item: A, ordinal: number): Entry<A> => ({
  item,
  xml: kind.render(item, catalog, ordinal),
  keys: kind.keys(item, catalog),
  sites: kind.sites(item, catalog).map((id) => id.toLowerCase()),
  ordinal
})

const withTable = <A>(catalog: Catalog, kind: Kind<A>, next: Map<string, Entry<A>>, sequence?: number): Catalog => {
  const tables = new Map(catalog.tables)
  tables.set(kind.name, next as Table<unknown>)
  if (sequence === undefined) return { ...catalog, tables }
  const sequences = new Map(catalog.sequences)
  sequences.set(kind.name, sequence)
  return { ...catalog, tables, sequences }
}

/**
 * Adds items, or replaces those whose id is there already (keeping their place and number),
 * rendering each against the catalog as it is.
 *
 * @internal
 */
export const put = <A>(catalog: Catalog, kind: Kind<A>, added: ReadonlyArray<A>): Catalog => {
  const next = new Map(table(catalog, kind))
  let sequence = catalog.sequences.get(kind.name) ?? 0
  for (const item of added) {
    const id = kind.id(item).toLowerCase()
    const ordinal = next.get(id)?.ordinal ?? ++sequence
    next.set(id, entryOf(catalog, kind, item, ordinal))
  }
  return withTable(catalog, kind, next, sequence)
}

/** Removes items by id. @internal */
export const remove = <A>(catalog: Catalog, kind: Kind<A>, ids: ReadonlyArray<string>): Catalog => {
  const next = new Map(table(catalog, kind))
  for (const id of ids) next.delete(id.toLowerCase())
  return withTable(catalog, kind, next)
}

/**
 * Renders again the items that show something another item changed (a workbook shows its
 * project's name).
 *
 * @internal
 */
export const rerender = <A>(catalog: Catalog, kind: Kind<A>, which: (item: A) => boolean): Catalog => {
  const current = table(catalog, kind)
  const next = new Map(current)
  for (const [id, entry] of current) {
    if (which(entry.item)) next.set(id, entryOf(catalog, kind, entry.item, entry.ordinal))
  }
  return withTable(catalog, kind, next)
}

/** Indexes and renders fixtures, kind after kind (a kind renders against those before it). @internal */
export const make = (
  fixtures: Fixtures.Fixtures,
  baseUrl: string,
  kinds: ReadonlyArray<Kind<unknown>>
): Catalog =>
  kinds.reduce(
    (catalog, kind) => put(catalog, kind, kind.initial(fixtures)),
    { baseUrl, connectedApps: fixtures.connectedApps, tables: new Map(), sequences: new Map() } as Catalog
  )
