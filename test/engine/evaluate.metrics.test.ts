import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { computeEvaluation } from '../../src/engine/evaluate';

// Eight samples over three classes; every expected number below is worked out by hand in the comments.
const classes = ['a', 'b', 'c'];
const samples: { file: string; label: number; probs: number[] }[] = [
  { file: 'a/1.png', label: 0, probs: [0.7, 0.2, 0.1] }, // -> a, right
  { file: 'a/2.png', label: 0, probs: [0.5, 0.4, 0.1] }, // -> a, right
  { file: 'a/3.png', label: 0, probs: [0.3, 0.6, 0.1] }, // -> b (0.6), true class 2nd
  { file: 'b/4.png', label: 1, probs: [0.1, 0.8, 0.1] }, // -> b, right
  { file: 'b/5.png', label: 1, probs: [0.2, 0.3, 0.5] }, // -> c (0.5), true class 2nd
  { file: 'b/6.png', label: 1, probs: [0.9, 0.05, 0.05] }, // -> a (0.9), true class 2nd (tie with c, b comes first)
  { file: 'c/7.png', label: 2, probs: [0.1, 0.1, 0.8] }, // -> c, right
  { file: 'c/8.png', label: 2, probs: [0.6, 0.25, 0.15] }, // -> a (0.6), true class 3rd
];
const set = {
  classes,
  labels: samples.map((s) => s.label),
  probabilities: samples.map((s) => s.probs),
  files: samples.map((s) => s.file),
};

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

