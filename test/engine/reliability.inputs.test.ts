/**
 * Issue 7's bad-input corpus at the CLI level (needs `npm run build`): each case breaks one thing in a
 * tiny project, runs `node dist/cli.js train|inspect|init` and checks exit code 2, a message naming the
 * file (and field) and the fix, no stack trace, and that the project is byte-for-byte unchanged with no
 * run folder created. The table in docs/reliability.md lists these cases.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveModel, tempDir } from '../fixtures/models/tinyModels';
import { assertUserError, cli, editProject, freshProject, removeTemplate, snapshotTree, type ProjectJson } from '../fixtures/reliability/project';

after(removeTemplate);

interface Case {
  readonly name: string;
  /** Breaks the project in `dir`; returns the CLI arguments and what stderr must contain. */
  readonly setup: (dir: string) => Promise<{ args: string[]; expected: (string | RegExp)[] }>;
}

const train = (dir: string) => ['train', dir, '--backend', 'cpu'];
const modelFile = (dir: string) => path.join(dir, 'model', 'model.json');
const project = (dir: string) => path.join(dir, 'finetune.json');

async function editModelJson(dir: string, edit: (json: { modelTopology: { config: { layers: { name: string; class_name: string; config: Record<string, unknown> }[] } } } & Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(modelFile(dir), 'utf8'));
  edit(json);
  await writeFile(modelFile(dir), JSON.stringify(json));
}

/** One change to finetune.json; the expected message names finetune.json and `field`. */
function configCase(name: string, edit: (json: ProjectJson) => void, field: string, pattern: RegExp): Case {
  return {
    name,
    setup: async (dir) => {
      await editProject(dir, edit);
      return { args: train(dir), expected: [project(dir), field, pattern] };
    },
  };
}

