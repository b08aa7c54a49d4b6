/**
 * The run controls in headless Chromium: the empty panel's single Start Training, Stop while a run is
 * live, Resume once its host died, Export and Start after it completed; each click posts `runAction`
 * with the shown run, and the codicons really render (the font loads under the panel's CSP).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { WebviewMessage } from '../../src/protocol/webview';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import type { RunRecord } from '../../src/extension/panel/runRecord';
import { derivedState } from '../../src/extension/panel/runView';
import { RUNS_PROJECT, recordedEvents } from '../fixtures/runs/recorded';
import { PanelPage } from './panelPage';

const results = path.resolve(__dirname, '..', '..', 'test-results');

describe('run controls in the panel', () => {
  let panel: PanelPage;
  before(async () => {
    mkdirSync(results, { recursive: true });
    panel = await PanelPage.open('dark');
  });
  after(async () => panel?.close());

  /** The buttons of the run header: action, label, icon, primary. */
  const buttons = () =>
    panel.eval<string[]>(`[...document.querySelectorAll('.run-controls vscode-button')].map((b) => b.dataset.action + (b.secondary ? '' : '*') + ':' + b.getAttribute('icon'))`);
  const lastPosted = async (): Promise<WebviewMessage | undefined> => (await panel.posted()).at(-1);
  const click = async (action: string) => {
    await panel.page.locator(`.run-controls vscode-button[data-action="${action}"]`).click();
    return lastPosted();
  };
  /** Sends the run's state as the extension's live buffer does. */
  const sendEvents = (record: RunRecord) => panel.send({ type: 'events', runId: record.runId, epochs: [], batches: [], ...derivedState(record) });

  it('the empty panel shows one Start Training call to action, with its codicon drawn', async () => {
    await panel.send({ type: 'snapshot', projectDir: RUNS_PROJECT, run: null, runs: [], compared: [], focus: null, pinned: false });
    assert.deepEqual(await buttons(), ['start*:play']);
    assert.equal((await panel.page.locator('.run-controls vscode-button').innerText()).trim(), 'Start Training');
    // vscode-icon draws through the codicon font: it must have loaded (not blocked by the CSP, not a 404).
    await panel.page.waitForFunction(`document.fonts.check('16px codicon') && [...document.fonts].some((f) => f.family.includes('codicon') && f.status === 'loaded')`, undefined, { timeout: 10_000 });
    assert.deepEqual(await panel.eval<string[]>('window.__cspViolations'), []);
    // Nothing else yet: no empty charts, tables or run list under the call to action.
    assert.equal(await panel.page.locator('section', { hasText: 'Charts' }).isVisible(), false);
    assert.equal(await panel.page.locator('#pipeline').isVisible(), false);
    await panel.page.screenshot({ path: path.join(results, 'panel-controls-empty.png') });
    assert.deepEqual(await click('start'), { type: 'runAction', action: 'start', runId: null });
  });

  it('a live run shows Stop; its host dying turns it into interrupted with Resume; completed shows Export and Start', async () => {
    const history = new ProjectHistory(RUNS_PROJECT);
    const events = recordedEvents();
    const cut = events.findIndex((e) => e.type === 'epoch' && e.phaseIndex === 1);
    for (const event of events.slice(0, cut + 1)) history.apply(event);
    const record = history.shownRun() as RunRecord;
    await panel.send(history.snapshot());
    assert.deepEqual(await buttons(), ['stop*:debug-stop', 'openConfig:go-to-file']);
    assert.equal(await panel.page.locator('[data-run-status]').innerText(), 'live');
    await panel.page.screenshot({ path: path.join(results, 'panel-controls-running.png') });
    assert.deepEqual(await click('stop'), { type: 'runAction', action: 'stop', runId: record.runId });
    assert.deepEqual(await click('openConfig'), { type: 'runAction', action: 'openConfig', runId: record.runId });
    // Stop waits for the run to end; Open finetune.json can be clicked again.
    const disabled = (action: string) => panel.eval<boolean>(`document.querySelector('.run-controls vscode-button[data-action="${action}"]').disabled`);
    assert.equal(await disabled('stop'), true);
    assert.equal(await disabled('openConfig'), false);
    assert.equal(await panel.page.locator('#pipeline').isVisible(), true);

    record.hasCheckpoint = true;
    history.markInterrupted(record.runDir, 'The training process was killed (SIGKILL).');
    await sendEvents(record);
    assert.deepEqual(await buttons(), ['resume*:debug-continue', 'start:play', 'openConfig:go-to-file']);
    assert.equal(await panel.page.locator('[data-run-status]').innerText(), 'interrupted');
    assert.equal(await panel.page.locator('[data-stage="finetune"]').getAttribute('data-status'), 'interrupted');
    assert.match(await panel.page.locator('.run-message').innerText(), /SIGKILL/);
    await panel.page.screenshot({ path: path.join(results, 'panel-controls-interrupted.png') });
    assert.deepEqual(await click('resume'), { type: 'runAction', action: 'resume', runId: record.runId });

    const finished = new ProjectHistory(RUNS_PROJECT);
    for (const event of events) finished.apply(event);
    await panel.send(finished.snapshot());
    assert.deepEqual(await buttons(), ['export*:package', 'start:play', 'openConfig:go-to-file']);
    assert.deepEqual(await click('export'), { type: 'runAction', action: 'export', runId: (finished.shownRun() as RunRecord).runId });
    await panel.page.screenshot({ path: path.join(results, 'panel-controls-completed.png') });
  });
});
