/**
 * The panel's embedding view and "feature extraction" column in headless Chromium: two PCA plots
 * (base, adapted) with one dot per validation image coloured by class, hover previews the image,
 * click asks the extension to open it. Fed through the extension's own embedding reader.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ExtensionMessage } from '../../src/protocol/webview';
import { readEmbeddingView } from '../../src/extension/panel/embeddingReader';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { NEWEST_RUN as NEWEST, RUNS_PROJECT as project } from '../fixtures/runs/recorded';
import { PanelPage } from './panelPage';

// A 1x1 PNG: the page's CSP allows data: images (the extension sends webview URIs).
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

describe('embedding view', () => {
  let panel: PanelPage;
  let dir = '';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ftg-embedding-view-'));
    panel = await PanelPage.open('dark');
  });
  after(async () => {
    await panel?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a feature extraction column beside the phases', async () => {
    const history = new ProjectHistory(project);
    await history.load();
    const snapshot = history.snapshot() as Extract<ExtensionMessage, { type: 'snapshot' }>;
    assert.ok(snapshot.run);
    const featureExtraction = { layer: 'out_relu', knn: { valAccuracy: 0.75, k: 5 }, logistic: { valAccuracy: 0.8, steps: 300, l2: 0.001 } };
    await panel.send({ ...snapshot, run: { ...snapshot.run, info: { ...snapshot.run.info, featureExtraction } } });
    const headers = await panel.eval<string[]>(`[...document.querySelectorAll('.phase-table thead th')].map((th) => th.textContent)`);
    assert.equal(headers[1], 'feature extraction');
    const row = (key: string) => panel.eval<string[]>(`[...document.querySelectorAll('[data-row="${key}"] td')].map((td) => td.textContent)`);
    assert.deepEqual((await row('bestAcc'))[0], 'kNN 75.0%');
    assert.deepEqual((await row('finalAcc'))[0], 'logistic 80.0%');
    assert.deepEqual(await row('trainable'), ['0', '6,405', '887.0k']);
  });

  it('draws both projections, previews an image on hover and opens it on click', async () => {
    const runDir = path.join(dir, 'run');
    await import('node:fs/promises').then((fs) => fs.mkdir(runDir));
    const images = [{ path: 'cat/1.png', label: 0 }, { path: 'cat/2.png', label: 0 }, { path: 'dog/1.png', label: 1 }];
    await writeFile(path.join(runDir, 'embedding.json'), JSON.stringify({
      layer: 'out_relu', classes: ['cat', 'dog'], dataDir: path.join(dir, 'data'), images,
      base: [[0, 0], [1, 1], [0.5, 0.4]], adapted: [[-1, 0], [-1.2, 0.1], [2, 0]],
    }));
    const read = await readEmbeddingView(runDir, () => PIXEL);
    assert.ok(read);
    assert.equal(read.dataDir, path.join(dir, 'data'));
    assert.equal(read.view.points[2].file, path.join(dir, 'data', 'dog', '1.png'));
    await panel.send({ type: 'evaluation', runId: NEWEST, phases: [], reportPath: null, embedding: read.view });

    const plots = await panel.eval<{ label: string; dots: string[] }[]>(
      `[...document.querySelectorAll('#embedding svg.embed-plot')].map((s) => ({ label: s.getAttribute('aria-label'), dots: [...s.querySelectorAll('circle')].map((c) => c.getAttribute('class')) }))`,
    );
    assert.deepEqual(plots.map((p) => p.label), ['Base model (before training)', 'Adapted model']);
    for (const plot of plots) assert.deepEqual(plot.dots, ['embed-point embed-class-0', 'embed-point embed-class-0', 'embed-point embed-class-1']);
    // Classes get different theme colours.
    const fills = await panel.eval<string[]>(`[...document.querySelectorAll('#embedding svg.embed-plot')[1].querySelectorAll('circle')].map((c) => getComputedStyle(c).fill)`);
    assert.equal(fills[0], fills[1]);
    assert.notEqual(fills[0], fills[2]);
    // The adapted plot places the dog far right of the cats (x grows with the first component).
    const xs = await panel.eval<number[]>(`[...document.querySelectorAll('#embedding svg.embed-plot')[1].querySelectorAll('circle')].map((c) => Number(c.getAttribute('cx')))`);
    assert.ok(xs[2] > xs[0] && xs[2] > xs[1]);

    const dog = panel.page.locator('#embedding svg.embed-plot[aria-label="Adapted model"] circle').nth(2);
    await dog.hover();
    assert.equal(await panel.eval<boolean>(`document.querySelector('.embed-thumb').hidden`), false);
    assert.equal(await panel.eval<string>(`document.querySelector('.embed-thumb').getAttribute('src')`), PIXEL);
    assert.match(await panel.page.locator('.embed-caption').innerText(), /^dog: dog\/1\.png$/);
    await dog.click();
    const posted = await panel.posted();
    assert.deepEqual(posted.at(-1), { type: 'openFile', path: path.join(dir, 'data', 'dog', '1.png') });
  });

  it('says there is no embedding for a run without one', async () => {
    await panel.send({ type: 'evaluation', runId: NEWEST, phases: [], reportPath: null, embedding: null });
    assert.match(await panel.page.locator('#embedding').innerText(), /No embedding yet/);
  });
});
