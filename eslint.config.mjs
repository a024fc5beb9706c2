// Lint and format, Effect's way: modelled on Effect-TS/effect's own eslint.config.mjs (branch v3), trimmed
// to what this project needs. Formatting is the `@effect/dprint` rule, which runs dprint's TypeScript
// plugin from the wasm file shipped inside the `@dprint/typescript` npm package: nothing is downloaded
// at run time. `npm run lint` checks, `npm run lint:fix` rewrites.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import tsParser from "@typescript-eslint/parser"
import { defineConfig, globalIgnores } from "eslint/config"
import tseslint from "typescript-eslint"

// The files we lint; anything else (vitest configs, the emulator's JS shim) is left alone.
const files = [
  "packages/*/src/**/*.ts",
  "packages/*/test/**/*.ts",
  "examples/**/*.ts",
  "test-support/**/*.ts",
  "bench/**/*.ts",
  "scripts/**/*.ts",
  "scripts/**/*.mjs"
]

export default defineConfig(
  // Generated.ts is written by npm run generate, and checked against what it writes.
  globalIgnores(["**/dist/", "**/build/", "docs/api/", "**/node_modules/", "packages/client/src/Generated.ts"]),
  {
    files,
    extends: [js.configs.recommended, tseslint.configs.recommended, effectEslint.configs.dprint],
    languageOptions: {
      parser: tsParser,
      ecmaVersion: 2022,
      sourceType: "module"
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error"
    },
    rules: {
      // tsc's noFallthroughCasesInSwitch already covers this, and knows about `never`.
      "no-fallthrough": "off",
      // `Effect.gen(function*() { return x })` is ordinary Effect code.
      "require-yield": "off",
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // The project has no `any`; keep it that way.
      "@typescript-eslint/no-explicit-any": "error",
      // `Data.TaggedEnum<{ Drop: {} }>` is how Effect spells a case without fields (Effect turns it off too).
      "@typescript-eslint/no-empty-object-type": "off",
      // Effect's own settings for dprint.
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }]
    }
  },
  {
    // Library code reports through Effect's logger, never the console.
    files: ["packages/*/src/**/*.ts"],
    rules: {
      "no-console": "error"
    }
  },
  {
    // The emulator's command line prints its usage, its address and its errors: that is its job.
    files: ["packages/emulator/src/bin.ts"],
    rules: {
      "no-console": "off"
    }
  },
  {
    // Plain Node scripts: Node's globals (TypeScript files get them from @types/node).
    files: ["scripts/**/*.mjs"],
    languageOptions: {
      globals: { console: "readonly", fetch: "readonly", process: "readonly", setTimeout: "readonly", URL: "readonly" }
    }
  }
)
