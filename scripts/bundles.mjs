// The esbuild options of the three bundles, in one place: scripts/build.mjs builds them and the
// tests that check what a bundle contains (or how it starts) bundle with exactly these options.

// Native or wasm-carrying packages stay in node_modules: they load files next to themselves.
// tfjs-core stays there too, so the bundle and the external wasm backend share one copy of it
// (two copies both register the Node platform and print a warning on every start).
// h5wasm's Node build is ESM that finds itself through import.meta.url: loaded by dynamic import() from node_modules.
export const nodeExternals = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core', 'sharp', 'h5wasm'];

/** @type {Record<'extension' | 'host' | 'webview', import('esbuild').BuildOptions>} */
export const bundles = {
  extension: {
    entryPoints: { extension: 'src/extension/extension.ts' },
    platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals,
  },
  host: {
    entryPoints: { host: 'src/host/server.ts', cli: 'src/host/cli.ts' },
    platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals,
  },
  webview: {
    // The codicon font and its stylesheet go next to the bundle: vscode-button's `icon` needs them on the page.
    entryPoints: { webview: 'webview/main.ts', codicon: 'node_modules/@vscode/codicons/dist/codicon.css' },
    platform: 'browser', format: 'iife', target: 'es2022',
    outdir: 'dist/webview',
    loader: { '.ttf': 'file' }, assetNames: '[name]',
  },
};

// jsonc-parser's `main` is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles.
// Everything else resolves `main` first, so tfjs packages come in as their Node builds, which
// require '@tensorflow/tfjs-core' by name (never its ESM subpaths) and so share the external copy.
/** @param {boolean} watch */
export function commonOptions(watch) {
  return {
    bundle: true, sourcemap: true, outdir: 'dist', logLevel: 'info',
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    minify: !watch && process.env.NODE_ENV === 'production',
  };
}
