/**
 * Writes packages/client/src/Generated.ts, the Effect Schemas of Tableau's REST API XML Schema.
 *
 *   npm run generate [path-to-xsd]        (default ../shared/reference/ts-api_3_29.xsd)
 *   npm run generate -- [path] --stdout   (print instead of writing: the idempotence test uses it)
 *
 * Rules (issue 14): attributes are optional unless `use="required"`; elements are optional when
 * `minOccurs="0"` or inside a choice; `maxOccurs` above 1 or `unbounded` makes a list, whatever
 * the names; enumerations are open (the literals, plus any string); xs:dateTime is a strict UTC
 * timestamp, xs:boolean and the numbers decode from their text; patterns and length facets are
 * left to XSD validation (a decoder that refused them would refuse real answers); unknown
 * attributes and elements are ignored by the decoder. A type reached again through itself (a
 * cycle) is cut at the repeat with `Schema.Unknown`, which keeps every type a plain inferred
 * const.
 */
import { XMLParser } from "fast-xml-parser"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { findXsd } from "../test-support/findXsd.js"

interface Node {
  readonly tag: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<Node>
}

type Ordered = Array<Record<string, unknown>>

const toNodes = (ordered: Ordered): Array<Node> => {
  const nodes: Array<Node> = []
  for (const entry of ordered) {
    const tag = Object.keys(entry).find((key) => key !== ":@")
    if (tag === undefined || tag === "#text" || tag === "#comment" || tag.startsWith("?")) continue
    const attrs = (entry[":@"] ?? {}) as Record<string, string>
    nodes.push({ tag: tag.replace(/^xs:/, ""), attrs, children: toNodes(entry[tag] as Ordered) })
  }
  return nodes
}

const parseXsd = (text: string): Node => {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseAttributeValue: false,
    parseTagValue: false,
    commentPropName: "#comment"
  })
  const schema = toNodes(parser.parse(text) as Ordered).find((node) => node.tag === "schema")
  if (schema === undefined) throw new Error("not an XML Schema: no <xs:schema> root")
  return schema
}

const pascal = (name: string): string => {
  const clean = name.replace(/[^A-Za-z0-9_]/g, "_")
  return clean[0]!.toUpperCase() + clean.slice(1)
}

const key = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name))

const local = (qname: string): string => qname.slice(qname.indexOf(":") + 1)

const STRING_TYPES = new Set([
  "string",
  "anyURI",
  "token",
  "normalizedString",
  "time",
  "date",
  "duration",
  "ID",
  "IDREF",
  "NMTOKEN",
  "Name",
  "NCName",
  "language",
  "base64Binary",
  "hexBinary",
  "gYear",
  "QName",
  "anySimpleType"
])
const INTEGER_TYPES = new Set(["int", "integer", "long", "short", "byte", "negativeInteger", "nonPositiveInteger"])
const COUNT_TYPES = new Set([
  "nonNegativeInteger",
  "positiveInteger",
  "unsignedInt",
  "unsignedLong",
  "unsignedShort",
  "unsignedByte"
])
const NUMBER_TYPES = new Set(["decimal", "double", "float"])

interface Generator {
  readonly simple: ReadonlyMap<string, Node>
  readonly complex: ReadonlyMap<string, Node>
  readonly groups: ReadonlyMap<string, Node>
  readonly attributeGroups: ReadonlyMap<string, Node>
  /** The named types on the path being generated: a reference back to one of them is a cycle. */
  readonly visiting: Set<string>
  readonly done: Set<string>
  readonly output: Array<string>
  cycles: number
}

const isBuiltin = (qname: string): boolean => qname.startsWith("xs:")

const builtin = (name: string): string => {
  if (STRING_TYPES.has(name)) return "Schema.String"
  if (name === "boolean") return "X.Boolean"
  if (name === "dateTime") return "X.DateTime"
  if (INTEGER_TYPES.has(name)) return "X.Integer"
  if (COUNT_TYPES.has(name)) return "X.Count"
  if (NUMBER_TYPES.has(name)) return "X.Number"
  return "Schema.String"
}

/** Whether a simple type's values are strings (so its enumeration can be open over strings). */
const isStringBased = (g: Generator, qname: string): boolean => {
  if (isBuiltin(qname)) return STRING_TYPES.has(local(qname))
  const node = g.simple.get(local(qname))
  const restriction = node?.children.find((child) => child.tag === "restriction")
  return restriction?.attrs["base"] === undefined ? true : isStringBased(g, restriction.attrs["base"])
}

const simpleNode = (g: Generator, node: Node): string => {
  for (const child of node.children) {
    if (child.tag === "restriction") {
      const base = child.attrs["base"] ?? "xs:string"
      const values = child.children.filter((facet) => facet.tag === "enumeration").map((facet) => facet.attrs["value"]!)
      if (values.length > 0 && isStringBased(g, base)) {
        return `X.open(${values.map((v) => JSON.stringify(v)).join(", ")})`
      }
      const inline = child.children.find((facet) => facet.tag === "simpleType")
      return inline === undefined ? typeRef(g, base) : simpleNode(g, inline)
    }
    if (child.tag === "union") {
      const members = [
        ...(child.attrs["memberTypes"] ?? "").split(/\s+/).filter((m) => m.length > 0).map((m) => typeRef(g, m)),
        ...child.children.filter((m) => m.tag === "simpleType").map((m) => simpleNode(g, m))
      ]
      const distinct = [...new Set(members)]
      return distinct.length === 1 ? distinct[0]! : `Schema.Union(${distinct.join(", ")})`
    }
    if (child.tag === "list") return "Schema.String"
  }
  return "Schema.String"
}

