// One esbuild script for the three bundles: the extension (VS Code's Node host), the training
// host + CLI (plain Node), and the webview (browser). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');

// Native or wasm-carrying packages stay in node_modules: they load files next to themselves.
const nodeExternals = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'sharp'];

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    entryPoints: { extension: 'src/extension/extension.ts' },
    platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals,
  },
  {
    entryPoints: { host: 'src/host/server.ts', cli: 'src/host/cli.ts' },
    platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals,
  },
  {
    entryPoints: { webview: 'webview/main.ts' },
    platform: 'browser', format: 'iife', target: 'es2022',
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' },
  },
];

// mainFields: jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
const common = { bundle: true, sourcemap: true, outdir: 'dist', logLevel: 'info', mainFields: ['module', 'main'], minify: !watch && process.env.NODE_ENV === 'production' };

for (const options of bundles) {
  const entries = Object.entries(options.entryPoints).filter(([, file]) => existsSync(file));
  if (entries.length === 0) continue;
  const config = { ...common, ...options, entryPoints: Object.fromEntries(entries) };
  if (watch) await (await esbuild.context(config)).watch();
  else await esbuild.build(config);
}
