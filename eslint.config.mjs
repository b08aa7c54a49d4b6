import tseslint from 'typescript-eslint';

// The arrows between folders (CONTRIBUTING.md "Layout"): each folder may import only what its row allows.
const restrict = (files, paths, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } });
const noVscode = { name: 'vscode', message: 'Only src/extension imports vscode.' };
const tfjs = { group: ['@tensorflow/*', 'h5wasm', 'h5wasm/*'], message: 'TensorFlow.js and h5wasm belong to src/engine.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**', 'test-results/**', 'assets/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  restrict(['src/protocol/**/*.ts'], [], [
    { regex: '^(?!\\./|vscode-jsonrpc$)', message: 'src/protocol holds types only: it imports nothing but its own files and vscode-jsonrpc type objects.' },
  ]),
  restrict(['src/shared/**/*.ts'], [], [
    { regex: '^(?!\\./|\\.\\./protocol/)', message: 'src/shared is dependency-free: it imports only src/protocol.' },
  ]),
  restrict(['src/runs/**/*.ts'], [noVscode], [
    tfjs,
    { regex: '^\\.\\./(engine|extension|host)(/|$)', message: 'src/runs knows only protocol and shared.' },
  ]),
  restrict(['src/engine/**/*.ts'], [noVscode], [
    { regex: '^(\\.\\./)+(extension|host)(/|$)', message: 'The engine never imports the extension or the host.' },
  ]),
  restrict(['src/host/**/*.ts'], [noVscode], [
    { regex: '^(\\.\\./)+extension(/|$)', message: 'The host never imports the extension.' },
  ]),
  restrict(['src/extension/**/*.ts'], [], [
    tfjs,
    {
      regex: '^(\\.\\./)+engine/(?!(model/freeze|model/blocks|model/builtins|config/defaults|config/parseText|config/parseErrorWords|config/validate|config/messages|config/pathChecks|config/schema)(/|$))',
      message: 'The extension talks to the engine through the host process; it may import only the engine\'s pure helpers (freeze plans, blocks, built-in model facts, the config\'s parse and validation).',
    },
    { regex: '^(\\.\\./){2,}host(/|$)', message: 'The extension reaches src/host only through the host process (src/extension/host).' },
  ]),
  restrict(['webview/**/*.ts'], [noVscode], [
    tfjs,
    { regex: '^\\.\\./(?!src/(protocol|shared)/)', message: 'The webview imports only src/protocol and src/shared.' },
  ]),
  // webview/charts/ is one level down: its '../' is the webview itself, and src is '../../src/'.
  restrict(['webview/*/**/*.ts'], [noVscode], [
    tfjs,
    { regex: '^\\.\\./\\.\\./(?!src/(protocol|shared)/)', message: 'The webview imports only src/protocol and src/shared.' },
  ]),
);
