/**
 * "A new panel chart is one file plus one registration": the bundle is built with one extra line in
 * webview/charts/registry.ts registering test/webview/fixtures/gapChart.ts, and the panel lays out
 * and fills that chart with nothing else changed.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import { PanelPage } from './panelPage';

const registry = path.resolve(__dirname, '..', '..', 'webview', 'charts', 'registry.ts');
const gapChart = path.resolve(__dirname, 'fixtures', 'gapChart.ts');

/** The one registration line a contributor would add. */
const registerGapChart: Plugin = {
  name: 'register-gap-chart',
  setup(build) {
    build.onLoad({ filter: /webview[\\/]charts[\\/]registry\.ts$/ }, () => {
      const source = readFileSync(registry, 'utf8');
      const registered = source.replace(/(PANEL_CHARTS: readonly PanelChart\[\] = \[[^\]]*)\]/, '$1, gapChart]');
      assert.notEqual(registered, source, 'registry.ts still has the PANEL_CHARTS array this test extends');
      return { contents: `import { gapChart } from ${JSON.stringify(gapChart)};\n${registered}`, loader: 'ts', resolveDir: path.dirname(registry) };
    });
  },
};

let panel: PanelPage;
before(async () => {
  panel = await PanelPage.open('dark', [registerGapChart]);
});
after(async () => panel?.close());

it('a chart registered in the registry gets its captioned canvas and is drawn from the run', async () => {
  const history = new ProjectHistory(project);
  await history.load();
  await panel.send(history.snapshot());
  const charts = await panel.eval<string[]>(`[...document.querySelectorAll('canvas[data-chart]')].map((c) => c.dataset.chart)`);
  assert.deepEqual(charts, ['loss', 'accuracy', 'batch', 'lr', 'gap']);
  assert.equal(await panel.page.locator('figure:has(canvas[data-chart="gap"]) figcaption').innerText(), 'Generalisation gap per epoch');
  const datasets = await panel.eval<{ label: string; points: { x: number; y: number }[] }[]>(`window.__finetunePanel.datasets('gap')`);
  assert.equal(datasets[0].label, 'val loss − train loss');
  assert.equal(datasets[0].points.length, 9, 'one point per recorded epoch');
});
