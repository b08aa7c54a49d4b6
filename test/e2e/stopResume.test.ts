/**
 * Scenario 4: Stop Training mid-phase stops within a few seconds; the run is marked cancelled and
 * keeps its checkpoint (one notification says so); Resume Training continues it to the end in the same
 * run folder; a panel closed mid-run brings back the progress notification, whose Cancel also stops.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

/** Long enough that phase 2 is still running after its first epoch's checkpoint (~1.5 s an epoch here). */
const STOP_SIZE = { perClass: 30, epochs: 8, batchSize: 4 } as const;

test('Stop Training mid-phase cancels with a checkpoint; Resume Training finishes the run', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'stop-resume', { prepareWorkspace: (workspace) => writeTinyProject(workspace, STOP_SIZE).then(() => undefined) });
  const { workbench, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: Start Training');
  // Stop once phase 2 has finished an epoch (so a checkpoint exists) and is still going.
  const before = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).at(-1);
    const phase2Epochs = run?.metrics.filter((m) => m.type === 'epoch' && m.phaseIndex === 1).length ?? 0;
    return run && phase2Epochs >= 1 && run.hasCheckpoint ? run : null;
  }, 'phase 2 to finish its first epoch', 300_000, 100);
  await vscode.screenshot('1-before-stop');

  const stopAt = Date.now();
  await workbench.runCommand('Fine-Tune: Stop Training');
  const cancelled = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir === before.dir);
    return run?.summary && run.summary.status !== 'running' ? run : null;
  }, 'the stopped run to write its summary', 60_000, 100);
  const stopSeconds = (Date.now() - stopAt) / 1000;
  console.log(`e2e stop: the run ended ${stopSeconds.toFixed(1)} s after Stop Training (including the palette)`);
  await vscode.screenshot('2-stopped');

  assert.equal(cancelled.summary?.status, 'cancelled');
  assert.ok(cancelled.hasCheckpoint, `checkpoint kept in ${cancelled.dir}/checkpoint`);
  const phase2 = cancelled.summary?.phases[1];
  assert.ok(phase2 && phase2.epochsRun < STOP_SIZE.epochs, `stopped mid-phase (phase 2 ran ${phase2?.epochsRun} of ${STOP_SIZE.epochs} epochs)`);
  // One notification for the outcome: no "stopping…" one before it, and no progress notification (the panel is open).
  await workbench.notification(/training of .* stopped/).first().waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await workbench.notification(/stopping/i).count(), 0, 'Stop does not add a notification of its own');
  assert.equal(await workbench.toasts.filter({ has: vscode.page.locator('.monaco-button', { hasText: 'Cancel' }) }).count(), 0);

  await workbench.runCommand('Fine-Tune: Resume Training');
  // Resume may ask which run; the cancelled one is the only candidate.
  await workbench.quickPickRows.first().waitFor({ state: 'visible', timeout: 5_000 }).then(
    () => workbench.pick(/./),
    () => undefined,
  );
  // A resumed run is the same run: it removes the cancelled summary and lists the resume before training on.
  const resumed = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir === before.dir);
    return run?.manifest?.resumes?.length && run.summary && run.summary.status !== 'running' ? run : null;
  }, 'the resumed run to finish', 300_000, 250);
  await vscode.screenshot('3-resumed');

  assert.equal(resumed.summary?.status, 'completed', `resumed run completed (${resumed.summary?.message ?? ''})`);
  assert.equal(resumed.manifest?.resumedFrom, cancelled.dir, 'the run continued its own checkpoint');
  assert.deepEqual(resumed.manifest?.resumes?.map((r) => r.reason), ['cancelled']);
  assert.equal((await runsOnDisk(workspace)).length, 1, 'no second run folder');
  assert.ok(resumed.hasModel, 'the resumed run saved the adapted model');
  const epochRows = resumed.metrics.filter((m) => m.type === 'epoch');
  assert.deepEqual(epochRows.filter((m) => m.phaseIndex === 0).map((m) => m.epoch), [...Array(STOP_SIZE.epochs).keys()], 'phase 1 is in the run once, not trained again');
  assert.deepEqual(epochRows.filter((m) => m.phaseIndex === 1).map((m) => m.epoch), [...Array(STOP_SIZE.epochs).keys()], 'phase 2 has every epoch once');

  // With the panel closed mid-run the progress notification comes back; its Cancel button stops a run the same way.
  await workbench.runCommand('Fine-Tune: Start Training');
  const third = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir !== before.dir && r.dir !== resumed.dir);
    const phase2Epochs = run?.metrics.filter((m) => m.type === 'epoch' && m.phaseIndex === 1).length ?? 0;
    return run && phase2Epochs >= 1 && run.hasCheckpoint ? run : null;
  }, 'a new run to reach phase 2', 300_000, 100);
  await vscode.panel.close();
  const toast = workbench.toasts.filter({ has: vscode.page.locator('.monaco-button', { hasText: 'Cancel' }) }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await workbench.notificationButton(toast, 'Cancel').click();
  const cancelledByButton = await waitUntil(async () => {
    const run = (await runsOnDisk(workspace)).find((r) => r.dir === third.dir);
    return run?.summary && run.summary.status !== 'running' ? run : null;
  }, 'the run stopped from the notification to write its summary', 60_000, 100);
  await vscode.screenshot('4-cancel-button');
  assert.equal(cancelledByButton.summary?.status, 'cancelled');
  assert.ok(cancelledByButton.hasCheckpoint, 'the checkpoint is kept');
  await workbench.statusBarItem(/epoch|phase|starting/i).first().waitFor({ state: 'hidden', timeout: 30_000 });
});
