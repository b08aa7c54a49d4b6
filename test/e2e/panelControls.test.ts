/**
 * Scenario (issue 19): the run is driven from the panel's buttons. From the empty panel Start
 * Training; Stop while it runs (progress in the status bar, no notification over the charts); Resume
 * the stopped run to the end; Export its model; then a host killed with SIGKILL shows the run
 * interrupted in the panel at once, with Resume.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

/** Long enough that phase 2 is still running after its first epoch's checkpoint (as stopResume.test.ts). */
const SIZE = { perClass: 30, epochs: 8, batchSize: 4 } as const;

test('panel controls: Start, Stop, Resume, Export from the run header; a killed host shows interrupted with Resume', { timeout: 900_000 }, async (t) => {
  const vscode = await openVsCode(t, 'panel-controls', { prepareWorkspace: (workspace) => writeTinyProject(workspace, SIZE).then(() => undefined) });
  const { workbench, panel, workspace } = vscode;
  const progressToasts = workbench.toasts.filter({ has: vscode.page.locator('.monaco-button', { hasText: 'Cancel' }) });

  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  await panel.runControl('start').waitFor({ state: 'visible', timeout: 30_000 });
  assert.deepEqual(await panel.runControls(), ['start'], 'the empty panel is one call to action');
  await vscode.screenshot('1-empty');

  await panel.runControl('start').click();
  await panel.runControl('stop').waitFor({ state: 'visible', timeout: 120_000 });
  assert.deepEqual(await panel.runControls(), ['stop', 'openConfig']);
  await workbench.statusBarItem(/epoch|phase|starting/i).first().waitFor({ state: 'visible', timeout: 60_000 });
  // Stop once phase 2 has finished an epoch (so a checkpoint exists) and is still going.
  const before = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).at(-1);
    const phase2Epochs = run?.metrics.filter((m) => m.type === 'epoch' && m.phaseIndex === 1).length ?? 0;
    return run && phase2Epochs >= 1 && run.hasCheckpoint ? run : null;
  }, 'phase 2 to finish its first epoch', 300_000, 100);
  assert.equal(await progressToasts.count(), 0, 'with the panel on screen, no progress notification covers it');
  assert.deepEqual(await panel.runBadge(), { status: 'running', text: 'live' });
  await vscode.screenshot('2-running');

  await panel.runControl('stop').click();
  await panel.runControl('resume').waitFor({ state: 'visible', timeout: 60_000 });
  const cancelled = (await runsOnDisk(workspace)).find((r) => r.dir === before.dir);
  assert.equal(cancelled?.summary?.status, 'cancelled');
  assert.equal((await panel.runBadge())?.status, 'cancelled');
  assert.deepEqual(await panel.runControls(), ['resume', 'start', 'openConfig']);
  // One notification for the outcome, naming the run folder relative to the workspace.
  const stopped = workbench.notification(/training of .* stopped/);
  await stopped.first().waitFor({ state: 'visible', timeout: 30_000 });
  const stoppedText = (await stopped.first().locator('.notification-list-item-message').innerText()).trim();
  assert.ok(stoppedText.includes(join('runs', basename(before.dir))) && !stoppedText.includes(workspace), `relative path in "${stoppedText}"`);
  assert.equal(await workbench.notification(/stopping/i).count(), 0, 'no second "stopping" notification');
  await vscode.screenshot('3-stopped');

  await panel.runControl('resume').click();
  await panel.runControl('stop').waitFor({ state: 'visible', timeout: 120_000 });
  const resumed = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir === before.dir);
    return run?.manifest?.resumes?.length && run.summary && run.summary.status !== 'running' ? run : null;
  }, 'the resumed run to finish', 300_000, 250);
  assert.equal(resumed.summary?.status, 'completed');
  await panel.runControl('export').waitFor({ state: 'visible', timeout: 30_000 });
  assert.deepEqual(await panel.runControls(), ['export', 'start', 'openConfig']);
  const finishedText = (await workbench.notification(/finished training/).first().locator('.notification-list-item-message').innerText()).trim();
  assert.ok(finishedText.includes(join('runs', basename(before.dir), 'model')) && !finishedText.includes(workspace), `relative path in "${finishedText}"`);
  await vscode.screenshot('4-completed');

  // The panel's Export exports the run it shows: it asks only for the format and the folder.
  await panel.runControl('export').click();
  await workbench.quickInput.filter({ hasText: `export run ${basename(before.dir)} in which format` }).waitFor({ state: 'visible', timeout: 30_000 });
  await workbench.pick(/TensorFlow\.js LayersModel/);
  await workbench.quickInput.locator('.monaco-button', { hasText: 'Export Here' }).click();
  const exported = workbench.notification(/model exported to/);
  await exported.waitFor({ state: 'visible', timeout: 120_000 });
  const exportText = (await exported.locator('.notification-list-item-message').innerText()).trim();
  const exportDir = `workspace-${basename(before.dir)}`;
  assert.ok(exportText.includes(`exported to ${exportDir};`), `relative export folder in "${exportText}"`);
  assert.ok(existsSync(join(workspace, exportDir, 'model.json')), 'the model was exported');
  await vscode.screenshot('5-exported');

  // A killed host: the panel says interrupted at once and offers Resume.
  await panel.runControl('start').click();
  const second = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir !== before.dir);
    return run?.hasCheckpoint ? run : null;
  }, 'the second run to write a checkpoint', 300_000, 100);
  await panel.runControl('stop').waitFor({ state: 'visible', timeout: 30_000 });
  const { pid } = JSON.parse(await readFile(join(second.dir, 'manifest.json'), 'utf8')) as { pid: number };
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await panel.runControl('resume').waitFor({ state: 'visible', timeout: 30_000 });
  console.log(`e2e panel controls: the panel showed the killed run interrupted ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);
  assert.deepEqual(await panel.runBadge(), { status: 'interrupted', text: 'interrupted' });
  assert.deepEqual(await panel.runControls(), ['resume', 'start', 'openConfig']);
  const stages = await panel.stages();
  assert.ok(stages.some((s) => s.status === 'interrupted'), `a stage shows interrupted (${JSON.stringify(stages)})`);
  assert.match(await panel.text(), /SIGKILL/);
  await vscode.screenshot('6-killed');
});
