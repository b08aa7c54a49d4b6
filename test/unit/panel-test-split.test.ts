/** The held-out test set and the class-balance warnings in the panel: read from the run, sent apart from validation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readPanelEvaluation } from '../../src/extension/panel/evaluationReader';
import { fileSource } from '../fixtures/runs/recorded';
import { RunRecord } from '../../src/extension/panel/runRecord';
import { runInfo } from '../../src/extension/panel/runView';
import { parseExtensionMessage } from '../../src/protocol/webview';
import type { RunSummary } from '../../src/protocol/run';

const entry = (phase: string, accuracy: number) => ({
  phase, accuracy, classes: ['a', 'b'], confusion: [[3, 0], [1, 1]], samples: 5, topK: [{ k: 1, accuracy }],
  perClass: [{ className: 'a', precision: 0.75, recall: 1, f1: 0.86, support: 3 }, { className: 'b', precision: 1, recall: 0.5, f1: 0.67, support: 2 }],
  macro: { precision: 0.9, recall: 0.75, f1: 0.76 }, weighted: { precision: 0.85, recall: 0.8, f1: 0.78 }, worst: [],
});

describe('panel: test split', () => {
  it('reads evaluation.json test apart from the phases, and the message carrying it parses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-test-'));
    try {
      writeFileSync(path.join(dir, 'evaluation.json'), JSON.stringify({ phases: [entry('head', 0.9)], test: entry('head', 0.8) }));
      const evaluation = await readPanelEvaluation(dir, dir, fileSource);
      assert.deepEqual(evaluation.phases.map((p) => p.accuracy), [0.9]);
      assert.equal(evaluation.test?.accuracy, 0.8);
      const message = parseExtensionMessage({ type: 'evaluation', runId: 'r', ...evaluation });
      assert.equal(message?.type === 'evaluation' ? message.test?.accuracy : undefined, 0.8);
      // A test entry whose confusion matrix does not fit its classes makes the message invalid.
      assert.equal(parseExtensionMessage({ type: 'evaluation', runId: 'r', ...evaluation, test: { ...entry('head', 1), confusion: [] } }), undefined);
      writeFileSync(path.join(dir, 'evaluation.json'), JSON.stringify({ phases: [entry('head', 0.9)] }));
      assert.equal((await readPanelEvaluation(dir, dir, fileSource)).test, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the run header gets test accuracy and summary.json warnings', () => {
    const record = new RunRecord('r', '/runs/r');
    const summary: RunSummary = {
      runId: 'r', status: 'completed', backend: 'cpu', threads: 1, valAccuracy: 0.9, classes: ['a', 'b'], phases: [], modelDir: null,
      testAccuracy: 0.75, testImages: 8, warnings: ['Class "b" has 1 training image(s), under 10% of the largest class\'s 80.'],
    };
    record.setSummary(summary);
    const info = runInfo(record);
    assert.equal(info.testAccuracy, 0.75);
    assert.equal(info.testImages, 8);
    assert.deepEqual(info.warnings, summary.warnings);
    // A second read of the same summary (a refresh) does not repeat them.
    record.setSummary(summary);
    assert.equal(runInfo(record).warnings.length, 1);
  });
});
