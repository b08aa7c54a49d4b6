/**
 * Scenario: "Fine-Tune: New Project" with a model someone brings, shaped as Teachable Machine exports
 * it (a nested tfjs LayersModel with metadata.json). The data's class folders are the model's labels, so
 * New Project offers to keep its classifier; the Layers view shows the nested models as group rows
 * (Sequential > Sequential > the MobileNetV2-like "model1" > its blocks > layers), and a group's checkbox
 * trains every layer inside it.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeDemoData } from './fixtures/project';
import { writeTeachableModel } from './fixtures/teachable';

interface ProjectOnDisk {
  readonly model: { readonly base: string; readonly pixelRange?: string };
  readonly head: { readonly keepClassifier?: boolean };
  readonly phases: readonly { readonly trainable: unknown }[];
}

const LABELS = ['sneaker', 'trouser'];

test('New Project with a Teachable Machine model keeps its classifier and shows the nested models as groups', { timeout: 300_000 }, async (t) => {
  let modelFile = '';
  let dataFolder = '';
  const vscode = await openVsCode(t, 'new-project-teachable', {
    prepareWorkspace: async (workspace) => {
      modelFile = await writeTeachableModel(join(workspace, 'tm-my-image-model'), LABELS);
      dataFolder = await writeDemoData(workspace, 'images', { classes: LABELS, perClass: 6 });
    },
  });
  const { workbench, layers, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: New Project');
  await workbench.pick('A model file on disk');
  await workbench.answerFileDialog('model file', modelFile, 'Use This Model');
  // metadata.json states the range (-1..1), so no pixel-range question: the data question comes next.
  await workbench.pick('An image folder on disk');
  await workbench.answerFileDialog('image folder', `${dataFolder}/`, 'Use These Images');
  await workbench.quickInput.filter({ hasText: 'classifier' }).waitFor({ state: 'visible', timeout: 30_000 });
  await vscode.screenshot('1-keep-classifier');
  await workbench.pick('Keep the model’s classifier');
  await workbench.answerFileDialog('project folder', `${workspace}/`, 'Create Project Here');

  const projectFile = join(workspace, 'finetune.json');
  await waitUntil(async () => existsSync(projectFile), 'finetune.json to be written', 120_000);
  const config = parse(await readFile(projectFile, 'utf8')) as ProjectOnDisk;
  assert.equal(join(workspace, config.model.base).endsWith(join('tm-my-image-model', 'model.json')) || config.model.base === modelFile, true, `model.base names the model (${config.model.base})`);
  assert.equal(config.head.keepClassifier, true, 'head.keepClassifier as chosen');

  await layers.open();
  await layers.waitForRow('model1', 120_000);
  const rows = await layers.visibleRows();
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const outer = byLabel.get('sequential_1');
  const model1 = byLabel.get('model1');
  const head = byLabel.get('sequential_3');
  assert.ok(outer && model1 && head, `group rows for the nested models (saw ${rows.map((r) => r.label).join(', ')})`);
  assert.deepEqual([outer.level, model1.level, head.level], [1, 2, 1], 'model1 sits inside sequential_1; the head model beside it');
  assert.match(model1.description, /^MobileNetV2-like · \d+ layers$/, 'the backbone is told by its layer names; the count is short enough to show');
  assert.match(outer.description, /^Sequential · \d+ layers/);
  assert.ok(outer.expandable && model1.expandable && outer.checked !== null, 'groups expand and have a checkbox');
  assert.equal(byLabel.get('block_1')?.level, 3, 'blocks sit inside model1');
  assert.equal(model1.checked, false, 'phase 1 trains only the head: the backbone is frozen');
  await vscode.screenshot('2-nested-layers');

  // The group's checkbox trains every layer of model1 (and nothing of the head model changes).
  await layers.toggle('model1');
  const trainable = await waitUntil(async () => {
    const spec = (parse(await readFile(projectFile, 'utf8')) as ProjectOnDisk).phases[0].trainable;
    return JSON.stringify(spec).includes('block_3_project') ? spec : null;
  }, 'phases[0].trainable to name model1 layers after ticking the group');
  console.log(`e2e teachable: after ticking model1, phases[0].trainable = ${JSON.stringify(trainable)}`);
  // Blocks refresh in a pause between clicks (so no click is lost): wait for it, as a person would see it.
  await waitUntil(async () => (await layers.isChecked('block_2')) && (await layers.isChecked('sequential_1')), 'the blocks of model1 and sequential_1 to show ticked');
  await layers.expand('block_2');
  await waitUntil(() => layers.isChecked('block_2_project'), 'the layers inside model1 to show ticked');
  assert.equal(await layers.isChecked('sequential_3'), false, 'the head model keeps its hidden layer frozen');
  await vscode.screenshot('3-group-ticked');

  const menu = await layers.contextMenu('model1');
  assert.ok(menu.includes('Freeze Up to Here') && menu.includes('Unfreeze From Here'), `a group row offers both (got ${menu.join(', ')})`);
  await vscode.page.keyboard.press('Escape');
});
