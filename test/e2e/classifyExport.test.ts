/**
 * Scenario: after a tiny training run (trained with the CLI before VS Code opens, to keep this to about
 * two minutes), "Fine-Tune: Classify Image" from the Explorer context menu shows the top classes of one
 * image and of two selected images in a quick pick, flagging those the model puts outside their folder's class; "Fine-Tune: Export Model" writes model.json, labels.json,
 * preprocessing.json and README.md, reports the reload check and opens the README; a misclassified
 * image in the panel's gallery opens in an editor, and so does an image listed under a clicked confusion-matrix cell.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { REPO_ROOT } from './harness/packageExtension';
import { runBounded } from './harness/process';
import { waitUntil } from './harness/wait';
import { tinyProjectText, writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';
import { Explorer } from './pageObjects/explorer';

const CLASSES = ['sneaker', 'ankle-boot'] as const;

async function trainWithCli(workspace: string): Promise<void> {
  await writeTinyProject(workspace, { classes: CLASSES, perClass: 8, epochs: 1 });
  const started = Date.now();
  const result = await runBounded(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'train', workspace], { timeoutMs: 300_000 });
  assert.equal(result.code, 0, `finetune-guide train failed:\n${result.output.slice(-3000)}`);
  console.log(`e2e classify/export: tiny run trained by the CLI in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

test('Classify Image (one and several images) and Export Model with its reload check', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'classify-export', { prepareWorkspace: trainWithCli });
  const { workbench, page, workspace } = vscode;
  const [run] = await runsOnDisk(workspace);
  assert.equal(run?.summary?.status, 'completed');
  const explorer = new Explorer(page, workbench);
  const images = (await readdir(join(workspace, 'data', 'sneaker'))).sort();
  const classifiedRows = async (count: number): Promise<string[]> => {
    await workbench.quickInput.filter({ hasText: 'top 3 classes' }).waitFor({ state: 'visible', timeout: 120_000 });
    await waitUntil(async () => (await workbench.quickPickRows.count()) === count, `${count} quick pick row(s), one per selected image`);
    return (await workbench.quickPickRows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  };
  // Every image here lies in data/sneaker: a row is flagged exactly when the model's first choice is another class.
  const assertFolderFlag = (row: string, name: string): void => {
    // The row's text runs the label into the description ("000.pngankle-boot 53.3% · ...").
    const first = new RegExp(`${name.replace('.', '\\.')}\\s*(\\S+) \\d`).exec(row)?.[1];
    assert.ok(first, `${name}: a first choice in "${row}"`);
    const flagged = /its folder says sneaker, the model says/.test(row);
    assert.equal(flagged, first !== 'sneaker', `${name}: flagged ${flagged} with first choice ${first} (row "${row}")`);
  };

  // One image: the Explorer's context menu on an image has the command; a quick pick gives the top classes.
  await explorer.open();
  await explorer.expand('data', 'sneaker');
  assert.ok((await explorer.contextMenuItems(images[0])).includes('Classify Image'), 'Classify Image is in an image\'s context menu');
  assert.ok(!(await explorer.contextMenuItems('finetune.json')).includes('Classify Image'), 'and not in a JSON file\'s');
  await explorer.select(images[0]);
  await explorer.runContextMenu(images[0], 'Classify Image');
  const [singleText] = await classifiedRows(1);
  const singleTitle = (await workbench.quickInput.locator('.quick-input-title').innerText()).trim();
  await vscode.screenshot('1-classified-one');
  console.log(`e2e classify/export: "${singleTitle}" / "${singleText}"`);
  for (const name of CLASSES) assert.match(singleText, new RegExp(`${name} \\d+\\.\\d%`), `the top classes with probabilities (got "${singleText}")`);
  assert.match(singleTitle, new RegExp(`run ${run.dir.split('/').pop()}`), 'it names the run whose model it used');
  assertFolderFlag(singleText, images[0]);
  await workbench.closeQuickInput();

  // Two selected images: a quick pick lists each with its top classes.
  await explorer.select(images[1], images[2]);
  await explorer.runContextMenu(images[2], 'Classify Image');
  const rows = await classifiedRows(2);
  await vscode.screenshot('2-classified-two');
  console.log(`e2e classify/export: quick pick rows ${JSON.stringify(rows)}`);
  for (const [index, name] of [images[1], images[2]].entries()) {
    const row = rows.find((text) => text.includes(name));
    assert.ok(row, `a row for ${name} (rows: ${rows.join(' | ')})`);
    assert.match(row, /(sneaker|ankle-boot) \d+\.\d% · (sneaker|ankle-boot) \d+\.\d%/, `row ${index} shows the top classes`);
    assertFolderFlag(row, name);
  }
  await workbench.closeQuickInput();

  // Export: the latest completed run, into the project folder (not empty, so a new sub-folder).
  await workbench.runCommand('Fine-Tune: Export Model');
  await workbench.pick(/latest completed/);
  // The format picker offers every export format with what it is for; the default is tfjs.
  await workbench.pick(/TensorFlow\.js LayersModel/);
  await workbench.quickInput.locator('.monaco-button', { hasText: 'Export Here' }).click();
  const exported = workbench.notification(/model exported to/);
  await exported.waitFor({ state: 'visible', timeout: 120_000 });
  const exportText = (await exported.locator('.notification-list-item-message').innerText()).trim();
  await vscode.screenshot('3-exported');
  console.log(`e2e classify/export: "${exportText}"`);
  assert.match(exportText, /the reloaded model predicts like the trained one \(largest difference [\d.e+-]+ over \d+ /);
  const dest = join(workspace, `workspace-${run.dir.split('/').pop()}`);
  const files = await readdir(dest);
  for (const name of ['model.json', 'labels.json', 'preprocessing.json', 'README.md']) assert.ok(files.includes(name), `${name} exported (${files.join(', ')})`);
  assert.deepEqual(JSON.parse(await readFile(join(dest, 'labels.json'), 'utf8')), [...CLASSES].sort());
  await vscode.workbench.notificationButton(exported, 'Open README').click();
  await page.locator('.tabs-container .tab').filter({ hasText: /Preview README\.md/ }).waitFor({ timeout: 30_000 });
  // The Markdown preview is a webview too: wait for the rendered snippet before the picture.
  const preview = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  await preview.locator('code', { hasText: 'loadLayersModel' }).first().waitFor({ timeout: 30_000 });
  await vscode.screenshot('4-readme');
  // The panel page object reads the first ready webview: close the preview first.
  await workbench.runCommand('View: Close All Editors');

  // The panel's gallery of misclassified validation images opens the image it shows.
  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await vscode.panel.waitUntilShown();
  const mistakes = vscode.panel.locator('button.mistake');
  await waitUntil(async () => (await vscode.panel.locator('[data-table="per-class"]').count()) > 0, 'the evaluation in the panel', 60_000);
  const count = await mistakes.count();
  console.log(`e2e classify/export: the panel shows ${count} misclassified validation image(s)`);
  if (count > 0) {
    const file = (await mistakes.first().getAttribute('data-file')) ?? '';
    await mistakes.first().scrollIntoViewIfNeeded();
    await vscode.screenshot('5-panel-mistakes');
    await mistakes.first().click();
    const name = file.split('/').pop() ?? file;
    await vscode.editor.activeTab().filter({ hasText: name }).waitFor({ timeout: 30_000 });
    await vscode.screenshot('6-mistake-opened');
  }
  assert.ok(existsSync(join(run.dir, 'evaluation.json')), 'the run has its evaluation');

  // A confusion-matrix cell lists the validation images it counts; clicking one opens it.
  await workbench.runCommand('View: Close All Editors');
  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await vscode.panel.waitUntilShown();
  const cells = vscode.panel.locator('[data-table="confusion"] td.clickable');
  await waitUntil(async () => (await cells.count()) > 0, 'clickable confusion cells', 60_000);
  const cellCount = Number((await cells.first().innerText()).trim());
  await cells.first().click();
  const listed = vscode.panel.locator('.cell-images button.mistake');
  await waitUntil(async () => (await listed.count()) === cellCount, `the cell's ${cellCount} image(s) listed`);
  const heading = (await vscode.panel.locator('.cell-images h4').innerText()).trim();
  await vscode.panel.locator('.cell-images').scrollIntoViewIfNeeded();
  await vscode.screenshot('7-confusion-cell');
  console.log(`e2e classify/export: confusion cell "${heading}"`);
  assert.match(heading, new RegExp(`: ${cellCount} image`));
  const cellFile = (await listed.first().getAttribute('data-file')) ?? '';
  await listed.first().click();
  await vscode.editor.activeTab().filter({ hasText: cellFile.split('/').pop() ?? cellFile }).waitFor({ timeout: 30_000 });

  // A project that was never trained: Classify names it and the fix instead of failing.
  await mkdir(join(workspace, 'untrained'));
  await writeFile(join(workspace, 'untrained', 'finetune.json'), tinyProjectText());
  await copyFile(join(workspace, 'data', 'sneaker', images[0]), join(workspace, 'untrained', 'shoe.png'));
  await explorer.expand('untrained');
  await explorer.select('shoe.png');
  await explorer.runContextMenu('shoe.png', 'Classify Image');
  const told = workbench.notification(/has no completed training run/);
  await told.waitFor({ state: 'visible', timeout: 30_000 });
  const toldText = (await told.locator('.notification-list-item-message').innerText()).trim();
  await vscode.screenshot('7-no-run');
  assert.match(toldText, /untrained.*finetune\.json\) has no completed training run to classify with\. Run Fine-Tune: Start Training first\./);
  assert.equal(await workbench.notificationButton(told, 'Start Training').count(), 1);
});
