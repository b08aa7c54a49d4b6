/**
 * Scenario (issue 14): "Find Learning Rate" for a picked phase sweeps the rate, the panel draws loss
 * against rate with the suggestion, and the notification's "Use X for phase N" writes it into that
 * phase of finetune.json keeping the comments; no run folder is made.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { openVsCode } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';
import { LR_FIND_FILES, lrFindDirOf } from '../../src/runs/layout';

test('Find Learning Rate: the sweep, its chart in the panel, and Use X writes the phase\'s rate', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'lr-find', { prepareWorkspace: (workspace) => writeTinyProject(workspace, { perClass: 12 }).then(() => undefined) });
  const { workbench, panel, workspace } = vscode;
  const file = join(workspace, 'finetune.json');
  const before = await readFile(file, 'utf8');

  await workbench.runCommand('Fine-Tune: Find Learning Rate');
  await workbench.pick(/^1\. train head/);
  const toast = workbench.notification(/suggested learning rate for phase 1/i);
  await toast.waitFor({ state: 'visible', timeout: 300_000 });
  const message = (await toast.innerText()).trim();
  const rateText = /: ([0-9.e+-]+) \(valley/.exec(message)?.[1];
  assert.ok(rateText, `the notification gives the rate (${message})`);
  const suggested = Number(rateText);
  assert.ok(suggested > 1e-7 && suggested < 10, `a rate inside the sweep (${suggested})`);

  await panel.waitUntilShown();
  const lines = panel.locator('.lr-find-list li');
  await waitUntil(async () => ((await lines.count()) > 0 ? true : null), 'the panel to list the sweep', 30_000);
  assert.match(await lines.first().innerText(), /phase 1/i);
  await panel.locator('[data-chart="lr-find"]').scrollIntoViewIfNeeded();
  await vscode.screenshot('1-panel-curve');

  await workbench.notificationButton(toast, `Use ${rateText} for phase 1`).click();
  const written = await waitUntil(async () => {
    const text = await readFile(file, 'utf8');
    return text !== before ? text : null;
  }, 'finetune.json to get the rate', 30_000);
  const config = parse(written) as { phases: { learningRate: unknown }[] };
  assert.ok(Math.abs(Number(config.phases[0]?.learningRate) - suggested) <= suggested * 1e-2, `phase 1 uses the suggestion (${JSON.stringify(config.phases[0]?.learningRate)})`);
  assert.equal(config.phases[1]?.learningRate, 0.00001, 'phase 2 unchanged');
  for (const comment of ['// phase 1: only the new head learns', '// phase 2: the top block too, slowly']) assert.ok(written.includes(comment), `comment kept: ${comment}`);
  await workbench.notification(/now uses learning rate/).waitFor({ state: 'visible', timeout: 15_000 });
  await vscode.screenshot('2-rate-written');
  assert.equal((await runsOnDisk(workspace)).length, 0, 'the sweep made no run folder');
  assert.ok(existsSync(join(lrFindDirOf(join(workspace, 'runs'), 1), LR_FIND_FILES.chart)), 'the chart PNG is beside lr-find.json');
});
