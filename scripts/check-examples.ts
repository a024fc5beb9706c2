/**
 * Type-checks every ```ts block of every JSDoc `@example` in packages/*\/src: each block becomes a module
 * under build/examples-check/ (git-ignored), compiled with the workspace's own compiler options against the
 * workspace packages, and every error is printed at the line of the source file the block came from.
 *
 * Run with `npm run check:examples`; exits 1 when a block fails. To see the generated modules in an editor
 * or with plain tsc afterwards: `npx tsc -p build/examples-check`.
 *
 * Why not `@effect/docgen`: it needs a docgen.json and a `homepage` in each package.json, writes a markdown
 * site into each package, and reports errors against its generated files, not our sources.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import ts from "typescript"

const root = Path.resolve(import.meta.dirname, "..")
const outDir = Path.join(root, "build", "examples-check")

/** One ```ts block: where it came from and the code with the JSDoc ` * ` prefixes removed. */
interface Block {
  readonly source: string // path relative to the repository root
  readonly line: number // 1-based line in `source` of the block's first line of code
  readonly prefixes: ReadonlyArray<number> // per line of code, how many characters of prefix were removed
  readonly code: string
  readonly module: string // absolute path of the generated module
}

const sourceFiles = (): Array<string> =>
  Fs.readdirSync(Path.join(root, "packages"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const src = Path.join(root, "packages", entry.name, "src")
      if (!Fs.existsSync(src)) return []
      return Fs.readdirSync(src, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
        .map((file) => Path.join(src, file))
    })
    .sort()

/** The JSDoc comments of a file with their start offsets: the comments in the leading trivia of its syntax
 * nodes, so that a string or a template that happens to contain `/**` is never taken for a comment. */
const jsDocComments = (file: string, text: string): Array<{ readonly start: number; readonly text: string }> => {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const comments = new Map<number, string>()
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      const comment = text.slice(range.pos, range.end)
      if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia && comment.startsWith("/**")) {
        comments.set(range.pos, comment)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  visit(sourceFile.endOfFileToken)
  return [...comments].sort(([a], [b]) => a - b).map(([start, text]) => ({ start, text }))
}

const lineOf = (text: string, offset: number): number => {
  let line = 1
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

const PREFIX = /^\s*(?:\/\*\*|\*\/|\*(?!\/))? ?/

const extract = (file: string): { blocks: Array<Block>; bare: Array<number> } => {
  const text = Fs.readFileSync(file, "utf8")
  const source = Path.relative(root, file)
  const blocks: Array<Block> = []
  const bare: Array<number> = [] // @example tags with no ```ts block under them
  for (const comment of jsDocComments(file, text)) {
    const firstLine = lineOf(text, comment.start)
    const lines = comment.text.split("\n")
    let inExample = false
    let exampleLine = 0
    let exampleHasBlock = false
    let fence: { line: number; code: Array<string>; prefixes: Array<number> } | undefined
    const closeExample = () => {
      if (inExample && !exampleHasBlock) bare.push(exampleLine)
      inExample = false
    }
    lines.forEach((raw, index) => {
      const prefix = PREFIX.exec(raw)?.[0].length ?? 0
      const content = raw.slice(prefix).replace(/\s*\*\/\s*$/, "")
      const line = firstLine + index
      if (fence !== undefined) {
        if (/^\s*```\s*$/.test(content)) {
          const n = blocks.length + 1
          const name = `${source.replace(/^packages\//, "").replace(/[/\\.]/g, "_")}_L${fence.line}.ts`
          blocks.push({
            source,
            line: fence.line,
            prefixes: fence.prefixes,
            code: fence.code.join("\n"),
            module: Path.join(outDir, `${String(n).padStart(3, "0")}_${name}`)
          })
          fence = undefined
        } else {
          fence.code.push(content)
          fence.prefixes.push(prefix)
        }
        return
      }
      if (/^@example\b/.test(content)) {
        closeExample()
        inExample = true
        exampleLine = line
        exampleHasBlock = false
      } else if (/^@\w/.test(content)) {
        closeExample()
      } else if (inExample && /^\s*```(?:ts|typescript)\s*$/.test(content)) {
        exampleHasBlock = true
        fence = { line: line + 1, code: [], prefixes: [] }
      }
    })
    closeExample()
  }
  return { blocks, bare }
}

/** The options every module is checked with: the workspace's own (so the export condition the workspace
 * packages resolve through is whatever tsconfig.base.json names today), minus what only a build needs, and
 * minus the unused-name checks: an example may well declare a value only to show its type. */
const writeProject = (blocks: ReadonlyArray<Block>): string => {
  Fs.rmSync(outDir, { recursive: true, force: true })
  Fs.mkdirSync(outDir, { recursive: true })
  for (const block of blocks) {
    // `export {}` makes each block a module of its own, so two blocks may declare the same name.
    Fs.writeFileSync(block.module, `${block.code}\nexport {}\n`)
  }
  const tsconfig = {
    extends: Path.relative(outDir, Path.join(root, "tsconfig.base.json")),
    include: ["*.ts"],
    compilerOptions: {
      noEmit: true,
      composite: false,
      incremental: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noUnusedLocals: false,
      noUnusedParameters: false,
      types: ["node"]
    }
  }
  const configPath = Path.join(outDir, "tsconfig.json")
  Fs.writeFileSync(configPath, JSON.stringify(tsconfig, null, 2) + "\n")
  return configPath
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n"
}

const main = (): number => {
  const files = sourceFiles()
  const found = files.map(extract)
  const blocks = found.flatMap((f) => f.blocks)
  const bare = found.flatMap((f, i) => f.bare.map((line) => `${Path.relative(root, files[i]!)}:${line}`))

  const configPath = writeProject(blocks)
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  })
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`)
  const configErrors = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error)
  if (configErrors.length > 0) {
    console.error(ts.formatDiagnostics(configErrors, formatHost))
    return 1
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error)

  const byModule = new Map(blocks.map((block) => [Path.resolve(block.module), block]))
  const failed = new Set<Block>()
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ")
    const block = diagnostic.file === undefined ? undefined : byModule.get(Path.resolve(diagnostic.file.fileName))
    if (block === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
      // An error outside the generated modules (a package itself, or the options): print it as tsc would.
      console.error(ts.formatDiagnostic(diagnostic, formatHost).trimEnd())
      continue
    }
    failed.add(block)
    const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    const column = (block.prefixes[at.line] ?? 0) + at.character + 1
    console.error(`${block.source}:${block.line + at.line}:${column} - error TS${diagnostic.code}: ${message}`)
  }

  for (const at of bare) console.warn(`${at} - warning: @example without a \`\`\`ts block, not checked`)
  const otherErrors = diagnostics.length > 0 && failed.size === 0
  console.log(
    `${blocks.length} @example blocks in ${new Set(blocks.map((b) => b.source)).size} files: ` +
      `${blocks.length - failed.size} type-check, ${failed.size} fail` +
      ` (modules in ${Path.relative(root, outDir)}/)`
  )
  return failed.size > 0 || otherErrors ? 1 : 0
}

process.exitCode = main()
