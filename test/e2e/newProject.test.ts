/**
 * Scenario 1: "Fine-Tune: New Project" from the command palette with the built-in model and the demo
 * data writes finetune.json, and the Layers view lists the model's layers in blocks with checkboxes
 * and the parameter count.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';

test('New Project with the built-in model and demo data shows the layers in blocks with checkboxes', { timeout: 300_000 }, async (t) => {
  const vscode = await openVsCode(t, 'new-project');
  const { workbench, layers, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: New Project');
  await workbench.pick('Built-in MobileNetV2');
  await workbench.pick('Built-in demo data');
  // The folder dialog (VS Code's own simple dialog in the browser) starts in the workspace folder.
  await workbench.quickInput.filter({ hasText: 'project folder' }).waitFor({ state: 'visible' });
  await vscode.screenshot('1-folder-dialog');
  await workbench.quickInput.locator('.monaco-button', { hasText: 'Create Project Here' }).click();

  const projectFile = join(workspace, 'finetune.json');
  await waitUntil(async () => existsSync(projectFile), 'finetune.json to be written', 120_000);
  const config = parse(await readFile(projectFile, 'utf8')) as { model: { base: string }; data: { folder: string }; phases: unknown[] };
  assert.equal(config.model.base, 'builtin:mobilenet_v2');
  assert.equal(config.phases.length, 2, 'the classic two-phase recipe');
  assert.ok(existsSync(join(workspace, config.data.folder)), `the demo data is in the project (${config.data.folder})`);

  // It opens finetune.json and the layer tree.
  await vscode.editor.activeTab().filter({ hasText: 'finetune.json' }).waitFor({ timeout: 60_000 });
  await layers.open();
  await layers.waitForRow('block_16', 120_000);
  await vscode.screenshot('2-layers');

  const rows = await layers.visibleRows();
  const blocks = rows.filter((row) => /^block_\d+$/.test(row.label));
  assert.ok(blocks.length >= 10, `the tree groups the layers in blocks (saw ${blocks.map((b) => b.label).join(', ')})`);
  assert.ok(blocks.every((block) => block.expandable && block.checked !== null), 'each block row expands and has a checkbox');
  assert.ok(blocks.every((block) => block.checked === false), 'phase 1 ("train head") freezes the whole base');
  // "478.4k · 0/6 trainable": the block's parameters and how many of its layers train in the selected phase.
  assert.ok(blocks.every((block) => /^[\d,.]+[kM]? · \d+\/\d+ trainable$/.test(block.description)), `each block shows its parameter count and trainable layers (saw ${blocks.map((b) => `"${b.description}"`).slice(0, 3).join(', ')})`);
  assert.ok(blocks.every((block) => / 0\/\d+ trainable$/.test(block.description)), 'phase 1 trains none of the base\'s layers');

  await layers.expand('block_1');
  const layerRow = await layers.waitForRow('block_1_expand');
  assert.equal(await layerRow.getAttribute('aria-level'), '2', 'layers sit under their block');
  assert.equal(await layers.checkbox('block_1_expand').count(), 1, 'a layer row has its own checkbox');
  const summary = await layers.paramSummary();
  assert.match(summary, /[\d,.]+[kM]? \/ [\d,.]+[kM]? trainable/, `the view shows trainable / total parameters (got "${summary}")`);
  console.log(`e2e new project: ${rows.length} top rows, ${blocks.length} blocks, "${summary}"`);
  await vscode.screenshot('3-block-expanded');
});
