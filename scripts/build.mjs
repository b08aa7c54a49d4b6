// Builds the three bundles of scripts/bundles.mjs: the extension (VS Code's Node host), the training
// host + CLI (plain Node), and the webview (browser). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { bundles, commonOptions } from './bundles.mjs';

const watch = process.argv.includes('--watch');

for (const options of Object.values(bundles)) {
  const entries = Object.entries(options.entryPoints).filter(([, file]) => existsSync(file));
  if (entries.length === 0) continue;
  const config = { ...commonOptions(watch), ...options, entryPoints: Object.fromEntries(entries) };
  if (watch) await (await esbuild.context(config)).watch();
  else await esbuild.build(config);
}
