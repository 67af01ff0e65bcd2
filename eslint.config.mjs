// ESLint 9 flat config for `npm run lint` (part of `npm test`). Formatting is Prettier's job
// (`npm run format`, .prettierrc.json); eslint-config-prettier, last, turns off every rule that
// would argue with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import officeAddins from 'eslint-plugin-office-addins';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The house rule (docs/architecture.md): core/ is shared by both halves and imports neither; api/
 * and addin/ import core/, never each other. The same table as test/architecture/imports.test.ts,
 * which checks it exactly (resolved paths, dynamic imports too); here it is checked on the
 * import's text, so an editor shows it as it is typed.
 */
const forbidden = {
  core: ['api', 'addin', 'migrations', 'scripts', 'bench', 'test'],
  api: ['addin', 'bench', 'test'],
  addin: ['api', 'migrations', 'scripts', 'bench', 'test'],
};

const houseLayout = Object.entries(forbidden).map(([folder, notInto]) => ({
  files: [`${folder}/**/*.{ts,mts,cts,js,mjs,cjs}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: notInto.map((target) => ({
          // Any number of ../ and then the forbidden top folder: '../../api/db/x', '../addin'.
          regex: `^(\\.\\./)+${target}(/|$)`,
          message: `${folder}/ must not import from ${target}/ (docs/architecture.md: api/ and addin/ import core/, never each other; core/ imports neither).`,
        })),
      },
    ],
  },
}));

export default defineConfig(
  // Build output, installed packages, local data, test output (ESLint does not read .gitignore).
  globalIgnores(['dist/', 'node_modules/', 'data/', 'coverage/', 'test-artifacts/', 'scratch/']),
  js.configs.recommended,
  // Not the type-checked variant: that would build the whole program once more per run, which
  // `npm run typecheck` already does, and 2 cores are shared with the rest of `npm test`.
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The house convention for a binding that must exist but is not used is a leading underscore
      // (Express's 4-argument error handler, `{ dropped: _x, ...rest }`, callback parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Node scripts and configuration in plain JavaScript.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  houseLayout,
  {
    // Microsoft's Office.js rules, on the code that talks to Excel, at the levels of the plugin's
    // `recommended`. That config itself is not used: it brings its own parser (an older
    // typescript-eslint), ecmaVersion 6, and Prettier run as a lint rule.
    files: ['addin/excel/**/*.ts'],
    plugins: { 'office-addins': officeAddins },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'warn',
      'office-addins/no-empty-load': 'warn',
      'office-addins/no-navigational-load': 'warn',
      'office-addins/no-office-initialize': 'warn',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },
  {
    // Tests and benchmarks stand in for Office.js (globalThis.Excel, proxy objects) and read JSON
    // bodies of any shape; typing every mock to Office's full interfaces would buy nothing.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Kysely's convention: a migration takes `Kysely<any>`, because it must not depend on the
    // application's schema types of today (a landed migration is never edited).
    files: ['migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Both match the control characters that XML 1.0 (xlsx) and PostgreSQL text refuse, on purpose.
    files: ['core/contract/text.ts', 'test/workbooks/invalid-characters.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  prettier,
);