const modelCases: Case[] = [
  { name: 'model.json that is not JSON', setup: async (dir) => {
    await writeFile(modelFile(dir), 'this is not json');
    return { args: train(dir), expected: [modelFile(dir), /not valid JSON/] };
  } },
  { name: 'model.json truncated', setup: async (dir) => {
    await truncate(modelFile(dir), 200);
    return { args: train(dir), expected: [modelFile(dir), /truncated/] };
  } },
  { name: 'model.json without a topology', setup: async (dir) => {
    await editModelJson(dir, (json) => { delete (json as Record<string, unknown>).modelTopology; });
    return { args: train(dir), expected: [modelFile(dir), /no model topology/] };
  } },
  { name: 'a GraphModel', setup: async (dir) => {
    await writeFile(modelFile(dir), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
    return { args: train(dir), expected: [modelFile(dir), /GraphModel.*LayersModel/s] };
  } },
  { name: 'an unknown layer class', setup: async (dir) => {
    await editModelJson(dir, (json) => { const conv = json.modelTopology.config.layers.find((l) => l.name === 'block_1_conv'); if (conv) conv.class_name = 'MyFancyConv'; });
    return { args: train(dir), expected: [modelFile(dir), /MyFancyConv/] };
  } },
  { name: 'a missing weight shard', setup: async (dir) => {
    await rm(path.join(dir, 'model', 'weights.bin'));
    return { args: train(dir), expected: [modelFile(dir), /weights\.bin.*missing/] };
  } },
  { name: 'a short weight shard', setup: async (dir) => {
    await truncate(path.join(dir, 'model', 'weights.bin'), 100);
    return { args: train(dir), expected: [modelFile(dir), /100 bytes.*truncated/] };
  } },
  { name: 'weights that do not match the topology', setup: async (dir) => {
    await editModelJson(dir, (json) => { const conv = json.modelTopology.config.layers.find((l) => l.name === 'block_1_conv'); if (conv) conv.config.filters = 7; });
    return { args: train(dir), expected: [modelFile(dir), /block_1_conv\/kernel.*shape/] };
  } },
  { name: 'a cut layer name that does not exist', setup: async (dir) => {
    await editProject(dir, (json) => { json.model.cutLayer = 'block_9_conv'; });
    return { args: train(dir), expected: [project(dir), 'model.cutLayer', /"block_9_conv" is not a layer of model\/model\.json.*"block_2_conv"/s] };
  } },
  { name: 'inspect on a model.json that is not JSON', setup: async (dir) => {
    await writeFile(modelFile(dir), '{ "modelTopology": ');
    return { args: ['inspect', modelFile(dir)], expected: [modelFile(dir), /JSON|truncated/] };
  } },
];

const dataCases: Case[] = [
  configCase('a missing data folder', (json) => { json.data.folder = 'photos'; }, 'data.folder', /"photos" does not exist \(resolved to .*photos\)/),
  { name: 'no class sub-folders (images directly inside)', setup: async (dir) => {
    await rename(path.join(dir, 'data', 'dark', '0.png'), path.join(dir, 'data', 'a.png'));
    await rename(path.join(dir, 'data', 'light', '0.png'), path.join(dir, 'data', 'b.png'));
    await rm(path.join(dir, 'data', 'dark'), { recursive: true });
    await rm(path.join(dir, 'data', 'light'), { recursive: true });
    return { args: train(dir), expected: [path.join(dir, 'data'), /no class sub-folders.*one sub-folder per class/s] };
  } },
  { name: 'one class only', setup: async (dir) => {
    await rm(path.join(dir, 'data', 'light'), { recursive: true });
    return { args: train(dir), expected: [path.join(dir, 'data'), /only one class sub-folder \(dark\)/] };
  } },
  { name: 'an empty class', setup: async (dir) => {
    await rm(path.join(dir, 'data', 'light'), { recursive: true });
    await mkdir(path.join(dir, 'data', 'light'));
    return { args: train(dir), expected: [path.join(dir, 'data', 'light'), /class "light" has no usable images/] };
  } },
  { name: 'a class with one image (cannot be split)', setup: async (dir) => {
    for (let i = 1; i < 5; i++) await rm(path.join(dir, 'data', 'light', `${i}.png`));
    return { args: train(dir), expected: [path.join(dir, 'data', 'light'), /has 1 usable image; it needs at least 2/] };
  } },
  { name: 'a symlink loop', setup: async (dir) => {
    await symlink(path.join(dir, 'data', 'light'), path.join(dir, 'data', 'light', 'again'));
    return { args: train(dir), expected: [path.join(dir, 'data', 'light', 'again'), /loop/] };
  } },
  configCase('the data folder is the project folder', (json) => { json.data.folder = '.'; }, 'data.folder', /is the project folder itself .*runs\/ too.*own folder/s),
  configCase('the data folder holds the runs folder', (json) => { json.runsFolder = 'data/runs'; }, 'data.folder', /holds the runs folder .*runsFolder/s),
];

const projectCases: Case[] = [
  { name: 'a syntax error', setup: async (dir) => {
    await writeFile(project(dir), '{\n  "version": 1,\n  "model": { "base": "model/model.json" "cutLayer": "x" }\n}');
    return { args: train(dir), expected: [project(dir), /line 3, column \d+/, /Fix the JSON/] };
  } },
  configCase('a wrong type', (json) => { json.phases[0].batchSize = '4'; }, 'phases[0].batchSize', /"4" is not allowed; use a whole number/),
  configCase('an unknown field', (json) => { json.modle = {}; }, 'modle', /unknown field "modle"/),
  configCase('a negative learning rate', (json) => { json.phases[1].learningRate = -0.001; }, 'phases[1].learningRate', /-0\.001 is not allowed; use a number > 0/),
  configCase('zero epochs', (json) => { json.phases[0].epochs = 0; }, 'phases[0].epochs', /0 is not allowed; use a whole number >= 1/),
  configCase('a freeze plan naming a layer that does not exist (fromLayer)', (json) => { json.phases[1].trainable = { fromLayer: 'block_9_conv' }; }, 'phases[1].trainable.fromLayer', /"block_9_conv" is not a layer of the prepared model.*finetune-guide inspect/s),
  configCase('a freeze plan naming a layer that does not exist (layers)', (json) => { json.phases[0].trainable = { layers: ['block_2_conv', 'no_such_layer'] }; }, 'phases[0].trainable.layers', /"no_such_layer" is not a layer/),
  { name: 'a runs folder that cannot be written (its parent is a file)', setup: async (dir) => {
    await writeFile(path.join(dir, 'notes.txt'), 'my notes');
    await editProject(dir, (json) => { json.runsFolder = 'notes.txt/runs'; });
    return { args: train(dir), expected: [project(dir), 'runsFolder', `${path.join(dir, 'notes.txt')} is a file, not a folder`] };
  } },
  configCase('a model path that does not exist (resolved against the project folder)', (json) => { json.model.base = 'models/none/model.json'; }, 'model.base', /resolved to \/.*models\/none\/model\.json/),
];

for (const [area, cases] of [['model', modelCases], ['data', dataCases], ['project file', projectCases]] as const) {
  for (const item of cases) {
    test(`${area}: ${item.name} -> exit 2, named, nothing written`, async () => {
      const dir = await freshProject();
      try {
        const { args, expected } = await item.setup(dir);
        const before = await snapshotTree(dir);
        assertUserError(cli(args), ...expected);
        assert.deepEqual(await snapshotTree(dir), before, 'the project is unchanged');
        assert.ok(!existsSync(path.join(dir, 'runs')), 'no run folder was created');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
}

test('init with a model that has no layer to cut at -> exit 2, no finetune.json written', async () => {
  // Flat pixels straight into the classifier: no feature map, and nothing but the input feeds the Dense (Flatten + Dense would be an MLP, cut at the Flatten).
  const flat = tf.sequential({ layers: [tf.layers.dense({ inputShape: [48], units: 2, name: 'out' })] });
  const modelDir = tempDir('ftg-reliability-flat-');
  const dir = await freshProject();
  try {
    const flatModel = await saveModel(flat, modelDir);
    const before = await snapshotTree(dir);
    const target = path.join(dir, 'new-project');
    assertUserError(cli(['init', target, '--model', flatModel, '--data', path.join(dir, 'data')]), flatModel, /no layer to cut at/);
    assert.ok(!existsSync(path.join(target, 'finetune.json')));
    const after = await snapshotTree(dir, ['new-project']);
    assert.deepEqual(after, before, 'the data folder is unchanged');
  } finally {
    flat.dispose();
    await rm(modelDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('init with the data folder as (or around) the project folder -> exit 2, nothing created', async () => {
  const dir = await freshProject();
  try {
    const before = await snapshotTree(dir);
    const data = path.join(dir, 'data');
    for (const target of [data, path.join(data, 'my project')]) {
      assertUserError(cli(['init', target, '--model', modelFile(dir), '--data', data]), data, /runs\/ folder would become a class/);
    }
    assert.deepEqual(await snapshotTree(dir), before, 'no finetune.json, no folder, data unchanged');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
