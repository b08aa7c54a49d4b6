/**
 * Issue 18 part D, a huge class count (1000 classes, e.g. an ImageNet-sized label set): the report and the
 * CLI stay readable. Before: report.md drew the 1000x1000 confusion matrix (4 MB of Markdown) and the
 * CLI's run line listed all 1000 names (7 KB on one line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeEvaluation } from '../../src/engine/evaluate';
import { evaluationSection } from '../../src/engine/report/tables';
import { ProgressPrinter } from '../../src/host/cli/progress';

const CLASSES = Array.from({ length: 1000 }, (_, i) => `class ${String(i).padStart(4, '0')}`);

test('1000 classes: report.md lists the most confused pairs instead of a 1000x1000 matrix', () => {
  // Two images per class; every class's second image is taken for the next class, class 7's both times for class 9.
  const labels = CLASSES.flatMap((_, c) => [c, c]);
  const probabilities = labels.map((label, i) => {
    const row = new Array<number>(CLASSES.length).fill(0);
    const predicted = label === 7 ? 9 : i % 2 === 0 ? label : (label + 1) % CLASSES.length;
    row[predicted] = 1;
    return row;
  });
  const evaluation = { ...computeEvaluation({ labels, probabilities, classes: CLASSES, files: labels.map((_, i) => `/data/${i}.png`) }), phase: 'head' };
  const started = Date.now();
  const markdown = evaluationSection(evaluation, '/runs/r');
  assert.ok(Date.now() - started < 2000, 'rendered in under 2 s');
  assert.ok(markdown.length < 200_000, `report section is ${markdown.length} characters`);
  assert.match(markdown, /1000 classes are too many for a readable confusion matrix/);
  assert.match(markdown, /\| class 0007 \| class 0009 \| 2 \|/, 'the most confused pair comes first');
  assert.doesNotMatch(markdown, /true \\\\ predicted/, 'no matrix');
});

test('1000 classes: the CLI run line names 20 classes and counts the rest', () => {
  const out: string[] = [];
  const printer = new ProgressPrinter({ out: (t) => out.push(t), err: () => undefined, isTTY: false });
  printer.print({ type: 'run', runId: 'r', runDir: '/runs/r', classes: CLASSES, trainImages: 1000, valImages: 1000, testImages: 0, backend: 'cpu', threads: 1, model: { base: 'model.json', cutLayer: 'cut', inputShape: [32, 32, 3], headLayers: ['head'] } } as never);
  const line = out.join('').split('\n').find((l) => l.startsWith('Run r')) ?? '';
  assert.match(line, /1000 classes \(class 0000, .*class 0019 and 980 more\)/);
  assert.ok(line.length < 600, `${line.length} characters`);
});
