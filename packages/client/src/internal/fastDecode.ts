/**
 * A plain-JS decoder compiled once from a schema's AST, for the items of a list page.
 *
 * On a 1000-item page, Effect's parser spends about half its time on its own machinery
 * (effect-shaped results threaded through every node, issue bookkeeping, options looked up per
 * property) rather than on the checks. The compiled decoder walks the same AST and calls the
 * same functions Schema calls (its transformations, filters, declarations and class
 * constructors), so Schema stays the source of truth: nothing here restates what a field means,
 * and no field needs an annotation. It answers only the happy case; on anything else it says
 * `NOT_FAST` and the caller asks Schema, which gives the value or the error.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** What a compiled decoder returns when the input is not the happy shape: ask Schema. @internal */
export const NOT_FAST: unique symbol = Symbol.for("@tableau-effect/client/internal/fastDecode/NOT_FAST")

/** A compiled decoder: the value Schema would decode, or `NOT_FAST`. @internal */
export type Decoder = (input: unknown, options: AST.ParseOptions) => unknown

// Inside the compiled tree, NOT_FAST is a definite failure: Schema fails on this input too.
// A union relies on that to move on to its next member, as Schema does. A node that cannot
// tell (an effectful transformation, which Schema would run) throws INDETERMINATE instead, and
// the whole item goes to Schema.
const INDETERMINATE: unique symbol = Symbol.for("@tableau-effect/client/internal/fastDecode/INDETERMINATE")

type Node = Decoder

const sync = (result: unknown): unknown => {
  if (!Either.isEither(result)) throw INDETERMINATE
  return Either.isRight(result) ? result.right : NOT_FAST
}

const isRecord = (input: unknown): input is { readonly [key: PropertyKey]: unknown } =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const hasOwn = (input: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(input, key)

const guard = (is: (input: unknown) => boolean): Node => (input) => is(input) ? input : NOT_FAST

const isString = guard((input) => typeof input === "string")
const isNumber = guard((input) => typeof input === "number")
const isBoolean = guard((input) => typeof input === "boolean")
const isUndefined = guard((input) => input === undefined)
const isNotNullable = guard((input) => input !== null && input !== undefined)
const anything: Node = (input) => input

// Schema tries the members of a union in order, except those it can pick by a literal property
// (a tag): that search tree reorders candidates, so such unions are left to Schema. This follows
// ParseResult.getLiterals, which is not public.
const hasLiterals = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration": {
      const surrogate = AST.getSurrogateAnnotation(ast)
      return Option.isSome(surrogate) && hasLiterals(surrogate.value)
    }
    case "TypeLiteral":
      return ast.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
    case "TupleType":
      return ast.elements.some((element) => !element.isOptional && AST.isLiteral(AST.encodedAST(element.type)))
    case "Refinement":
    case "Transformation":
      return hasLiterals(ast.from)
    default:
      // A Suspend is not evaluated here: assume the worst.
      return ast._tag === "Suspend"
  }
}

const typeLiteral = (ast: AST.TypeLiteral): Node | undefined => {
  if (ast.indexSignatures.length > 0) return undefined
  if (ast.propertySignatures.length === 0) return isNotNullable
  const names: Array<PropertyKey> = []
  const optional: Array<boolean> = []
  const decoders: Array<Node> = []
  for (const ps of ast.propertySignatures) {
    const decoder = go(ps.type)
    if (decoder === undefined) return undefined
    names.push(ps.name)
    optional.push(ps.isOptional)
    decoders.push(decoder)
  }
  const count = names.length
  return (input, options) => {
    if (!isRecord(input)) return NOT_FAST
    const output: Record<PropertyKey, unknown> = {}
    for (let i = 0; i < count; i++) {
      const name = names[i]!
      // A required key that is absent is decoded as undefined, as Schema does without `exact`.
      if (optional[i] && !hasOwn(input, name)) continue
      const value = decoders[i]!(input[name], options)
      if (value === NOT_FAST) return NOT_FAST
      output[name] = value
    }
    return output
  }
}

const array = (ast: AST.TupleType): Node | undefined => {
  if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
  const item = go(ast.rest[0]!.type)
  if (item === undefined) return undefined
  return (input, options) => {
    if (!Array.isArray(input)) return NOT_FAST
    const output: Array<unknown> = []
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i], options)
      if (value === NOT_FAST) return NOT_FAST
      output.push(value)
    }
    return output
  }
}

const union = (ast: AST.Union): Node | undefined => {
  if (ast.types.some(hasLiterals)) return undefined
  const members: Array<Node> = []
  for (const type of ast.types) {
    const member = go(type)
    if (member === undefined) return undefined
    members.push(member)
  }
  return (input, options) => {
    for (const member of members) {
      const value = member(input, options)
      if (value !== NOT_FAST) return value
    }
    return NOT_FAST
  }
}

// The step between the two sides of a transformation, as ParseResult.getFinalTransformation
// (not public) applies it: `a` is the decoded `from` side, `input` the transformation's input.
type Step = (a: unknown, options: AST.ParseOptions, input: unknown) => unknown

