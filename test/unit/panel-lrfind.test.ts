// The panel's learning-rate finder section: the message is checked on arrival, the state keeps the sweeps, and the
// extension lists every phase's lr-find.json in phase order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LrFindFile } from '../../src/protocol/lrFind';
import { parseExtensionMessage, parseWebviewMessage } from '../../src/protocol/webview';
import { listLrFindFiles, lrFindPaths, writeLrFindFile } from '../../src/runs';
import { applyMessage, emptyState } from '../../webview/state';
import { withTempDir } from '../fixtures/tempDir';

const sweep = { phase: 1, phaseName: 'head', rates: [1e-7, 1e-6, 1e-5], smoothedLosses: [1.5, 1.4, 1.6], suggestion: 1e-6 };

test('an lrFind message is accepted only with one rate per smoothed loss', () => {
  assert.ok(parseExtensionMessage({ type: 'lrFind', sweeps: [sweep, { ...sweep, phase: 2, suggestion: null }] }));
  assert.equal(parseExtensionMessage({ type: 'lrFind', sweeps: [{ ...sweep, rates: [1e-7] }] }), undefined);
  assert.equal(parseExtensionMessage({ type: 'lrFind', sweeps: [{ ...sweep, suggestion: '1e-6' }] }), undefined);
  assert.equal(parseExtensionMessage({ type: 'lrFind', sweeps: [{ ...sweep, smoothedLosses: [1, 'x', 2] }] }), undefined);
});

test('"Use X for phase N" from the panel carries only a phase number (the rate is read from lr-find.json)', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'useLearningRate', phase: 2, rate: 99 }), { type: 'useLearningRate', phase: 2 });
  for (const phase of [0, -1, 1.5, '2', null, 5000]) assert.equal(parseWebviewMessage({ type: 'useLearningRate', phase }), undefined, String(phase));
});

test('the state keeps the sweeps and asks for the section to be redrawn', () => {
  const state = emptyState();
  const message = parseExtensionMessage({ type: 'lrFind', sweeps: [sweep] });
  assert.ok(message);
  const changed = applyMessage(state, message);
  assert.equal(changed.lrFind, true);
  assert.equal(changed.run, false);
  assert.deepEqual(state.lrFind, [sweep]);
});

test('listLrFindFiles: every phase folder in phase order (10 after 2), damaged files left out', () =>
  withTempDir('ftg-lrfind-list-', async (runsDir) => {
    assert.deepEqual(await listLrFindFiles(runsDir), []);
    const file = (phase: number): LrFindFile => ({
      ...sweep, phase, losses: sweep.smoothedLosses, stoppedBy: 'steps', startRate: 1e-7, endRate: 10, batchSize: 4,
      backend: 'cpu', cacheUsed: false, chart: 'lr-find.png', createdAt: '2026-01-01T00:00:00.000Z',
    });
    for (const phase of [10, 2]) await writeLrFindFile(runsDir, file(phase));
    const damaged = lrFindPaths(runsDir, 3);
    await mkdir(damaged.dir, { recursive: true });
    await writeFile(damaged.file, '{ "phase": 3, ');
    await mkdir(path.join(path.dirname(damaged.dir), 'notes'));
    assert.deepEqual((await listLrFindFiles(runsDir)).map((f) => f.phase), [2, 10]);
  }));
