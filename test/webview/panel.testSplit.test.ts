/** The panel shows the held-out test set apart from validation: header fact, its own evaluation section. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readPanelEvaluation } from '../../src/extension/panel/evaluationReader';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { fileSource, NEWEST_RUN as NEWEST, RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import type { ExtensionMessage } from '../../src/protocol/webview';
import { PanelPage } from './panelPage';
import * as path from 'node:path';

describe('panel: test split', () => {
  let panel: PanelPage;
  before(async () => {
    panel = await PanelPage.open('dark');
  });
  after(async () => panel?.close());
  const text = (selector: string) => panel.page.locator(selector).first().innerText();

  it('shows the test accuracy in the header and the test evaluation apart from the validation one', async () => {
    const history = new ProjectHistory(project);
    await history.load();
    const snapshot = history.snapshot() as Extract<ExtensionMessage, { type: 'snapshot' }>;
    assert.ok(snapshot.run);
    const info = { ...snapshot.run.info, testImages: 12, testAccuracy: 0.75, warnings: ['Class "boot" has 2 training image(s), under 10% of the largest class\'s 40.'] };
    await panel.send({ ...snapshot, run: { ...snapshot.run, info } });
    assert.equal(await text('[data-fact="Test accuracy"]'), '75.0% (held out, evaluated once)');
    assert.match(await text('[data-fact="Images"]'), / \/ 12 test$/);
    assert.match(await text('.warnings'), /Class "boot" has 2 training image/);
    const evaluation = await readPanelEvaluation(path.join(project, 'runs', NEWEST), project, fileSource);
    const validation = evaluation.phases.at(-1);
    assert.ok(validation);
    await panel.send({ type: 'evaluation', runId: NEWEST, ...evaluation, test: { ...validation, accuracy: 0.75, samples: 12 } });
    assert.equal(await text('#evaluation [data-fact="Accuracy"]'), '89.2%', 'the validation numbers stay first');
    assert.match(await text('[data-eval="test"] h3'), /Test set \(held out, evaluated once after phase "fine-tune"\)/);
    assert.equal(await text('[data-eval="test"] [data-fact="Accuracy"]'), '75.0%');
    assert.equal(await text('[data-eval="test"] [data-fact="Images"]'), '12');
    assert.equal(await panel.eval<number>(`document.querySelectorAll('[data-eval="test"] table.confusion').length`), 1);
    // Without a test set: no section.
    await panel.send({ type: 'evaluation', runId: NEWEST, ...evaluation, test: null });
    assert.equal(await panel.eval<number>(`document.querySelectorAll('[data-eval="test"]').length`), 0);
  });
});
