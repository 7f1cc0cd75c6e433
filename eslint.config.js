import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

const nodeOnly = ['node:*', 'fs', 'path', 'child_process', 'os', 'electron', 'better-sqlite3', 'sharp', '@tensorflow/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'e2e/artifacts/**', 'coverage/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // The engine and the contract stay free of Electron and Vue: they run under plain Node.
    files: ['src/core/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'vue', 'pinia', 'echarts'], message: 'src/core and src/shared must not depend on Electron or the UI.' },
        { group: ['**/main/**', '**/server/**', '**/renderer/**', '**/preload/**', '**/bridge/**', '**/cli/**'], message: 'src/core and src/shared import nothing of the outer layers.' },
      ] }],
    },
  },
  {
    // The services serve both the Electron main process and the HTTP bridge: no Electron, no UI.
    files: ['src/server/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'vue', 'pinia', 'echarts'], message: 'src/server is shared with browser mode and the CLI: no Electron or UI imports.' },
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/bridge/**', '**/cli/**'], message: 'src/server imports only src/core and src/shared.' },
      ] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: nodeOnly, message: 'src/shared is imported by the renderer: no Node or native modules.' },
        { group: ['**/core/**', '**/main/**', '**/server/**', '**/renderer/**'], message: 'src/shared imports nothing of ours.' },
      ] }],
    },
  },
  {
    // The renderer never touches Node or Electron: everything goes through the typed contract.
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: nodeOnly, message: 'The renderer must not import Node or Electron; use the typed contract.' },
        { group: ['**/core/**', '**/main/**', '**/server/**', '**/bridge/**', '**/cli/**'], message: 'The renderer reaches the engine only through src/shared/contract.' },
      ] }],
    },
  },
  {
    // The Storage interface is asynchronous (SQLite and PostgreSQL alike): a promise nobody awaits is a write
    // that may not have happened, or an error nobody sees. Type-aware, so only where the code is Node's
    // (the renderer's .vue files are outside these projects).
    files: ['src/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/renderer/**'],
    languageOptions: { parserOptions: { project: ['./tsconfig.node.json', './tsconfig.dom-tests.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