/** The schema expression of a type reference, generating the named type first. */
const typeRef = (g: Generator, qname: string): string => {
  if (isBuiltin(qname)) return builtin(local(qname))
  const name = local(qname)
  if (!g.simple.has(name) && !g.complex.has(name)) throw new Error(`unknown type ${qname}`)
  if (g.visiting.has(name)) {
    g.cycles++
    return "Schema.Unknown"
  }
  define(g, name)
  return pascal(name)
}

/** Whether a complex type has simple content (text plus attributes). */
const hasText = (node: Node): boolean => node.children.some((child) => child.tag === "simpleContent")

interface Field {
  readonly name: string
  readonly code: string
}

const attributeField = (g: Generator, node: Node): Field => {
  const name = node.attrs["name"] ?? local(node.attrs["ref"] ?? "attribute")
  const inline = node.children.find((child) => child.tag === "simpleType")
  const schema = inline !== undefined ? simpleNode(g, inline) : typeRef(g, node.attrs["type"] ?? "xs:string")
  return { name, code: node.attrs["use"] === "required" ? schema : `X.optional(${schema})` }
}

/** The schema of one occurrence of an element: a child struct, text with attributes, or a simple value. */
const elementItem = (g: Generator, node: Node): string => {
  const inlineComplex = node.children.find((child) => child.tag === "complexType")
  if (inlineComplex !== undefined) {
    const body = complexBody(g, inlineComplex)
    return hasText(inlineComplex) ? `X.text(${body})` : `X.element(${body})`
  }
  const inlineSimple = node.children.find((child) => child.tag === "simpleType")
  if (inlineSimple !== undefined) return simpleNode(g, inlineSimple)
  const type = node.attrs["type"] ?? "xs:string"
  const ref = typeRef(g, type)
  const named = g.complex.get(local(type))
  if (isBuiltin(type) || named === undefined || ref === "Schema.Unknown") return ref
  return hasText(named) ? ref : `X.element(${ref})`
}

const elementField = (g: Generator, node: Node, inChoice: boolean): Field => {
  const name = node.attrs["name"]!
  const item = elementItem(g, node)
  const max = node.attrs["maxOccurs"] ?? "1"
  const optional = inChoice || node.attrs["minOccurs"] === "0"
  if (max === "unbounded" || Number(max) > 1) {
    return { name, code: optional ? `X.optionalList(${item})` : `X.list(${item})` }
  }
  return { name, code: optional ? `X.optional(${item})` : item }
}

/** The fields of a content model: sequences, choices (all optional), group references, elements. */
const particleFields = (g: Generator, node: Node, inChoice: boolean): Array<Field> => {
  const fields: Array<Field> = []
  for (const child of node.children) {
    const optional = inChoice || child.attrs["minOccurs"] === "0"
    switch (child.tag) {
      case "element":
        fields.push(elementField(g, child, inChoice))
        break
      case "sequence":
      case "all":
        fields.push(...particleFields(g, child, optional))
        break
      case "choice":
        fields.push(...particleFields(g, child, true))
        break
      case "group": {
        const group = g.groups.get(local(child.attrs["ref"]!))
        if (group === undefined) throw new Error(`unknown group ${child.attrs["ref"]}`)
        fields.push(...particleFields(g, group, optional))
        break
      }
    }
  }
  return fields
}

const attributeFields = (g: Generator, node: Node): Array<Field> => {
  const fields: Array<Field> = []
  for (const child of node.children) {
    if (child.tag === "attribute") fields.push(attributeField(g, child))
    if (child.tag === "attributeGroup") {
      const group = g.attributeGroups.get(local(child.attrs["ref"]!))
      if (group === undefined) throw new Error(`unknown attribute group ${child.attrs["ref"]}`)
      fields.push(...attributeFields(g, group))
    }
  }
  return fields
}

/** The object literal of a struct's fields. */
const fieldsLiteral = (fields: ReadonlyArray<Field>, spread: ReadonlyArray<string> = []): string => {
  const seen = new Set<string>()
  const lines: Array<string> = spread.map((base) => `...${base}.fields`)
  for (const field of fields) {
    // A name twice (the same element in two branches of a choice) keeps its first schema.
    if (seen.has(field.name)) continue
    seen.add(field.name)
    lines.push(`${key(field.name)}: ${field.code}`)
  }
  return lines.length === 0 ? "{}" : `{\n${lines.map((line) => `  ${line}`).join(",\n")}\n}`
}

