// The JSON files that cannot import a registry (package.json, finetune.schema.json) and the CLI help
// say exactly what the registries say: backends, image extensions, built-in models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKENDS, BACKEND_NAMES } from '../../src/shared/backends';
import { IMAGE_EXTENSIONS } from '../../src/shared/imageExtensions';
import { builtinModels, builtinRef } from '../../src/engine/model/builtins';
import { HELP } from '../../src/host/cli/help';

const root = path.resolve(__dirname, '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

interface Manifest {
  contributes: {
    configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; default?: unknown }> };
    menus: Record<string, { command: string; when?: string }[]>;
  };
}
const manifest = readJson('package.json') as Manifest;

test('the backend setting and the project schema list exactly the registered backends, described alike', () => {
  const setting = manifest.contributes.configuration.properties['finetuneGuide.backend'];
  assert.deepEqual(setting?.enum, [...BACKEND_NAMES]);
  assert.deepEqual(setting?.enumDescriptions, BACKENDS.map((b) => b.description));
  assert.equal(setting?.default, BACKEND_NAMES[0]);
  const schema = readJson('src/engine/config/finetune.schema.json') as { properties: { backend: { enum: string[]; default: string } } };
  assert.deepEqual(schema.properties.backend.enum, [...BACKEND_NAMES]);
  assert.equal(schema.properties.backend.default, BACKEND_NAMES[0]);
  assert.ok(HELP.includes(`--backend ${BACKEND_NAMES.join('|')}`));
});

test("Classify Image's explorer menu accepts exactly the image extensions the engine reads", () => {
  const entry = manifest.contributes.menus['explorer/context']?.find((item) => item.command === 'finetuneGuide.classifyImage');
  const match = /^resourceExtname =~ \/(.+)\/([a-z]*)$/.exec(entry?.when ?? '');
  assert.ok(match, `no resourceExtname regex in ${entry?.when}`);
  const regex = new RegExp(match[1] ?? '', match[2]);
  const near = IMAGE_EXTENSIONS.flatMap((ext) => [ext, ext.toUpperCase(), `${ext}x`, ext.slice(0, -1), ext.slice(1)]);
  const others = ['.bmp', '.tif', '.tiff', '.heic', '.avif', '.svg', '.json', '.jpgg', '.jpe', '.pn', ''];
  for (const ext of [...near, ...others]) {
    assert.equal(regex.test(ext), IMAGE_EXTENSIONS.includes(ext.toLowerCase()), `${JSON.stringify(ext)} against ${regex}`);
  }
});

test('the CLI help and the schema name every built-in model', () => {
  const schema = readJson('src/engine/config/finetune.schema.json') as { properties: { model: { properties: { base: { description: string } } } } };
  for (const model of builtinModels()) {
    assert.ok(HELP.includes(builtinRef(model)), builtinRef(model));
    assert.ok(HELP.includes(model.provenance), model.provenance);
    assert.ok(schema.properties.model.properties.base.description.includes(builtinRef(model)), `finetune.schema.json model.base does not name ${builtinRef(model)}`);
  }
});
