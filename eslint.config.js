// Lint, including the layer rules of DESIGN.md §2 as import restrictions.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const noElectron = {
  name: 'electron',
  message: 'DESIGN.md §2: only src/main/desktop, src/main/index.ts and src/preload may use Electron.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      '.tmp/**',
      '.electron-native*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: [
      'src/main/engine/**',
      'src/main/store/**',
      'src/main/api/**',
      'src/main/interop/**',
      'src/main/transports/**',
      'src/main/app.ts',
      'src/main/serve.ts',
      'src/main/paths.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/desktop/**', '**/desktop-rules/**'],
              message: 'DESIGN.md §2: the core never reaches the desktop layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // The IPC transport speaks Electron's types (ipcMain, WebContents) but receives the objects
    // from index.ts, so it runs under Node with fakes in tests.
    files: ['src/main/transports/electron-ipc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...noElectron, allowTypeImports: true }],
          patterns: [
            {
              group: ['**/desktop/**', '**/desktop-rules/**'],
              message: 'DESIGN.md §2: the core never reaches the desktop layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // The desktop's decisions (security checklist, app:// protocol, tray model) as plain functions:
    // Electron's types only, so they run under Node; the adapters in desktop/ apply them.
    files: ['src/main/desktop-rules/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...noElectron, allowTypeImports: true }],
          patterns: [{ group: ['**/desktop/**'], message: 'The rules never reach the Electron adapters.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/engine/**', 'src/main/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/api/**', '**/transports/**', '**/desktop/**', '**/desktop-rules/**'],
              message: 'DESIGN.md §2: engine and store sit below the API and transports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'The engine and store never touch the DOM.' },
        { name: 'document', message: 'The engine and store never touch the DOM.' },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({ name, message: 'src/shared runs in the renderer too.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'src/shared runs in the renderer too.' },
            {
              group: ['../*', '!./*'],
              message: 'DESIGN.md §2: src/shared imports nothing project-internal outside itself.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**', 'test/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never uses Node built-ins.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer never uses Node built-ins.' },
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'DESIGN.md §2: the renderer talks only to window.almanac (the contract).',
            },
          ],
        },
      ],
    },
  },
);
