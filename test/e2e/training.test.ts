/**
 * Scenario 3: Start Training with the panel open shows its progress in the status bar (window progress
 * and the Fine-Tune item), not in a notification over the charts; the panel's charts
 * gain points while it runs; its stages go pending -> running -> done; at the end the phase
 * comparison has both phases and the adapted model is in the run folder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

/** About 15 s of training on two cores: long enough to watch the charts grow, short for CI. */
const TRAINING_SIZE = { perClass: 30, epochs: 3, batchSize: 4 } as const;

test('Start Training: status bar progress, live charts, stages and the adapted model', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'training', { prepareWorkspace: (workspace) => writeTinyProject(workspace, TRAINING_SIZE).then(() => undefined) });
  const { workbench, panel, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  await vscode.screenshot('1-panel-before');

  const started = Date.now();
  await workbench.runCommand('Fine-Tune: Start Training');
  const progress = workbench.statusBarItem(/training workspace/).first();
  await progress.waitFor({ state: 'visible', timeout: 60_000 });
  const statusItem = workbench.statusBarItem(/epoch|phase/i).first();
  await statusItem.waitFor({ state: 'visible', timeout: 120_000 });
  const progressToasts = workbench.toasts.filter({ has: vscode.page.locator('.monaco-button', { hasText: 'Cancel' }) });
  assert.equal(await progressToasts.count(), 0, 'with the panel open, no progress notification covers the charts');
  const statusText = await statusItem.innerText();
  await vscode.screenshot('2-training-started');

  // Watch the panel until the run's summary.json says it ended: the charts must gain points and a
  // stage must show "running" while it is still going.
  const pointCounts: number[] = [];
  /** Per stage, the statuses it showed, in order, without repeats. */
  const seen = new Map<string, string[]>();
  const finished = await waitUntil(async () => {
    const runs = await runsOnDisk(workspace);
    const last = runs.at(-1);
    if (last?.summary && last.summary.status !== 'running') return last;
    const count = await panel.chartPointCount('batch').catch(() => 0);
    if (count > 0 && count !== pointCounts.at(-1)) pointCounts.push(count);
    for (const stage of await panel.stages().catch(() => [])) {
      const statuses = seen.get(stage.id) ?? [];
      if (statuses.at(-1) !== stage.status) seen.set(stage.id, [...statuses, stage.status]);
    }
    if (pointCounts.length === 2) await vscode.screenshot('3-charts-growing');
    return null;
  }, 'the run to finish (summary.json)', 420_000, 200);
  const seconds = (Date.now() - started) / 1000;
  console.log(`e2e training: tiny project trained in ${seconds.toFixed(1)} s; status bar said "${statusText}"; batch chart counts seen while running: ${pointCounts.join(', ')}`);
  assert.ok(pointCounts.length >= 2, `the batch chart gained points while training ran (counts seen: ${pointCounts.join(', ')})`);
  console.log(`e2e training: stage statuses seen while running: ${JSON.stringify(Object.fromEntries(seen))}`);
  // Phase 1 with the frozen-prefix cache can be over before the first look: the order is what must hold.
  const finetune = seen.get('finetune') ?? [];
  assert.ok(finetune.includes('running'), `the fine-tune stage showed running while it trained (${finetune.join(' -> ')})`);
  const order = ['pending', 'running', 'done'];
  assert.deepEqual([...finetune].sort((a, b) => order.indexOf(a) - order.indexOf(b)), finetune, `the fine-tune stage only moved forward (${finetune.join(' -> ')})`);

  assert.equal(finished.summary?.status, 'completed', `run completed (message: ${finished.summary?.message ?? ''})`);
  assert.ok(finished.hasModel, `the adapted model is in ${finished.dir}/model`);
  assert.equal(finished.summary?.phases.length, 2);

  await panel.waitUntilShown();
  const stagesAfter = await waitUntil(async () => {
    const stages = await panel.stages();
    return stages.find((s) => s.id === 'finetune')?.status === 'done' ? stages : null;
  }, 'the fine-tune stage to show done');
  await waitUntil(async () => (await panel.phaseTableColumns()).length === 3, 'the phase comparison to show both phases beside feature extraction');
  await vscode.screenshot('4-done');

  const statusOf = (stages: { id: string; status: string }[], id: string): string | undefined => stages.find((s) => s.id === id)?.status;
  assert.equal(statusOf(stagesAfter, 'train'), 'done');
  assert.equal(statusOf(stagesAfter, 'finetune'), 'done');
  const columns = await panel.phaseTableColumns();
  assert.deepEqual(columns, ['feature extraction', '1. train head', '2. fine-tune top']);
  const statuses = await panel.phaseTableRow('status');
  assert.deepEqual(statuses, ['no training', 'done', 'done']);
  const epochPoints = await panel.chartPointCount('loss');
  assert.ok(epochPoints >= 2, `the loss chart has a point per epoch of both phases (got ${epochPoints})`);
  await progress.waitFor({ state: 'hidden', timeout: 30_000 });
  await statusItem.waitFor({ state: 'hidden', timeout: 30_000 });
});
