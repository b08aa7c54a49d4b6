/**
 * The panel's Learning-rate finder section in headless Chromium: empty until a sweep arrives, then
 * one smoothed-loss curve per phase on a log axis with the suggestion as a vertical line, and a text
 * line per phase; a malformed message is ignored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PanelPage } from './panelPage';

describe('learning-rate finder section', () => {
  let panel: PanelPage;
  before(async () => {
    panel = await PanelPage.open('dark');
  });
  after(async () => {
    await panel?.close();
  });

  it('draws each phase\'s curve with its suggestion, and says the suggestion in text', async () => {
    assert.match(await panel.eval<string>(`document.getElementById('lr-find').textContent`), /No learning-rate sweep yet/);
    const rates = Array.from({ length: 50 }, (_, i) => 1e-7 * 10 ** ((8 * i) / 49));
    const losses = rates.map((_, i) => 2 - Math.sin((Math.PI * i) / 49));
    await panel.send({ type: 'lrFind', sweeps: [
      { phase: 1, phaseName: 'head', rates, smoothedLosses: losses, suggestion: 0.0028 },
      { phase: 2, phaseName: 'tune', rates: rates.slice(0, 20), smoothedLosses: losses.slice(0, 20), suggestion: null },
    ] });
    const datasets = await panel.eval<{ label: string; points: number }[]>('window.__finetunePanel.lrFindDatasets()');
    assert.deepEqual(datasets, [
      { label: 'phase 1 smoothed loss', points: 50 },
      { label: 'phase 1 suggestion 2.8e-3', points: 2 },
      { label: 'phase 2 smoothed loss', points: 20 },
    ]);
    const lines = await panel.eval<string[]>(`[...document.querySelectorAll('#lr-find li')].map((li) => li.textContent)`);
    assert.deepEqual(lines, ['Phase 1 "head": suggested learning rate 2.8e-3 (50 steps) Use 2.8e-3 for phase 1', 'Phase 2 "tune": no suggestion (too few steps) (20 steps)']);
    // One button, for the phase with a suggestion; it asks the extension to write that phase's rate.
    assert.equal(await panel.eval<number>(`document.querySelectorAll('#lr-find vscode-button').length`), 1);
    await panel.eval(`document.querySelector('#lr-find vscode-button[data-use-phase="1"]').click()`);
    assert.deepEqual((await panel.posted()).filter((m) => m.type === 'useLearningRate'), [{ type: 'useLearningRate', phase: 1 }]);
    assert.equal(await panel.eval<string>(`document.querySelector('#lr-find canvas').getAttribute('aria-label')`), 'Loss against learning rate');
    const ignored = await panel.eval<number>('window.__finetunePanel.ignoredMessages()');
    await panel.send({ type: 'lrFind', sweeps: [{ phase: 1, phaseName: 'head', rates: [1], smoothedLosses: [], suggestion: null }] });
    assert.equal(await panel.eval<number>('window.__finetunePanel.ignoredMessages()'), ignored + 1);
    assert.equal((await panel.eval<unknown[]>('window.__finetunePanel.lrFindDatasets()')).length, 3, 'the drawn curves stay');
  });
});
