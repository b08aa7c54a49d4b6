/**
 * The panel's layout (issue 19, item 7) in headless Chromium with a recorded run: stage cards in a
 * grid that wraps into whole rows, phase names as titles, codicons for status, one count format with
 * exact values in tooltips, no value broken inside a word, and Top-k hidden when it cannot be below 100%.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import { PanelPage } from './panelPage';

describe('panel layout', () => {
  let panel: PanelPage;
  let history: ProjectHistory;

  before(async () => {
    history = new ProjectHistory(project);
    await history.load();
    panel = await PanelPage.open('dark');
    await panel.send(history.snapshot());
  });
  after(async () => panel?.close());

  /** Each card's row (its top edge) at a viewport width. */
  async function rowsAt(width: number): Promise<number[]> {
    await panel.page.setViewportSize({ width, height: 900 });
    return panel.eval<number[]>(`[...document.querySelectorAll('.stage-cell')].map((c) => Math.round(c.getBoundingClientRect().top))`);
  }

  it('lays the seven cards out in whole rows with step numbers and no arrows', async () => {
    const narrow = await rowsAt(1000);
    const rowSizes = [...new Set(narrow)].map((top) => narrow.filter((t) => t === top).length);
    assert.deepEqual(rowSizes, [4, 3], `cards per row at 1000 px: ${rowSizes.join(' + ')}`);
    assert.equal(new Set(await rowsAt(1600)).size, 1, 'one row at 1600 px');
    assert.equal(await panel.eval<number>(`document.querySelectorAll('.pipeline .arrow').length`), 0);
    assert.deepEqual(await panel.eval<string[]>(`[...document.querySelectorAll('.stage-step')].map((s) => s.textContent)`), ['1', '2', '3', '4', '5', '6', '7']);
  });

  it('titles the training cards with the config phase names and keeps the recipe step under them', async () => {
    const columns = await panel.eval<string[]>(`[...document.querySelectorAll('#phase-table thead th')].slice(1).map((t) => t.textContent.replace(/^\\d+\\. /, ''))`);
    const trainTitle = await panel.page.locator('[data-stage="train"] .stage-title').innerText();
    assert.equal(trainTitle, columns[0]);
    assert.equal(await panel.page.locator('[data-stage="train"] .stage-subtitle').innerText(), 'Train final layers');
    assert.equal(await panel.page.locator('[data-stage="base"] .stage-title').innerText(), 'Pre-trained model');
  });

  it('marks status with codicons, not Unicode glyphs', async () => {
    const marks = await panel.eval<string[]>(`[...document.querySelectorAll('.stage')].map((s) => s.dataset.status + ':' + s.querySelector('.stage-status .codicon').className)`);
    assert.ok(marks.includes('done:codicon codicon-pass'), marks.join(', '));
    assert.ok(marks.includes('pending:codicon codicon-circle-large-outline'), marks.join(', '));
    const statusText = await panel.eval<string>(`[...document.querySelectorAll('.stage-status')].map((s) => s.textContent).join('')`);
    assert.doesNotMatch(statusText, /[○◐✓✕■⏸]/u);
  });

  it('shows compacted counts with the exact value in the tooltip', async () => {
    const dd = panel.page.locator('[data-stage="freeze"] [data-fact="Frozen params"]');
    assert.equal(await dd.innerText(), '2.26M');
    assert.match((await dd.getAttribute('title')) ?? '', /^2,2\d\d,\d{3}$/);
  });

  it('breaks no value inside a word at 1000 px, except paths', async () => {
    await panel.page.setViewportSize({ width: 1000, height: 900 });
    // A value broken inside a word has a line box per piece: compare its rendered lines with its words.
    const broken = await panel.eval<string[]>(`[...document.querySelectorAll('.facts dd:not(.path)')].filter((dd) => {
      const range = document.createRange();
      return dd.textContent.split(/\\s+/).some((word) => {
        const node = dd.firstChild; const start = dd.textContent.indexOf(word);
        if (!node || start < 0 || word.length < 2) return false;
        range.setStart(node, start); range.setEnd(node, start + word.length);
        return range.getClientRects().length > 1;
      });
    }).map((dd) => dd.dataset.fact + '=' + dd.textContent)`);
    assert.deepEqual(broken, []);
  });
});