const step = (ast: AST.Transformation): Step => {
  const transformation = ast.transformation
  switch (transformation._tag) {
    case "FinalTransformation":
      return (a, options, input) => sync(transformation.decode(a, options, ast, input))
    case "ComposeTransformation":
      return anything
    case "TypeLiteralTransformation": {
      const steps = transformation.propertySignatureTransformations
      return (a) => {
        if (!isRecord(a)) throw INDETERMINATE
        // Schema edits the output of the `from` side in place too (a fresh object for a struct).
        const output = a as Record<PropertyKey, unknown>
        for (const { decode, from, to } of steps) {
          const value = decode(hasOwn(output, from) ? Option.some(output[from]) : Option.none())
          delete output[from]
          if (Option.isSome(value)) output[to] = value.value
        }
        return output
      }
    }
  }
}

const transformation = (ast: AST.Transformation): Node | undefined => {
  const from = go(ast.from)
  const to = go(ast.to)
  if (from === undefined || to === undefined) return undefined
  const apply = step(ast)
  return (input, options) => {
    const a = from(input, options)
    if (a === NOT_FAST) return NOT_FAST
    const b = apply(a, options, input)
    return b === NOT_FAST ? NOT_FAST : to(b, options)
  }
}

const compileNode = (ast: AST.AST): Node | undefined => {
  // Annotations that change how Schema parses this node and what is below it.
  if (Option.isSome(AST.getParseOptionsAnnotation(ast)) || Option.isSome(AST.getDecodingFallbackAnnotation(ast))) {
    return undefined
  }
  switch (ast._tag) {
    case "StringKeyword":
      return isString
    case "NumberKeyword":
      return isNumber
    case "BooleanKeyword":
      return isBoolean
    case "UndefinedKeyword":
      return isUndefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return anything
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? input : NOT_FAST
    }
    case "Refinement": {
      const from = go(ast.from)
      if (from === undefined) return undefined
      return (input, options) => {
        const value = from(input, options)
        return value === NOT_FAST || Option.isSome(ast.filter(value, options, ast)) ? NOT_FAST : value
      }
    }
    case "Transformation":
      return transformation(ast)
    case "Declaration": {
      const parse = ast.decodeUnknown(...ast.typeParameters)
      return (input, options) => sync(parse(input, options, ast))
    }
    case "TypeLiteral":
      return typeLiteral(ast)
    case "TupleType":
      return array(ast)
    case "Union":
      return union(ast)
    default:
      // Suspend (recursive schemas), templates, enums, symbols...: Schema decodes them.
      return undefined
  }
}

const memo = new WeakMap<AST.AST, Node | null>()

const go = (ast: AST.AST): Node | undefined => {
  const known = memo.get(ast)
  if (known !== undefined) return known ?? undefined
  const node = compileNode(ast)
  memo.set(ast, node ?? null)
  return node
}

// The compiled tree follows Schema's defaults. Options that make Schema stricter or change the
// shape of its output (excess keys kept or refused, absent keys refused, input key order) are
// left to Schema.
const isDefaultShape = (options: AST.ParseOptions): boolean =>
  (options.onExcessProperty === undefined || options.onExcessProperty === "ignore") &&
  options.exact !== true && options.propertyOrder !== "original"

/**
 * Compiles a decoder for the schema's AST, or `undefined` when a node has no fast form (the
 * schema then decodes with Schema alone).
 *
 * @internal
 */
export const compile = (ast: AST.AST): Decoder | undefined => {
  const node = go(ast)
  if (node === undefined) return undefined
  return (input, options) => {
    if (!isDefaultShape(options)) return NOT_FAST
    try {
      return node(input, options)
    } catch {
      // INDETERMINATE, or a transformation that threw: Schema will say what happens.
      return NOT_FAST
    }
  }
}

/**
 * The item schema with the compiled decoder in front: an item the decoder declines is decoded
 * by the item schema itself, so values and errors are Schema's. Encoding is the item's.
 *
 * @internal
 */
export const withFastDecode = <A, I>(item: Schema.Schema<A, I>): Schema.Schema<A, I> =>
  Schema.declare(
    [item],
    {
      decode: (item) => {
        const slow = ParseResult.decodeUnknown(item)
        const fast = compile(item.ast)
        if (fast === undefined) return (input, options) => slow(input, options)
        return (input, options) => {
          const value = fast(input, options)
          // The compiled decoder returns exactly what `slow` would succeed with.
          return value === NOT_FAST ? slow(input, options) : ParseResult.succeed(value as A)
        }
      },
      encode: (item) => {
        const encode = ParseResult.encodeUnknown(item)
        return (input, options) => encode(input, options)
      }
    },
    {
      // The item's own name, so "Expected ReadonlyArray<...>" reads as it did without the wrapper.
      title: String(item.ast),
      arbitrary: (item) => item,
      pretty: (item) => item,
      equivalence: (item) => item
    }
  )