describe('computeEvaluation on hand-computed predictions', () => {
  const ev = computeEvaluation(set);

  it('builds the confusion matrix with rows = true class, columns = predicted class', () => {
    assert.deepEqual(ev.confusion, [
      [2, 1, 0],
      [1, 1, 1],
      [1, 0, 1],
    ]);
    assert.equal(ev.samples, 8);
    close(ev.accuracy, 4 / 8, 'accuracy');
  });

  it('records each image with its cell, so a cell lists exactly the images it counts', () => {
    assert.deepEqual(ev.images?.filter((image) => image.trueIndex === 1 && image.predictedIndex === 2).map((image) => image.file), ['b/5.png']);
    assert.deepEqual(ev.images?.filter((image) => image.trueIndex === 0 && image.predictedIndex === 0).map((image) => image.file), ['a/1.png', 'a/2.png']);
    ev.confusion.forEach((row, t) => row.forEach((count, p) => assert.equal(ev.images?.filter((i) => i.trueIndex === t && i.predictedIndex === p).length, count, `cell ${t},${p}`)));
    close(ev.images?.find((image) => image.file === 'b/6.png')?.confidence ?? 0, 0.9, 'confidence of the predicted class');
  });

  it('computes per-class precision, recall, F1 and support', () => {
    // predicted counts a=4, b=2, c=2; supports 3, 3, 2
    const expected = [
      { className: 'a', precision: 2 / 4, recall: 2 / 3, f1: 4 / 7, support: 3 },
      { className: 'b', precision: 1 / 2, recall: 1 / 3, f1: 2 / 5, support: 3 },
      { className: 'c', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
    ];
    expected.forEach((e, i) => {
      const m = ev.perClass[i];
      assert.equal(m.className, e.className);
      assert.equal(m.support, e.support);
      close(m.precision, e.precision, `${e.className} precision`);
      close(m.recall, e.recall, `${e.className} recall`);
      close(m.f1, e.f1, `${e.className} f1`);
    });
  });

  it('computes macro and support-weighted averages', () => {
    close(ev.macro.precision, 0.5, 'macro precision');
    close(ev.macro.recall, (2 / 3 + 1 / 3 + 1 / 2) / 3, 'macro recall');
    close(ev.macro.f1, 103 / 210, 'macro f1');
    close(ev.weighted.precision, 0.5, 'weighted precision');
    close(ev.weighted.recall, 0.5, 'weighted recall equals accuracy');
    close(ev.weighted.f1, 137 / 280, 'weighted f1');
  });

  it('computes top-k accuracy for k = 1..min(5, classes)', () => {
    assert.deepEqual(
      ev.topK.map((t) => t.k),
      [1, 2, 3],
    );
    close(ev.topK[0].accuracy, 4 / 8, 'top-1');
    close(ev.topK[1].accuracy, 7 / 8, 'top-2');
    close(ev.topK[2].accuracy, 1, 'top-3');
  });

  it('lists the mistakes, most confident first, ties by file name', () => {
    assert.deepEqual(
      ev.worst.map((w) => [w.file, w.trueClass, w.predictedClass, w.confidence]),
      [
        ['b/6.png', 'b', 'a', 0.9],
        ['a/3.png', 'a', 'b', 0.6],
        ['c/8.png', 'c', 'a', 0.6],
        ['b/5.png', 'b', 'c', 0.5],
      ],
    );
    assert.equal(ev.worst[0].trueClassProbability, 0.05);
    assert.equal(computeEvaluation(set, { maxWorst: 2 }).worst.length, 2);
  });
});

describe('computeEvaluation edge cases', () => {
  it('gives 0, not NaN, for a class that is never predicted or has no samples', () => {
    const ev = computeEvaluation({
      classes: ['x', 'y', 'z', 'w'],
      labels: [0, 1, 2, 2],
      probabilities: [
        [0.9, 0.1, 0, 0],
        [0.2, 0.8, 0, 0],
        [0.6, 0.3, 0.1, 0],
        [0.3, 0.6, 0.1, 0],
      ],
      files: ['1', '2', '3', '4'],
    });
    const z = ev.perClass[2];
    assert.deepEqual([z.precision, z.recall, z.f1, z.support], [0, 0, 0, 2]);
    const w = ev.perClass[3];
    assert.deepEqual([w.precision, w.recall, w.f1, w.support], [0, 0, 0, 0]);
    for (const value of [ev.macro.precision, ev.macro.recall, ev.macro.f1, ev.weighted.f1]) {
      assert.ok(Number.isFinite(value));
    }
    // x: predicted twice, right once -> 0.5; y: predicted twice, right once -> 0.5
    assert.equal(ev.macro.precision, (0.5 + 0.5 + 0 + 0) / 4);
    assert.equal(ev.topK.length, 4);
  });

  it('returns zeros for an empty validation set', () => {
    const ev = computeEvaluation({ classes: ['x', 'y'], labels: [], probabilities: [], files: [] });
    assert.equal(ev.accuracy, 0);
    assert.deepEqual(ev.topK, [
      { k: 1, accuracy: 0 },
      { k: 2, accuracy: 0 },
    ]);
    assert.deepEqual(ev.weighted, { precision: 0, recall: 0, f1: 0 });
    assert.deepEqual(ev.worst, []);
  });

  it('breaks probability ties towards the first class, so top-1 always equals accuracy', () => {
    const ev = computeEvaluation({
      classes: ['x', 'y'],
      labels: [1, 0],
      probabilities: [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      files: ['1', '2'],
    });
    assert.deepEqual(ev.confusion, [
      [1, 0],
      [1, 0],
    ]);
    assert.equal(ev.topK[0].accuracy, ev.accuracy);
    assert.equal(ev.topK[1].accuracy, 1);
  });

  it('caps top-k at 5 classes', () => {
    const classes7 = ['1', '2', '3', '4', '5', '6', '7'];
    const row = [0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05];
    const ev = computeEvaluation({ classes: classes7, labels: [6], probabilities: [row], files: ['f'] });
    assert.deepEqual(
      ev.topK.map((t) => [t.k, t.accuracy]),
      [
        [1, 0],
        [2, 0],
        [3, 0],
        [4, 0],
        [5, 0],
      ],
    );
  });

  it('rejects rows that do not match the classes or labels out of range', () => {
    assert.throws(
      () => computeEvaluation({ classes: ['x', 'y'], labels: [0], probabilities: [[1, 0, 0]], files: ['f'] }),
      /3 probabilities for 2 classes/,
    );
    assert.throws(
      () => computeEvaluation({ classes: ['x', 'y'], labels: [2], probabilities: [[1, 0]], files: ['f'] }),
      /label 2 of sample 0/,
    );
    assert.throws(() => computeEvaluation({ classes: ['x'], labels: [0], probabilities: [], files: [] }), /must match/);
  });
});
