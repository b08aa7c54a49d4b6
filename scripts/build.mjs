// One esbuild script for the three bundles: the extension (VS Code's Node host), the training
// host + CLI (plain Node), and the webview (browser). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');

// Native or wasm-carrying packages stay in node_modules: they load files next to themselves.
// tfjs-core stays there too, so the bundle and the external wasm backend share one copy of it
// (two copies both register the Node platform and print a warning on every start).
const nodeExternals = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core', 'sharp'];

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

// jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
// Everything else resolves `main` first, so tfjs packages come in as their Node builds, which
// require '@tensorflow/tfjs-core' by name (never its ESM subpaths) and so share the external copy.
const common = { bundle: true, sourcemap: true, outdir: 'dist', logLevel: 'info', alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' }, minify: !watch && process.env.NODE_ENV === 'production' };

for (const options of bundles) {
  const entries = Object.entries(options.entryPoints).filter(([, file]) => existsSync(file));
  if (entries.length === 0) continue;
  const config = { ...common, ...options, entryPoints: Object.fromEntries(entries) };
  if (watch) await (await esbuild.context(config)).watch();
  else await esbuild.build(config);
}
