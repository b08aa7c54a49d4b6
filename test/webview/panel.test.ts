/**
 * The training panel's webview in headless Chromium, fed the recorded runs in test/fixtures/runs
 * through the extension's own history code, as the controller does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ExtensionMessage } from '../../src/protocol/webview';
import { readPanelEvaluation } from '../../src/extension/panel/evaluationReader';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RunRecord } from '../../src/extension/panel/runRecord';
import { buildRunView, derivedState } from '../../src/extension/panel/runView';
import { EARLIER_RUN as EARLIER, fileSource, NEWEST_RUN as NEWEST, RUNS_PROJECT as project, recordedEvents } from '../fixtures/runs/recorded';
import { PanelPage } from './panelPage';
import { distillSummary } from '../fixtures/runs/distillSummary';

const results = path.resolve(__dirname, '..', '..', 'test-results');

type Dataset = { label: string; points: { x: number; y: number }[] };

describe('training panel webview', () => {
  let panel: PanelPage;
  let history: ProjectHistory;

  before(async () => {
    mkdirSync(results, { recursive: true });
    history = new ProjectHistory(project);
    await history.load();
    panel = await PanelPage.open('dark');
  });
  after(async () => panel?.close());

  const datasets = (chart: string) => panel.eval<Dataset[]>(`window.__finetunePanel.datasets(${JSON.stringify(chart)})`);
  const text = (selector: string) => panel.page.locator(selector).first().innerText();

  it('says ready once loaded, before anything else', async () => {
    const posted = await panel.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
  });

  it('shows the newest finished run: stage statuses and numbers', async () => {
    await panel.send(history.snapshot());
    const statuses = await panel.eval<string[]>(`[...document.querySelectorAll('.stage')].map((s) => s.dataset.stage + ':' + s.dataset.status)`);
    assert.deepEqual(statuses, ['base:done', 'adjust:done', 'freeze:done', 'train:done', 'finetune:done', 'export:done', 'distill:pending']);
    // A run read from disk knows the base and cut from manifest.json's config snapshot.
    assert.equal(await text('[data-stage="base"] [data-fact="Model"]'), 'builtin:mobilenet_v2');
    assert.equal(await text('[data-stage="adjust"] [data-fact="Cut at"]'), 'out_relu');
    assert.equal(await text('[data-stage="freeze"] [data-fact="Frozen params"]'), '2.26M');
    assert.equal(await text('[data-stage="train"] [data-fact="Best val acc"]'), '82.5%');
    assert.equal(await text('[data-stage="finetune"] [data-fact="Best val acc"]'), '89.2%');
    assert.equal(await text('[data-stage="finetune"] [data-fact="Epochs"]'), '4 / 4');
    assert.equal(await text('[data-stage="export"] [data-fact="Location"]'), path.join('runs', NEWEST, 'model'));
    assert.match(await text('.run-title'), new RegExp(NEWEST));
  });

  it('shows a distill run\'s Distill stage after Adapted model: teacher vs student size, accuracy and speed', async () => {
    const record = new RunRecord('20261202-200000-000', path.join(project, 'runs', '20261202-200000-000'));
    record.setSummary(distillSummary());
    const snapshot = history.snapshot();
    assert.equal(snapshot.type, 'snapshot');
    await panel.send({ ...snapshot, run: buildRunView(record) } as ExtensionMessage);
    const order = await panel.eval<string[]>(`[...document.querySelectorAll('.stage')].map((s) => s.dataset.stage)`);
    assert.equal(order.indexOf('distill'), order.indexOf('export') + 1);
    assert.equal(await panel.eval('document.querySelector(\'[data-stage="distill"]\').dataset.status'), 'done');
    assert.equal(await text('[data-stage="distill"] [data-fact="Params"]'), '2.26M → 400.0k');
    assert.equal(await text('[data-stage="distill"] [data-fact="Val acc"]'), '95.0% → 90.0%');
    assert.equal(await text('[data-stage="distill"] [data-fact="Images/s"]'), '50.0 → 200.0');
    await panel.page.screenshot({ path: path.join(results, 'panel-distill-dark.png'), fullPage: true });
    await panel.send(history.snapshot());
  });

  it('fills the phase comparison table', async () => {
    const row = (key: string) => panel.eval<string[]>(`[...document.querySelectorAll('[data-row="${key}"] td')].map((td) => td.textContent)`);
    assert.deepEqual(await row('trainable'), ['6,405', '887.0k']);
    assert.deepEqual(await row('epochs'), ['5 of 5', '4 of 4']);
    assert.deepEqual(await row('bestAcc'), ['82.5%', '89.2%']);
    assert.deepEqual(await row('finalAcc'), ['82.5%', '88.3%']);
    assert.deepEqual(await row('delta'), ['—', '+6.7 pts']);
    assert.deepEqual(await row('speed'), ['228.6', '33.8']);
  });

  it('draws loss and accuracy over one epoch axis across both phases, with per-batch and learning-rate charts', async () => {
    const loss = await datasets('loss');
    assert.deepEqual(loss.map((d) => d.label), ['train loss', 'val loss']);
    assert.deepEqual(loss[1].points.map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const accuracy = await datasets('accuracy');
    assert.deepEqual(accuracy[1].points.map((p) => Math.round(p.y * 10) / 10), [61.7, 74.2, 79.2, 80.8, 82.5, 85.8, 87.5, 89.2, 88.3]);
    const batch = await datasets('batch');
    assert.equal(batch[0].points.length, 9 * 15);
    // Phase 2's first batch sits just after epoch 5 on the shared axis.
    assert.ok(Math.abs(batch[1].points[75].x - (5 + 1 / 15)) < 1e-9);
    const lr = await datasets('lr');
    assert.deepEqual([...new Set(lr[0].points.map((p) => p.y))], [0.001, 0.0001]);
  });

  it('overlays an earlier run picked for comparison', async () => {
    const box = panel.page.locator(`vscode-checkbox[data-run="${EARLIER}"]`);
    await box.click();
    assert.equal(await box.evaluate((node) => (node as unknown as { checked: boolean }).checked), true);
    const posted = await panel.posted();
    assert.deepEqual(posted.at(-1), { type: 'selectRuns', runIds: [EARLIER] });
    await panel.send({ type: 'comparison', compared: history.selectRuns([EARLIER]) });
    const accuracy = await datasets('accuracy');
    assert.equal(accuracy[2].label, `${EARLIER} val accuracy`);
    assert.equal(accuracy[2].points.length, 9);
  });

  it('draws its controls with @vscode-elements components, upgraded and themed', async () => {
    const controls = await panel.eval<{ tag: string; upgraded: boolean }[]>(
      `[...document.querySelectorAll('#run-picker vscode-checkbox, #run-picker vscode-button, #pipeline vscode-button')].map((node) => ({ tag: node.localName, upgraded: !!node.shadowRoot && customElements.get(node.localName) === node.constructor }))`,
    );
    assert.deepEqual([...new Set(controls.map((c) => c.tag))].sort(), ['vscode-button', 'vscode-checkbox']);
    assert.ok(controls.every((c) => c.upgraded), JSON.stringify(controls));
    // Lit's styles arrive as adopted stylesheets, which the CSP does not block (see the last test).
    assert.ok(await panel.eval<number>(`document.querySelector('#pipeline vscode-button').shadowRoot.adoptedStyleSheets.length`) > 0);
  });

  it('shows the evaluation: confusion matrix, per-class metrics and the mistakes gallery', async () => {
    const evaluation = await readPanelEvaluation(path.join(project, 'runs', NEWEST), project, fileSource);
    await panel.send({ type: 'evaluation', runId: NEWEST, ...evaluation });
    const selectedTab = await panel.eval<string>(`document.querySelector('.eval-tab[aria-selected="true"]').textContent`);
    assert.equal(selectedTab, 'fine-tune', 'the latest phase is shown first');
    assert.equal(await text('#evaluation [data-fact="Accuracy"]'), '89.2%');
    const diagonal = await panel.eval<string[]>(`[...document.querySelectorAll('[data-table="confusion"] td.hit')].map((td) => td.textContent)`);
    assert.deepEqual(diagonal, ['22', '21', '21', '21', '22']);
    // trouser: 22 of 24 found (recall), 22 of 23 predictions right (precision).
    assert.equal(await text('[data-table="per-class"] [data-class="trouser"] td:nth-of-type(1)'), '95.7%');
    assert.equal(await text('[data-table="per-class"] [data-class="trouser"] td:nth-of-type(2)'), '91.7%');
    assert.equal(await panel.eval('document.querySelectorAll(".mistake").length'), 4);
    // Previews are inlined data: URIs that really decode (28x28 Fashion-MNIST images).
    await panel.page.waitForFunction('[...document.querySelectorAll(".mistake img")].every((img) => img.complete)');
    assert.deepEqual(await panel.eval('[...document.querySelectorAll(".mistake img")].map((img) => img.naturalWidth)'), [28, 28, 28, 28]);
    await panel.page.locator('.mistake').first().click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openFile', path: path.join(project, 'data', 'sneaker', '003.png') });
    await panel.page.locator('[data-eval-phase="train head"]').click();
    assert.equal(await panel.eval('document.querySelectorAll(".mistake").length'), 6);
    await panel.page.locator('[data-open="report"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openFile', path: path.join(project, 'runs', NEWEST, 'report.md') });
  });

  it('a confusion cell lists the images it counts; clicking one opens it; a run without per-image cells has plain cells', async () => {
    const evaluation = await readPanelEvaluation(path.join(project, 'runs', NEWEST), project, fileSource);
    const [head, fineTune] = evaluation.phases;
    // The recorded run predates per-image cells: its mistakes stand in as the images of their cells.
    const images = fineTune.worst.map((mistake) => ({
      file: mistake.file, trueIndex: fineTune.classes.indexOf(mistake.trueClass), predictedIndex: fineTune.classes.indexOf(mistake.predictedClass), confidence: mistake.confidence, src: mistake.thumbnail ?? '',
    }));
    await panel.send({ type: 'evaluation', runId: NEWEST, ...evaluation, phases: [head, { ...fineTune, images }] });
    await panel.page.locator('[data-eval-phase="fine-tune"]').click();
    const [first] = images;
    const cell = `${first.trueIndex},${first.predictedIndex}`;
    const inCell = images.filter((image) => image.trueIndex === first.trueIndex && image.predictedIndex === first.predictedIndex);
    const nonEmpty = fineTune.confusion.flat().filter((count) => count > 0).length;
    assert.equal(await panel.eval('document.querySelectorAll(\'[data-table="confusion"] td.clickable\').length'), nonEmpty, 'every non-empty cell is a button, the empty ones not');
    await panel.page.locator(`[data-table="confusion"] td[data-cell="${cell}"]`).click();
    assert.equal(await panel.eval(`document.querySelectorAll('.cell-images[data-cell="${cell}"] .mistake').length`), inCell.length);
    assert.match(await text('.cell-images h4'), new RegExp(`^${fineTune.classes[first.trueIndex]} predicted as ${fineTune.classes[first.predictedIndex]}: ${inCell.length} image`));
    await panel.page.waitForFunction('[...document.querySelectorAll(".cell-images img")].every((img) => img.complete && img.naturalWidth > 0)');
    await panel.page.locator('.cell-images .mistake').first().click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openFile', path: first.file });
    await panel.page.locator('[data-eval-phase="train head"]').click();
    assert.equal(await panel.eval('document.querySelectorAll(\'[data-table="confusion"] td.clickable\').length'), 0, 'no per-image cells: nothing to click');
  });

  it('loses nothing when the panel is hidden and shown again (the page is rebuilt)', async () => {
    history.focus = 'train';
    await panel.reload('dark');
    await panel.send(history.snapshot());
    await panel.send({ type: 'evaluation', runId: NEWEST, ...(await readPanelEvaluation(path.join(project, 'runs', NEWEST), project, fileSource)) });
    assert.equal(await panel.eval('document.querySelector(\'[data-stage="train"]\').getAttribute("aria-pressed")'), 'true');
    assert.deepEqual(await panel.eval('window.__finetunePanel.xRange("loss")'), { min: 0, max: 5 });
    assert.equal(await panel.eval(`document.querySelector('vscode-checkbox[data-run="${EARLIER}"]').checked`), true);
    assert.equal((await datasets('accuracy')).length, 3, 'the compared run is still overlaid');
    // The evaluation tab picked before is kept by the webview's own state.
    assert.equal(await panel.eval<string>(`document.querySelector('.eval-tab[aria-selected="true"]').textContent`), 'train head');
    history.focus = null;
    await panel.send(history.snapshot());
  });

  it('focuses the charts on a stage when it is clicked, and tells the extension', async () => {
    await panel.page.locator('[data-stage="finetune"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'focusStage', stage: 'finetune' });
    assert.deepEqual(await panel.eval('window.__finetunePanel.xRange("loss")'), { min: 5, max: 9 });
    await panel.page.locator('[data-stage="finetune"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'focusStage', stage: null });
  });

  it('shows an earlier run in full when asked, and goes back to the latest', async () => {
    await panel.page.locator(`[data-show-run="${EARLIER}"]`).click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'showRun', runId: EARLIER });
    assert.ok(history.pin(EARLIER));
    await panel.send(history.snapshot());
    assert.match(await text('.run-title'), new RegExp(EARLIER));
    assert.equal(await text('[data-row="delta"] td:nth-of-type(2)'), '−0.9 pts', 'its fine-tuning made it worse');
    await panel.page.locator('[data-show-run="latest"]').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'showRun', runId: null });
    history.pin(null);
    await panel.send(history.snapshot());
    await panel.send({ type: 'evaluation', runId: NEWEST, ...(await readPanelEvaluation(path.join(project, 'runs', NEWEST), project, fileSource)) });
    assert.match(await text('.run-title'), new RegExp(NEWEST));
    assert.equal(await panel.eval('document.querySelectorAll("[data-show-run=latest]").length'), 0);
  });

  it('saves screenshots in the dark, light and high contrast themes', async () => {
    await panel.page.screenshot({ path: path.join(results, 'panel-dark.png'), fullPage: true });
    await panel.setTheme('light');
    // The components read the theme's variables: a secondary button is Light Modern's grey, not its dark default.
    assert.equal(await panel.eval(`getComputedStyle(document.querySelector('#pipeline vscode-button').shadowRoot.querySelector('.base')).backgroundColor`), 'rgb(229, 229, 229)');
    const colors = await panel.eval<{ train: string; foreground: string }>('window.__finetunePanel.chartColors()');
    assert.deepEqual(colors, { train: '#1a85ff', val: '#d18616', foreground: '#3b3b3b' });
    await panel.page.screenshot({ path: path.join(results, 'panel-light.png'), fullPage: true });
    await panel.setTheme('highContrast');
    // Dark high contrast: the validation curve is yellow, bright on black.
    assert.equal((await panel.eval<{ val: string }>('window.__finetunePanel.chartColors()')).val, '#ffd700');
    await panel.page.screenshot({ path: path.join(results, 'panel-high-contrast.png'), fullPage: true });
    await panel.setTheme('dark');
  });

  it('appends live events to a running run and updates its stages', async () => {
    const live = new ProjectHistory(project);
    const events = recordedEvents();
    // Up to the middle of the fine-tuning phase: 5 head epochs and 1 fine-tuning epoch done.
    const split = events.findIndex((e) => e.type === 'epoch' && e.phaseIndex === 1 && e.epoch === 1) - 5;
    for (const event of events.slice(0, split)) live.apply(event);
    const snapshot = live.snapshot();
    await panel.send(snapshot);
    assert.equal(await panel.eval('document.querySelector(\'[data-stage="finetune"]\').dataset.status'), 'running');
    const before = (await datasets('batch'))[0].points.length;

    const record = live.shownRun() as RunRecord;
    const epochs = [];
    const batches = [];
    for (const event of events.slice(split, split + 6)) {
      const applied = live.apply(event);
      epochs.push(...applied.points.epochs);
      batches.push(...applied.points.batches);
    }
    await panel.send({ type: 'events', runId: record.runId, epochs, batches, ...derivedState(record) });
    assert.equal((await datasets('batch'))[0].points.length, before + batches.length);
    assert.equal(await text('[data-stage="finetune"] [data-fact="Best val acc"]'), '87.5%');
    assert.equal(await text('[data-row="delta"] td:nth-of-type(2)'), '+5.0 pts');
    assert.equal((await datasets('loss'))[1].points.length, 7);
    await panel.page.screenshot({ path: path.join(results, 'panel-live-dark.png'), fullPage: true });

    // Points for another run (a stale batch) are dropped, not mixed in.
    await panel.send({ type: 'events', runId: 'someone-else', epochs, batches, ...derivedState(record) });
    assert.equal((await datasets('loss'))[1].points.length, 7);
  });

  it('ignores malformed messages and keeps what it shows', async () => {
    const ignoredBefore = await panel.eval<number>('window.__finetunePanel.ignoredMessages()');
    await panel.send({ type: 'snapshot', projectDir: project, run: 5, runs: [], compared: [], focus: null, pinned: false });
    await panel.send({ type: 'events', runId: NEWEST });
    await panel.send({ type: 'nonsense' });
    await panel.send({ hello: 'world' });
    assert.equal(await panel.eval<number>('window.__finetunePanel.ignoredMessages()'), ignoredBefore + 4);
    assert.equal((await datasets('loss'))[1].points.length, 7);
  });

  it('stays responsive with 50,000 batch points', async () => {
    const record = new RunRecord('long-run', path.join(project, 'runs', 'long-run'));
    const perEpoch = 500;
    for (let i = 0; i < 50_000; i++) {
      const epoch = Math.floor(i / perEpoch);
      record.addBatch({ type: 'batch', phase: 'train head', phaseIndex: 0, epoch, batch: i % perEpoch, batchesPerEpoch: perEpoch, loss: 1 / (1 + i / 5000) + Math.sin(i) * 0.1, accuracy: 0.5, lr: 0.001, seconds: i * 0.01 });
    }
    const message: ExtensionMessage = { type: 'snapshot', projectDir: project, run: buildRunView(record, Infinity), runs: [], compared: [], focus: null, pinned: false };
    const started = Date.now();
    await panel.send(message);
    const renderMs = await panel.eval<number>('window.__finetunePanel.lastRenderMs()');
    console.log(`50,000 batch points: drawn in ${renderMs.toFixed(0)} ms in the page, ${Date.now() - started} ms with delivery from Node`);
    assert.equal(await panel.eval('window.__finetunePanel.datasets("batch")[0].points.length'), 50_000);
    // Another 250 ms batch of live points on top of the 50,000 (as the extension streams them).
    const more = Array.from({ length: 60 }, (_, i) => record.addBatch({ type: 'batch', phase: 'train head', phaseIndex: 0, epoch: 100, batch: i, batchesPerEpoch: perEpoch, loss: 0.3, accuracy: 0.9, lr: 0.001, seconds: 600 + i }));
    await panel.send({ type: 'events', runId: 'long-run', epochs: [], batches: more, ...derivedState(record) });
    console.log(`  then 60 live points appended and redrawn in ${(await panel.eval<number>('window.__finetunePanel.lastRenderMs()')).toFixed(0)} ms`);
    assert.equal(await panel.eval('window.__finetunePanel.datasets("batch")[0].points.length'), 50_060);
    // The page still answers and can be clicked after drawing them.
    await panel.page.locator('[data-stage="train"]').click();
    assert.equal(await panel.eval('window.__finetunePanel.focus()'), 'train');
    // Focused on a phase that has only batches so far: the axis spans them all.
    assert.deepEqual(await panel.eval('window.__finetunePanel.xRange("batch")'), { min: 0, max: 100 + 60 / perEpoch });
    await panel.page.screenshot({ path: path.join(results, 'panel-50k-dark.png'), fullPage: true });
  });

  it('draws a cancelled phase neutral (not red) and lists the skipped files, which open on click', async () => {
    const events = recordedEvents();
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the recorded run should end with a done event');
    const cut = events.findIndex((e) => e.type === 'epoch' && e.phaseIndex === 1 && e.epoch === 2);
    const [head, fine] = done.summary.phases;
    const summary = { ...done.summary, status: 'cancelled' as const, modelDir: null, phases: [head, { ...fine, status: 'cancelled' as const, epochsRun: 2 }] };
    const record = new RunRecord('cancelled-run', path.join(project, 'runs', 'cancelled-run'));
    const broken = path.join(project, 'data', 'sneaker', 'broken.png');
    for (const event of events.slice(0, cut)) record.apply(event);
    record.apply({ type: 'warning', message: '2 file(s) could not be used and were skipped.', files: [
      { file: broken, reason: 'could not be decoded (unexpected end of file); it is left out.' },
      { file: path.join(project, 'data', 'boot', 'notes.txt'), reason: 'not an image (.txt)' },
    ] });
    record.apply({ ...done, status: 'cancelled', summary });
    await panel.send({ type: 'snapshot', projectDir: project, run: buildRunView(record), runs: [], compared: [], focus: null, pinned: false });

    const stage = panel.page.locator('[data-stage="finetune"]');
    assert.equal(await stage.getAttribute('data-status'), 'cancelled');
    assert.match(await stage.locator('.stage-status').innerText(), /cancelled/);
    assert.equal(await text('[data-stage="finetune"] [data-fact="Stopped"]'), 'cancelled at epoch 2 of 4 — Resume continues it');
    // Neutral: the stage's top edge is not the error colour a failed stage uses.
    const edge = await panel.eval<string>(`getComputedStyle(document.querySelector('[data-stage="finetune"]')).borderTopColor`);
    const errorColour = await panel.eval<string>(`(() => { const probe = document.createElement('span'); probe.style.color = 'var(--vscode-errorForeground)'; document.body.append(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; })()`);
    assert.notEqual(edge, errorColour);

    const links = panel.page.locator('[data-open-skipped]');
    assert.deepEqual(await links.allInnerTexts(), ['broken.png', 'notes.txt']);
    assert.match(await panel.page.locator('.skipped-list li').first().innerText(), /could not be decoded/);
    await links.first().click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openFile', path: broken });
    await panel.page.screenshot({ path: path.join(results, 'panel-cancelled-dark.png'), fullPage: true });
  });

  it('loads everything under the strict CSP: no violations', async () => {
    assert.deepEqual(await panel.eval('window.__cspViolations'), []);
  });
});
