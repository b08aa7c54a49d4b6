/**
 * The panel charts' axes and controls (issue 19, item 6): the pure rules (whole-epoch ticks, headroom,
 * smoothing) and, in headless Chromium with a recorded run, what the charts then draw.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import { epochTick, evenTicks, logRange, yRange } from '../../webview/charts/axes';
import { smoothSeries } from '../../webview/charts/smoothing';
import { runPace } from '../../webview/runPace';
import type { PhaseColumn } from '../../src/protocol/webview';
import { PanelPage } from './panelPage';

describe('chart axis rules', () => {
  it('labels whole epochs only', () => {
    assert.deepEqual([0, 0.5, 1, 2.25, 3].map(epochTick), ['0', null, '1', null, '3']);
  });

  it('leaves headroom above the highest value and never goes under the floor', () => {
    const range = yRange([0.2, 1.2], 0);
    assert.ok(range && range.max > 1.2 && Math.abs(range.min - 0.12) < 1e-12, JSON.stringify(range));
    assert.equal(yRange([0.01, 1], 0)?.min, 0, 'the floor holds');
    assert.deepEqual(yRange([100, 100], 0), { min: 92, max: 108 });
    assert.equal(yRange([Number.NaN]), null);
    const log = logRange([0.01, 1, -1]);
    assert.ok(log && log.min < 0.01 && log.max > 1, JSON.stringify(log));
  });

  it('drops the odd end ticks that headroom bounds add', () => {
    assert.deepEqual(evenTicks([28, 30, 40, 50, 100, 105.3]), [30, 40, 50, 100]);
    assert.deepEqual(evenTicks([0, 0.1, 0.2, 0.3]), [0, 0.1, 0.2, 0.3]);
  });

  it('smooths per phase, bias-corrected, and 0 keeps the raw values', () => {
    const points = [{ x: 0, y: 1, phaseIndex: 0 }, { x: 1, y: 3, phaseIndex: 0 }, { x: 2, y: 10, phaseIndex: 1 }];
    assert.deepEqual(smoothSeries(points, 0).map((p) => p.y), [1, 3, 10]);
    const smoothed = smoothSeries(points, 0.5).map((p) => p.y);
    assert.equal(smoothed[0], 1, 'the first point is not pulled to zero');
    assert.ok(Math.abs(smoothed[1] - 7 / 3) < 1e-12, String(smoothed[1]));
    assert.equal(smoothed[2], 10, 'a new phase starts again');
  });

  it('estimates the time left from the seconds per epoch so far', () => {
    const column = (phaseIndex: number, status: PhaseColumn['status'], epochsRun: number, epochsPlanned: number, seconds: number | null): PhaseColumn =>
      ({ phaseIndex, name: `p${phaseIndex}`, status, epochsRun, epochsPlanned, seconds, imagesPerSecond: null } as unknown as PhaseColumn);
    const pace = runPace([column(0, 'done', 2, 2, 20), column(1, 'running', 1, 4, 10), column(2, 'pending', 0, 2, null)], 100, true);
    assert.equal(pace.secondsLeft, 50, '5 epochs left at 10 s each');
    assert.equal(pace.imagesPerSecond, 10, '300 images in 30 s');
    assert.equal(runPace([column(0, 'done', 2, 2, 20)], 100, false).secondsLeft, null, 'no time left once finished');
  });
});

describe('panel charts in Chromium', () => {
  let panel: PanelPage;
  before(async () => {
    const history = new ProjectHistory(project);
    await history.load();
    panel = await PanelPage.open('dark');
    await panel.send(history.snapshot());
  });
  after(async () => panel?.close());

  type Axis = { min: number; max: number; type: string };
  const yAxis = (id: string) => panel.eval<Axis>(`window.__finetunePanel.yAxis(${JSON.stringify(id)})`);
  const values = (id: string) => panel.eval<number[]>(`window.__finetunePanel.datasets(${JSON.stringify(id)}).flatMap((d) => d.points.map((p) => p.y))`);

  it('draws whole-epoch ticks on every chart', async () => {
    for (const id of ['loss', 'accuracy', 'batch', 'lr']) {
      const ticks = await panel.eval<string[]>(`window.__finetunePanel.xTicks(${JSON.stringify(id)})`);
      assert.ok(ticks.length > 1, `${id} has ticks`);
      for (const tick of ticks) assert.match(tick, /^\d+$/, `${id} tick ${tick}`);
    }
  });

  it('keeps the curves off the top border', async () => {
    for (const id of ['loss', 'accuracy']) {
      const axis = await yAxis(id);
      const highest = Math.max(...(await values(id)).filter(Number.isFinite));
      assert.ok(axis.max > highest, `${id}: axis max ${axis.max} above the highest value ${highest}`);
    }
    const rate = await yAxis('lr');
    assert.ok(rate.max > Math.max(...(await values('lr'))), 'the learning rate too');
  });

  it('switches the loss axis to log and back, and the smoothing choice redraws the batch loss', async () => {
    await panel.page.locator('.chart-box:has([data-chart="loss"]) [data-control="logY"]').click();
    assert.equal((await yAxis('loss')).type, 'logarithmic');
    assert.equal((await yAxis('batch')).type, 'logarithmic', 'one setting for both loss charts');
    assert.equal(await panel.eval<boolean>(`document.querySelector('.chart-box:has([data-chart="batch"]) [data-control="logY"]').checked`), true);
    await panel.page.locator('.chart-box:has([data-chart="loss"]) [data-control="logY"]').click();
    assert.equal((await yAxis('loss')).type, 'linear');
    const labels = () => panel.eval<string[]>(`window.__finetunePanel.datasets('batch').map((d) => d.label)`);
    assert.deepEqual(await labels(), ['batch loss', 'smoothed']);
    await panel.page.selectOption('[data-control="smoothing"]', '0');
    assert.deepEqual(await labels(), ['batch loss']);
    await panel.page.selectOption('[data-control="smoothing"]', '0.99');
    const smoothed = await panel.eval<number[]>(`window.__finetunePanel.datasets('batch')[1].points.map((p) => p.y)`);
    const raw = await panel.eval<number[]>(`window.__finetunePanel.datasets('batch')[0].points.map((p) => p.y)`);
    const spread = (ys: number[]) => Math.max(...ys) - Math.min(...ys);
    assert.ok(spread(smoothed) < spread(raw), 'heavier smoothing narrows the curve');
  });
});
