/**
 * Scenario (issue 7): the training host is killed with SIGKILL mid-run. VS Code tells the user why,
 * the run is marked interrupted, and the notification's Resume finishes it with only the epochs that
 * were lost; the extension keeps working afterwards.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk, type RunOnDisk } from './fixtures/runs';

const CRASH_SIZE = { perClass: 30, epochs: 6, batchSize: 4 } as const;

const epochsOf = (run: RunOnDisk, phaseIndex: number): number[] =>
  run.metrics.filter((m) => m.type === 'epoch' && m.phaseIndex === phaseIndex).map((m) => m.epoch);

test('host killed mid-run: the user is told why, the run is interrupted, Resume completes it', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'host-crash', {
    prepareWorkspace: (workspace) => writeTinyProject(workspace, CRASH_SIZE).then(() => undefined),
  });
  const { workbench, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: Start Training');
  const run = await waitUntil(async () => {
    const latest = (await runsOnDisk(workspace)).at(-1);
    return latest?.hasCheckpoint ? latest : null;
  }, 'a first checkpoint', 300_000, 100);
  const { pid } = JSON.parse(await readFile(join(run.dir, 'manifest.json'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');

  const toast = workbench.toasts.filter({ hasText: 'SIGKILL' }).first();
  await toast.waitFor({ state: 'visible', timeout: 30_000 });
  await vscode.screenshot('1-told');
  const killed = (await runsOnDisk(workspace)).find((r) => r.dir === run.dir);
  assert.equal(killed?.manifest?.status, 'interrupted', 'the killed run is marked interrupted on disk');

  await toast.locator('.monaco-button', { hasText: 'Resume Training' }).click();
  // A resumed run is the same run folder; the manifest lists the interruption once training goes on.
  const resumed = await waitUntil(async () => {
    const found = (await runsOnDisk(workspace)).find((r) => r.dir === run.dir);
    return found?.manifest?.resumes?.length && found.summary && found.summary.status !== 'running' ? found : null;
  }, 'the resumed run to finish', 300_000, 250);
  await vscode.screenshot('2-resumed');
  assert.equal(resumed.summary?.status, 'completed');
  assert.ok(resumed.hasModel, 'the resumed run saved the adapted model');
  assert.deepEqual(resumed.manifest?.resumes?.map((r) => r.reason), ['interrupted']);

  // Nothing lost, nothing twice: metrics.jsonl holds every planned epoch of both phases once.
  for (const phaseIndex of [0, 1]) {
    assert.deepEqual(epochsOf(resumed, phaseIndex), [...Array(CRASH_SIZE.epochs).keys()], `phase ${phaseIndex + 1}: every epoch once`);
  }
  assert.equal(resumed.summary?.phases.at(-1)?.epochsPlanned, CRASH_SIZE.epochs);

  // The extension still answers commands after the crash.
  await workbench.runCommand('Fine-Tune: Stop Training');
  await workbench.toasts.filter({ hasText: /no training is running/i }).first().waitFor({ state: 'visible', timeout: 10_000 });
});
