/**
 * The folder arrows, checked on what esbuild actually bundles: the extension runs in VS Code's
 * extension host, where TensorFlow.js (tens of MB, native and wasm files) must never load (sharp may:
 * the panel shrinks gallery images with it, loaded on first use); the
 * webview bundle may hold only its own code, src/protocol and src/shared.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../..');

async function bundledInputs(name: 'extension' | 'webview'): Promise<{ inputs: string[]; externals: string[] }> {
  const { bundles, commonOptions } = await import('../../scripts/bundles.mjs');
  const result = await esbuild.build({ ...commonOptions(false), ...bundles[name], absWorkingDir: root, write: false, metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  const externals = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path));
  return { inputs, externals };
}

test('dist/extension.js bundles no TensorFlow.js or h5wasm, and does not require them', async () => {
  const { inputs, externals } = await bundledInputs('extension');
  const heavy = /node_modules\/(@tensorflow|h5wasm)\//;
  assert.deepEqual(inputs.filter((input) => heavy.test(input)), []);
  assert.deepEqual(externals.filter((name) => /^(@tensorflow\/|h5wasm)/.test(name)), []);
  assert.ok(inputs.some((input) => input.startsWith('src/extension/')), 'the metafile lists the extension sources');
});

test('the webview bundle holds only webview/, src/protocol, src/shared and browser libraries', async () => {
  const { inputs } = await bundledInputs('webview');
  const own = inputs.filter((input) => !input.includes('node_modules/'));
  assert.deepEqual(own.filter((input) => !/^(webview|src\/protocol|src\/shared)\//.test(input)), []);
  assert.deepEqual(inputs.filter((input) => /node_modules\/(@tensorflow|sharp)\//.test(input)), []);
});
