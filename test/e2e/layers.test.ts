/**
 * Scenario 2: ticking and unticking layers and a block in the Layers view writes finetune.json at
 * once, keeping its comments; editing the file by hand updates the tree.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';

interface PhaseOnDisk {
  readonly name: string;
  readonly trainable: unknown;
}

async function phasesOnDisk(file: string): Promise<PhaseOnDisk[]> {
  return (parse(await readFile(file, 'utf8')) as { phases: PhaseOnDisk[] }).phases;
}

function layerList(trainable: unknown): string[] | null {
  if (typeof trainable === 'object' && trainable !== null && Array.isArray((trainable as { layers?: unknown }).layers)) {
    return (trainable as { layers: string[] }).layers;
  }
  return null;
}

/**
 * True when `spec` trains `first` and everything after it: the tree writes the shortest form,
 * `{ fromLayer }`, or else a `{ layers }` list (checked by samples on both sides of the boundary).
 */
function trainsFrom(spec: unknown, first: string, trained: readonly string[], frozen: string): boolean {
  if (typeof spec === 'object' && spec !== null && (spec as { fromLayer?: unknown }).fromLayer !== undefined) {
    return (spec as { fromLayer: unknown }).fromLayer === first;
  }
  const list = layerList(spec) ?? [];
  return trained.every((name) => list.includes(name)) && !list.includes(frozen);
}

test('layer and block checkboxes edit finetune.json, keeping comments; a hand edit updates the tree', { timeout: 300_000 }, async (t) => {
  let projectFile = '';
  const vscode = await openVsCode(t, 'layers', {
    prepareWorkspace: async (workspace) => {
      projectFile = await writeTinyProject(workspace);
    },
  });
  const { layers, workbench } = vscode;
  const original = await readFile(projectFile, 'utf8');

  await workbench.runCommand('Fine-Tune: Open Layers');
  await layers.open();
  await layers.waitForRow('block_16', 120_000);
  await vscode.screenshot('1-tree');

  // Phase 1 trains only the head: the base's top block starts unticked.
  assert.equal(await layers.isChecked('block_16'), false, 'block_16 is frozen in phase 1 ("trainable": "head")');
  const countBefore = await layers.paramSummary();

  // Tick one layer.
  await layers.expand('block_16');
  await layers.waitForRow('block_16_project');
  await layers.toggle('block_16_project');
  const afterLayer = await waitUntil(async () => {
    const list = layerList((await phasesOnDisk(projectFile))[0].trainable);
    return list?.includes('block_16_project') ? list : null;
  }, 'finetune.json phases[0].trainable.layers to list block_16_project');
  assert.ok(!afterLayer.includes('block_15_project'), 'only the ticked layer of the base became trainable');
  const countAfter = await waitUntil(async () => {
    const summary = await layers.paramSummary();
    return summary !== countBefore ? summary : null;
  }, 'the view description to show a new trainable count');
  console.log(`e2e layers: parameter count "${countBefore}" -> "${countAfter}"`);
  assert.match(countBefore, /\d/, 'the view shows the parameter count');
  await vscode.screenshot('2-layer-ticked');

  // Tick a whole block.
  await layers.collapse('block_16');
  await layers.toggle('block_15');
  await waitUntil(async () => {
    const list = layerList((await phasesOnDisk(projectFile))[0].trainable) ?? [];
    return ['block_15_expand', 'block_15_depthwise', 'block_15_project'].every((name) => list.includes(name));
  }, 'every weighted layer of block_15 in phases[0].trainable.layers');

  // Untick the single layer again, once the tree shows the block's change (a person sees it first).
  await waitUntil(() => layers.isChecked('block_15'), 'the tree to show block_15 ticked');
  await layers.expand('block_16');
  await waitUntil(() => layers.isChecked('block_16_project'), 'the tree to still show block_16_project ticked');
  // No pause: the tree's own write must not reload the rows under the next click (that lost clicks).
  await layers.toggle('block_16_project');
  await waitUntil(async () => {
    const list = layerList((await phasesOnDisk(projectFile))[0].trainable) ?? [];
    return !list.includes('block_16_project') && list.includes('block_15_project');
  }, 'block_16_project removed from phases[0] and block_15 kept');

  // Two quick clicks in a row: both land in finetune.json.
  await layers.toggle('block_16_expand');
  await layers.toggle('block_16_depthwise');
  await waitUntil(async () => {
    const list = layerList((await phasesOnDisk(projectFile))[0].trainable) ?? [];
    return list.includes('block_16_expand') && list.includes('block_16_depthwise') && !list.includes('block_16_project');
  }, 'both quick clicks (block_16_expand, block_16_depthwise) in phases[0].trainable.layers');
  await vscode.screenshot('3-block-ticked');

  const edited = await readFile(projectFile, 'utf8');
  for (const comment of original.split('\n').filter((line) => line.trim().startsWith('//'))) {
    assert.ok(edited.includes(comment.trim()), `comment kept: ${comment.trim()}`);
  }
  assert.deepEqual((await phasesOnDisk(projectFile))[1].trainable, { lastBlocks: 1 }, 'phase 2 untouched');

  // The context menu: unfreeze from block_14 on, then freeze up to block_15 (leaves block_16 and later).
  await layers.collapse('block_16');
  const menu = await layers.contextMenu('block_14');
  assert.ok(menu.includes('Freeze Up to Here') && menu.includes('Unfreeze From Here'), `context menu offers both (got ${menu.join(', ')})`);
  await vscode.page.keyboard.press('Escape');
  await layers.runContextMenuItem('block_14', 'Unfreeze From Here');
  await waitUntil(async () => {
    const spec = (await phasesOnDisk(projectFile))[0].trainable;
    return trainsFrom(spec, 'block_14_expand', ['block_14_expand', 'block_16_project', 'Conv_1'], 'block_13_expand');
  }, 'Unfreeze From Here on block_14 to make block_14 onwards trainable').catch(async (error: unknown) => {
    throw new Error(`${String(error)}; phases[0].trainable is ${JSON.stringify((await phasesOnDisk(projectFile))[0].trainable)}`);
  });
  await waitUntil(() => layers.isChecked('block_14'), 'the tree to show block_14 ticked');
  await layers.runContextMenuItem('block_15', 'Freeze Up to Here');
  await waitUntil(async () => {
    const spec = (await phasesOnDisk(projectFile))[0].trainable;
    return trainsFrom(spec, 'block_16_expand', ['block_16_expand', 'block_16_project', 'Conv_1'], 'block_15_project');
  }, 'Freeze Up to Here on block_15 to freeze block_14 and block_15 but keep block_16');
  await vscode.screenshot('4-context-menu');
  const afterMenu = await readFile(projectFile, 'utf8');
  assert.ok(afterMenu.includes('// phase 1: only the new head learns'), 'comments survive the context menu edits');

  // Edit by hand (outside the tree): phase 1 trains everything; the tree follows.
  const text = applyEdits(afterMenu, modify(afterMenu, ['phases', 0, 'trainable'], 'all', { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  await writeFile(projectFile, text);
  await waitUntil(async () => (await layers.isChecked('block_16')) && (await layers.isChecked('block_1')), 'the tree to show every layer trainable after the hand edit', 30_000);
  await vscode.screenshot('5-hand-edit');
  assert.equal((await readFile(projectFile, 'utf8')).includes('"all"'), true, 'the tree did not write over the hand edit');
});
