/**
 * The training panel in the real VS Code after a tiny run: its stages, phase table and skipped-file
 * list, its charts' colours in Default Dark Modern, Default Light Modern and Default High Contrast
 * (switched through the workbench.colorTheme setting), and nothing lost when it is closed and reopened.
 * Screenshots are kept in test-results/e2e/panel-*.png to be looked at.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode, type VsCodeSession } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';
import type { ChartColors } from './pageObjects/panel';

/** A few seconds of training: the panel is what is tested here, not the engine. */
const TRAINING_SIZE = { perClass: 8, epochs: 1, batchSize: 4 } as const;
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern', highContrast: 'Default High Contrast' } as const;

async function setTheme(workspace: string, theme: string): Promise<void> {
  await mkdir(join(workspace, '.vscode'), { recursive: true });
  await writeFile(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }, null, 2));
}

/** Two screenshots per theme: the top (heading, pipeline) and the charts and table further down. */
async function screenshots(vscode: VsCodeSession, name: string): Promise<void> {
  await vscode.panel.locator('.run-header').scrollIntoViewIfNeeded();
  await vscode.screenshot(`${name}-top`);
  await vscode.panel.locator('#phase-table').scrollIntoViewIfNeeded();
  await vscode.screenshot(`${name}-charts`);
}

test('training panel in VS Code: stages, table, skipped files, themes, close and reopen', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'panel', {
    prepareWorkspace: async (workspace) => {
      await writeTinyProject(workspace, TRAINING_SIZE);
      // A damaged image: the engine skips it and the panel must list it.
      await writeFile(join(workspace, 'data', 'sneaker', 'broken.png'), 'this is not a png');
      await setTheme(workspace, THEMES.dark);
    },
  });
  const { workbench, panel, workspace } = vscode;

  await workbench.runCommand('Fine-Tune: Start Training');
  const finished = await waitUntil(async () => {
    const last = (await runsOnDisk(workspace)).at(-1);
    return last?.summary && last.summary.status !== 'running' ? last : null;
  }, 'the run to finish (summary.json)', 420_000, 500);
  assert.equal(finished.summary?.status, 'completed', `run completed (message: ${finished.summary?.message ?? ''})`);

  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  // Room for the panel, and no toast over the charts in the screenshots.
  await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
  const doneToast = workbench.notification(/finished training/);
  await doneToast.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
  for (const toast of await workbench.toasts.all()) await toast.locator('.codicon-notifications-clear').click({ timeout: 5_000 }).catch(() => undefined);
  const stages = await waitUntil(async () => {
    const shown = await panel.stages();
    return shown.find((s) => s.id === 'export')?.status === 'done' ? shown : null;
  }, 'the adapted model stage to show done');
  // Distill is the optional next step: pending, with the command that does it, until a distill run exists.
  assert.deepEqual(stages.map((s) => `${s.id}:${s.status}`), ['base:done', 'adjust:done', 'freeze:done', 'train:done', 'finetune:done', 'export:done', 'distill:pending']);
  // The feature-extraction baseline (no network training) stands before the phases it is compared with.
  assert.deepEqual(await panel.phaseTableColumns(), ['feature extraction', '1. train head', '2. fine-tune top']);
  assert.deepEqual(await panel.phaseTableRow('status'), ['no training', 'done', 'done']);
  assert.deepEqual(await panel.phaseTableRow('epochs'), ['—', '1 of 1', '1 of 1']);
  assert.match((await panel.phaseTableRow('bestAcc'))[0] ?? '', /^kNN \d/);
  const skipped = await panel.skippedFiles();
  assert.deepEqual(skipped.map((s) => s.name), ['broken.png'], JSON.stringify(skipped));
  const lossPoints = await panel.chartPointCount('loss');
  const batchPoints = await panel.chartPointCount('batch');
  assert.ok(lossPoints >= 4, `train and val loss for both phases' epochs (got ${lossPoints})`);
  await screenshots(vscode, 'dark');
  const dark = await panel.chartColors();
  assert.ok(dark);

  const colorsAfter = async (theme: string, differentFrom: ChartColors): Promise<ChartColors> => {
    await setTheme(workspace, theme);
    return waitUntil(async () => {
      const colors = await panel.chartColors();
      return colors && colors.foreground !== differentFrom.foreground ? colors : null;
    }, `the charts to take the colours of ${theme}`);
  };
  const light = await colorsAfter(THEMES.light, dark);
  console.log(`e2e panel: chart colours dark ${JSON.stringify(dark)}, light ${JSON.stringify(light)}`);
  assert.notEqual(light.train, dark.train, 'the training curve changes colour with the theme');
  assert.notEqual(light.foreground, dark.foreground);
  await screenshots(vscode, 'light');
  const highContrast = await colorsAfter(THEMES.highContrast, light);
  console.log(`e2e panel: high contrast ${JSON.stringify(highContrast)}`);
  assert.notEqual(highContrast.val, light.val, 'the validation curve is bright on the black background');
  await screenshots(vscode, 'high-contrast');
  await setTheme(workspace, THEMES.dark);
  await waitUntil(async () => (await panel.chartColors())?.foreground === dark.foreground, 'the dark theme to come back');

  // Closed and reopened, the panel is rebuilt from the extension's history: nothing is lost.
  await panel.close();
  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  await waitUntil(async () => (await panel.phaseTableColumns()).length === 3, 'the reopened panel to show both phases beside feature extraction');
  assert.deepEqual((await panel.stages()).map((s) => `${s.id}:${s.status}`), stages.map((s) => `${s.id}:${s.status}`));
  assert.deepEqual(await panel.phaseTableRow('status'), ['no training', 'done', 'done']);
  assert.equal(await panel.chartPointCount('loss'), lossPoints);
  assert.equal(await panel.chartPointCount('batch'), batchPoints);
  assert.deepEqual(await panel.skippedFiles(), skipped);
  await screenshots(vscode, 'reopened');
});
