// ESLint flat config: typescript-eslint with type information (the project's tsconfig.json, through the
// project service), over src, test, bench and the config files. `npm run lint`; CI runs it (.ci/run).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.run/', 'bench/results/', 'data/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The two rules this config is for: every promise is awaited, returned or explicitly voided, and no promise
      // goes where a plain value or a void callback is expected (an `async` listener whose rejection nobody sees).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Unused bindings are the compiler's job (noUnusedLocals / noUnusedParameters in tsconfig.json); `_name`
      // marks one that is unused on purpose. Kept here too so an editor shows them, with the same convention.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Off: an `async` function without `await` is deliberate here. It implements a Promise-returning port or
      // callback (a state store's `apply`, kafkajs' `eachMessage`, a no-op `close`), and being `async` turns a throw
      // into a rejection, which is what the caller handles. Rewriting these as `Promise.resolve(...)` adds nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringMatching, expect.objectContaining…) are typed `any`,
      // and every use of one inside toEqual/toMatchObject would be reported.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript config files (this one): no type information.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
