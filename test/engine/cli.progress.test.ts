import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhaseSummary, TrainingEvent } from '../../src/protocol/run';
import { ProgressPrinter } from '../../src/host/cli/progress';
import { formatClock } from '../../src/shared/format';

function capture(isTTY: boolean): { printer: ProgressPrinter; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { printer: new ProgressPrinter({ out: (t) => out.push(t), err: (t) => err.push(t), isTTY }), out, err };
}

const plan = { name: 'head', epochs: 2, batchSize: 4, optimizer: 'adam', learningRate: 0.01, trainableParams: 10, totalParams: 270, trainableLayers: 1, totalLayers: 3, batchNorm: 'inference' } as const;
const summary: PhaseSummary = {
  name: 'head', status: 'done', epochsRun: 2, epochsPlanned: 2, valAccuracy: 0.875, valLoss: 0.3, finalValAccuracy: 0.875, finalValLoss: 0.3,
  bestEpoch: 1, stoppedEarly: false, trainableParams: 10, totalParams: 270, learningRate: 0.01, seconds: 75, imagesPerSecond: 40, backend: 'cpu',
};
const events: TrainingEvent[] = [
  { type: 'phase', phase: 'head', phaseIndex: 0, plan, backend: 'cpu', cache: { used: false, reason: 'test' } },
  { type: 'batch', phase: 'head', phaseIndex: 0, epoch: 0, batch: 0, batchesPerEpoch: 2, loss: 0.7, accuracy: 0.5, lr: 0.01, seconds: 1 },
  { type: 'batch', phase: 'head', phaseIndex: 0, epoch: 0, batch: 1, batchesPerEpoch: 2, loss: 0.6, accuracy: 0.75, lr: 0.01, seconds: 2 },
  { type: 'epoch', phase: 'head', phaseIndex: 0, epoch: 0, epochs: 2, loss: 0.65, accuracy: 0.625, val_loss: 0.5, val_accuracy: 0.75, lr: 0.01, seconds: 2, imagesPerSecond: 4 },
  { type: 'warning', message: '1 file(s) could not be used and were skipped.', files: [{ file: 'bad.png', reason: 'corrupt' }] },
  { type: 'phaseEnd', phaseIndex: 0, summary },
];

test('on a terminal, batches redraw one line with a bar and the time left; epochs end it', () => {
  const { printer, out, err } = capture(true);
  for (const event of events) printer.print(event);
  const text = out.join('');
  assert.match(text, /\r\x1b\[2K {2}epoch 1\/2 \[#{12}\.{12}\] 1\/2 loss 0\.7000 acc 50\.0% - \S+ left/);
  assert.match(text, /epoch 1\/2: loss 0\.6500 acc 62\.5%, val_loss 0\.5000 val_acc 75\.0%/);
  assert.match(text, /done: val accuracy 87\.5% \(best epoch 2\), 1m 15s\./);
  assert.match(err.join(''), /warning: 1 file\(s\).*\n {2}bad\.png: corrupt/s);
});

test('without a terminal, only plain lines (no batch redraws)', () => {
  const { printer, out } = capture(false);
  for (const event of events) printer.print(event);
  const text = out.join('');
  assert.doesNotMatch(text, /\r|\x1b/);
  assert.equal(text.split('\n').filter(Boolean).length, 3, text);
});

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatClock(5), '0:05');
  assert.equal(formatClock(75), '1:15');
  assert.equal(formatClock(3725), '1:02:05');
  assert.equal(formatClock(Number.NaN), '--:--');
});

test('the end of a run: completed says so once, with the feature-extraction baseline when there is one; cancelled names --resume', () => {
  const done = (status: 'completed' | 'cancelled', featureExtraction?: { layer: string; knn: { valAccuracy: number; k: number }; logistic: { valAccuracy: number; steps: number; l2: number } }): string => {
    const { printer, out } = capture(false);
    printer.print({
      type: 'done', runDir: '/r', status,
      summary: { runId: 'r', status, backend: 'cpu', threads: 1, valAccuracy: 0.9, classes: ['a', 'b'], phases: [summary], modelDir: status === 'completed' ? '/r/model' : null, ...(featureExtraction ? { featureExtraction } : {}) },
    });
    return out.join('');
  };
  assert.equal(done('completed'), 'Completed: validation accuracy 90.0%. Model saved to /r/model\n');
  assert.match(done('completed', { layer: 'out_relu', knn: { valAccuracy: 0.8, k: 5 }, logistic: { valAccuracy: 0.85, steps: 300, l2: 0.001 } }), /Completed: .*\nFeature extraction \(no network training, out_relu features\): kNN 80\.0%, logistic regression 85\.0% validation accuracy\.\n$/);
  assert.match(done('cancelled'), /^Cancelled\. The last checkpoint is kept in \/r; continue with --resume\.\n$/);
});
