/** The panel's message validators: what the extension accepts from the webview and vice versa. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtensionMessage, parseWebviewMessage } from '../../src/protocol/webview';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'focusStage', stage: 'finetune' }), { type: 'focusStage', stage: 'finetune' });
    assert.deepEqual(parseWebviewMessage({ type: 'focusStage', stage: null }), { type: 'focusStage', stage: null });
    assert.deepEqual(parseWebviewMessage({ type: 'selectRuns', runIds: ['2026-11-28T16-20-00-000Z'] }), {
      type: 'selectRuns',
      runIds: ['2026-11-28T16-20-00-000Z'],
    });
    assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: '/p/runs/r/model' }), { type: 'openFile', path: '/p/runs/r/model' });
    assert.deepEqual(parseWebviewMessage({ type: 'showRun', runId: 'r1' }), { type: 'showRun', runId: 'r1' });
    assert.deepEqual(parseWebviewMessage({ type: 'showRun', runId: null }), { type: 'showRun', runId: null });
  });

  it('drops extra fields it does not know', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', evil: true }), { type: 'ready' });
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'unknown' },
      { type: 'focusStage', stage: 'nope' },
      { type: 'focusStage' },
      { type: 'selectRuns', runIds: 'a' },
      { type: 'selectRuns', runIds: [1] },
      { type: 'selectRuns', runIds: ['../../etc'] },
      { type: 'selectRuns', runIds: ['a/b'] },
      { type: 'selectRuns', runIds: Array.from({ length: 21 }, (_, i) => `r${i}`) },
      { type: 'showRun', runId: '../x' },
      { type: 'showRun' },
      { type: 'openFile', path: '' },
      { type: 'openFile', path: 42 },
      { type: 'openFile', path: 'x'.repeat(5000) },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });
});

describe('parseExtensionMessage', () => {
  const info = { runId: 'r', runDir: '/p/runs/r', status: 'running', live: true, cache: [], classes: [], warnings: [], skipped: [{ file: '/p/data/a/bad.png', reason: 'not an image' }] };
  const derived = { info, stages: [], phases: [], boundaries: [], epochs: [], batches: [], batchCount: 0 };
  const evaluation = { phase: 'p', accuracy: 0.5, classes: ['a', 'b'], confusion: [[1, 1], [0, 2]], perClass: [], topK: [], worst: [{ file: '/d/a.png' }] };

  it('accepts snapshots, events, run lists, comparisons and theme changes', () => {
    for (const message of [
      { type: 'snapshot', projectDir: '/p', run: null, runs: [], compared: [], focus: null, pinned: false },
      { type: 'snapshot', projectDir: '/p', run: derived, runs: [{ runId: 'r', status: 'completed' }], compared: [], focus: 'train', pinned: true },
      { type: 'events', runId: 'r', ...derived, batches: [{ phaseIndex: 0, x: 0.1, loss: 1, smoothLoss: 1, lr: 0.001 }] },
      { type: 'runs', runs: [] },
      { type: 'comparison', compared: [{ runId: 'r', points: [{ phaseIndex: 0, x: 1 }] }] },
      { type: 'evaluation', runId: 'r', reportPath: null, phases: [evaluation] },
      { type: 'theme' },
    ]) {
      assert.ok(parseExtensionMessage(message), JSON.stringify(message));
    }
  });

  it('rejects malformed ones', () => {
    for (const message of [
      undefined,
      { type: 'events', runId: 'r', ...derived, info: { ...info, skipped: [{ file: 7, reason: 'x' }] } },
      { type: 'events', runId: 'r', ...derived, info: { ...info, skipped: undefined } },
      { type: 'snapshot', projectDir: '/p', run: 5, runs: [], compared: [], focus: null, pinned: false },
      { type: 'snapshot', projectDir: '/p', run: null, runs: [], compared: [], focus: 'bogus', pinned: false },
      { type: 'snapshot', projectDir: '/p', run: null, runs: [], compared: [], focus: null },
      { type: 'events', runId: 'r' },
      { type: 'events', runId: 'r', ...derived, batches: [{ y: 1 }] },
      { type: 'runs', runs: [{}] },
      { type: 'comparison', compared: [{ runId: 'r', points: [{}] }] },
      { type: 'evaluation', runId: 'r', reportPath: null, phases: [{ ...evaluation, confusion: [[1, 0]] }] },
      { type: 'evaluation', runId: 'r', reportPath: 3, phases: [] },
      { type: 'other' },
    ]) {
      assert.equal(parseExtensionMessage(message), undefined, JSON.stringify(message));
    }
  });
});