/** The fields of a complex type: its elements (in document order), then its attributes. */
const complexFields = (g: Generator, node: Node): string => {
  const content = node.children.find((child) => child.tag === "complexContent" || child.tag === "simpleContent")
  if (content !== undefined) {
    const derivation = content.children.find((child) => child.tag === "extension" || child.tag === "restriction")!
    const base = derivation.attrs["base"]!
    if (content.tag === "simpleContent") {
      const value = typeRef(g, base)
      return fieldsLiteral([{ name: "text", code: value }, ...attributeFields(g, derivation)])
    }
    const baseRef = typeRef(g, base)
    const own = [...particleFields(g, derivation, false), ...attributeFields(g, derivation)]
    return derivation.tag === "extension" && baseRef !== "Schema.Unknown"
      ? fieldsLiteral(own, [baseRef])
      : fieldsLiteral(own)
  }
  return fieldsLiteral([...particleFields(g, node, false), ...attributeFields(g, node)])
}

/** An anonymous complex type, inline. */
const complexBody = (g: Generator, node: Node): string => `Schema.Struct(${complexFields(g, node)})`

const doc = (kind: string, name: string): string =>
  `/**\n * The XSD's ${kind} \`${name}\`.\n * @since 0.1.0\n * @category Models\n */`

const define = (g: Generator, name: string): void => {
  if (g.done.has(name)) return
  g.visiting.add(name)
  const simple = g.simple.get(name)
  const id = pascal(name)
  let code: string
  if (simple !== undefined) {
    code = `${doc("simple type", name)}\nexport const ${id} = ${simpleNode(g, simple)}\n`
  } else {
    // Fields, an interface, then the schema: the interface gives the type a name, so the
    // declarations of the types that use it say `WorkbookType` instead of repeating its shape.
    const node = g.complex.get(name)!
    const fields = complexFields(g, node)
    const schema = hasText(node)
      ? [
        `Schema.transform<typeof Schema.Unknown, Schema.Struct<typeof ${id}Fields>>`,
        `X.text(Schema.Struct(${id}Fields))`
      ]
      : [`Schema.Struct<typeof ${id}Fields>`, `Schema.Struct(${id}Fields)`]
    code =
      `const ${id}Fields = ${fields}\n\n${doc("complex type", name)}\nexport interface ${id} extends ${
        schema[0]
      } {}\n\n` +
      `${doc("complex type", name)}\nexport const ${id}: ${id} = ${schema[1]}\n`
  }
  g.visiting.delete(name)
  g.done.add(name)
  g.output.push(code)
}

const HEADER = (source: string) =>
  `/**
 * Effect Schemas of Tableau's REST API XML Schema, one per named type of ${source}: the wire
 * model that the item classes (Workbooks, Users, Projects, Sites) derive from and that the
 * emulator renders through.
 *
 * GENERATED by scripts/generate-schemas.ts (\`npm run generate\`) from Tableau's ${source}
 * (MIT licensed, Copyright (c) 2016 Tableau). Do not edit: change the generator and run it again.
 *
 * Attributes are optional unless the XSD requires them, enumerations are open, lists are lists
 * by \`maxOccurs\`, dates are strict, unknown attributes and elements are ignored. The parsed
 * tree these decode is the one \`Xml.parse\` makes.
 *
 * @example
 * \`\`\`ts
 * import { Schema } from "effect"
 * import { Generated } from "@tableau-effect/client"
 *
 * const location = Schema.decodeUnknownSync(Generated.LocationType)({ id: "9f9e9d9c-8b8a-4c3d-9e8f-7a6b5c4d3e2f", type: "PersonalSpace" })
 * \`\`\`
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as X from "./internal/xsd.js"
`

/** The text of Generated.ts for the XSD text. */
export const generate = (
  xsd: string,
  source: string
): { readonly code: string; readonly types: number; readonly cycles: number } => {
  const schema = parseXsd(xsd)
  const named = (tag: string) =>
    new Map(schema.children.filter((node) => node.tag === tag).map((node) => [node.attrs["name"]!, node] as const))
  const g: Generator = {
    simple: named("simpleType"),
    complex: named("complexType"),
    groups: named("group"),
    attributeGroups: named("attributeGroup"),
    visiting: new Set(),
    done: new Set(),
    output: [],
    cycles: 0
  }
  const names = [...g.simple.keys(), ...g.complex.keys()].sort()
  for (const name of names) define(g, name)
  return { code: `${HEADER(source)}\n${g.output.join("\n")}`, types: names.length, cycles: g.cycles }
}

const main = (): void => {
  const args = process.argv.slice(2)
  const toStdout = args.includes("--stdout")
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
  const given = args.find((arg) => !arg.startsWith("--"))
  const xsdPath = given === undefined
    ? findXsd(root) ?? path.join(root, "../shared/reference/ts-api_3_29.xsd")
    : path.resolve(given)
  const { code, cycles, types } = generate(fs.readFileSync(xsdPath, "utf8"), path.basename(xsdPath))
  if (toStdout) {
    process.stdout.write(code)
    return
  }
  const target = path.join(root, "packages/client/src/Generated.ts")
  fs.writeFileSync(target, code)
  process.stderr.write(`${path.relative(root, target)}: ${types} types from ${xsdPath} (${cycles} cycle cuts)\n`)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
