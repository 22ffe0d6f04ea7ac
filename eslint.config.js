import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net',
  'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib',
];
const BROWSER_ONLY = 'shared/ and renderer/ must stay free of Node: they run in the browser.';
const nodeImports = [{ group: ['node:*'], message: BROWSER_ONLY }];
const nodeBuiltins = NODE_BUILTINS.map((name) => ({ name, message: BROWSER_ONLY }));
const electronImport = { name: 'electron', message: 'Core logic is plain Node: only electron/main and electron/preload may import electron.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', fetch: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The core, the CLI and the test bridge never import electron (security checklist; testable under Node).
    files: ['electron/core/**', 'electron/cli/**', 'electron/bridge/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport] }] },
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronImport, ...nodeBuiltins], patterns: nodeImports }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport, ...nodeBuiltins],
          patterns: [
            ...nodeImports,
            { group: ['**/electron/**'], message: 'The renderer talks to the core only through window.vault (shared/contract).' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**', 'build/**', '**/*.config.{ts,js}'],
    rules: { 'no-console': 'off' },
  },
);
