/** The panel's Data section: images per class and split, flagged classes named, old runs say they have no counts. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import type { ExtensionMessage } from '../../src/protocol/webview';
import { PanelPage } from './panelPage';

describe('panel: data summary', () => {
  let panel: PanelPage;
  before(async () => {
    panel = await PanelPage.open('dark');
  });
  after(async () => panel?.close());

  it('lists each class per split with a bar, flags the tiny and the far smaller one, and says so above', async () => {
    const history = new ProjectHistory(project);
    await history.load();
    const snapshot = history.snapshot() as Extract<ExtensionMessage, { type: 'snapshot' }>;
    assert.ok(snapshot.run);
    await panel.send(snapshot);
    assert.match(await panel.page.locator('#data').innerText(), /did not record its images per class/, 'a recorded run from before');

    const classCounts = [
      { name: 'sneaker', train: 120, validation: 30, test: 0 },
      { name: 'boot', train: 8, validation: 0, test: 0 },
      { name: 'bag', train: 100, validation: 25, test: 0 },
    ];
    await panel.send({ ...snapshot, run: { ...snapshot.run, info: { ...snapshot.run.info, classCounts } } });
    const rows = await panel.eval<string[][]>(`[...document.querySelectorAll('[data-table="data-counts"] tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))`);
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['sneaker', '120', '30'], ['boot', '8', '0'], ['bag', '100', '25']]);
    assert.match(rows[1][4], /tiny: 8 training images.*under 10% of the largest class \(120\).*no validation images/);
    assert.equal(rows[0][4], '');
    assert.equal(await panel.eval(`document.querySelectorAll('[data-table="data-counts"] th').length`), 5 + 3, 'no Test column without a test split');
    assert.equal(await panel.page.locator('.data-verdict').innerText(), '1 of 3 classes flagged: see the last column.');
    const widths = await panel.eval<number[]>(`[...document.querySelectorAll('.share-bar')].map((bar) => bar.getBoundingClientRect().width)`);
    assert.ok(widths[0] > widths[2] && widths[2] > widths[1] && widths[1] > 0, `bars scale with the counts: ${widths}`);
  });
});
