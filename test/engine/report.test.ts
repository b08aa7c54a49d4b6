import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { EpochMetrics, PhaseSummary, RunSummary } from '../../src/protocol/run';
import { computeEvaluation, writeEvaluation } from '../../src/engine/evaluate';
import { epochAxis, niceTicks, writeReport } from '../../src/engine/report';
import { isUserError } from '../../src/shared/userError';

const classes = ['ankle-boot', 'bag', 'sneaker', 'trouser', 't-shirt'];

/** A recorded two-phase run: head training (6 epochs), then fine-tuning stopped early after 5 of 8. */
const curves = [
  { phase: 'train-head', lr: 0.001, ips: 212.4, val: [0.62, 0.74, 0.8, 0.83, 0.845, 0.85], valLoss: [1.12, 0.81, 0.64, 0.55, 0.5, 0.48] },
  { phase: 'fine-tune', lr: 0.0001, ips: 48.7, val: [0.87, 0.89, 0.905, 0.9, 0.9], valLoss: [0.41, 0.35, 0.31, 0.32, 0.33] },
];

function epochRows(): EpochMetrics[] {
  let seconds = 0;
  return curves.flatMap((c, phaseIndex) =>
    c.val.map((val, epoch) => {
      seconds += phaseIndex === 0 ? 2.3 : 9.8;
      return {
        type: 'epoch' as const,
        phase: c.phase,
        phaseIndex,
        epoch,
        epochs: phaseIndex === 0 ? 6 : 8,
        loss: c.valLoss[epoch] * 0.9,
        accuracy: Math.min(1, val + 0.03),
        val_loss: c.valLoss[epoch],
        val_accuracy: val,
        lr: c.lr,
        seconds,
        imagesPerSecond: c.ips,
      };
    }),
  );
}

function phaseSummary(i: number, over: Partial<PhaseSummary>): PhaseSummary {
  const c = curves[i];
  return {
    name: c.phase,
    status: 'done',
    epochsRun: c.val.length,
    epochsPlanned: c.val.length,
    valAccuracy: Math.max(...c.val),
    valLoss: Math.min(...c.valLoss),
    finalValAccuracy: c.val[c.val.length - 1],
    finalValLoss: c.valLoss[c.valLoss.length - 1],
    bestEpoch: c.val.indexOf(Math.max(...c.val)),
    stoppedEarly: false,
    trainableParams: 6405,
    totalParams: 2264389,
    learningRate: c.lr,
    seconds: 13.8,
    imagesPerSecond: c.ips,
    backend: 'wasm',
    ...over,
  };
}

async function makeRun(runDir: string, withEvaluation: boolean): Promise<void> {
  await fs.mkdir(runDir, { recursive: true });
  const batch = { type: 'batch', phase: 'train-head', phaseIndex: 0, epoch: 0, batch: 0, batchesPerEpoch: 15, loss: 1.6, accuracy: 0.2, lr: 0.001, seconds: 0.2 };
  const lines = [batch, ...epochRows()].map((r) => JSON.stringify(r));
  await fs.writeFile(path.join(runDir, 'metrics.jsonl'), `${lines.join('\n')}\n{"type":"epo`); // last line cut by a crash
  const summary: RunSummary = {
    runId: '20261129-081500-123',
    status: 'completed',
    backend: 'wasm',
    threads: 2,
    valAccuracy: 0.905,
    classes,
    phases: [
      phaseSummary(0, { keptWeights: 'last', keptEpoch: 5 }),
      phaseSummary(1, { epochsPlanned: 8, stoppedEarly: true, trainableParams: 1247685, seconds: 49, keptWeights: 'best', keptEpoch: 2 }),
    ],
    modelDir: 'model',
  };
  await fs.writeFile(path.join(runDir, 'summary.json'), JSON.stringify(summary));
  const manifest = {
    runId: summary.runId,
    config: { model: { base: 'builtin:mobilenet_v2', cutLayer: 'out_relu', inputSize: 96 }, head: { pooling: 'avg', hiddenUnits: [], dropout: 0.2 } },
    trainImages: 480,
    valImages: 120,
  };
  await fs.writeFile(path.join(runDir, 'manifest.json'), JSON.stringify(manifest));
  if (!withEvaluation) return;
  // 5 validation images per class; two mistakes: a sneaker taken for an ankle boot, a t-shirt for a bag.
  const labels = classes.flatMap((_, c) => [c, c, c, c, c]);
  const probabilities: number[][] = labels.map((c) => classes.map((_, k) => (k === c ? 0.8 : 0.05)));
  probabilities[10] = [0.7, 0.05, 0.2, 0.025, 0.025];
  probabilities[20] = [0.1, 0.55, 0.1, 0.05, 0.2];
  const files = labels.map((c, i) => path.join(runDir, '..', '..', 'data', classes[c], `img ${i}.png`));
  const final = computeEvaluation({ labels, probabilities, classes, files });
  await writeEvaluation(runDir, 'train-head', { ...final, accuracy: 0.84 });
  await writeEvaluation(runDir, 'fine-tune', final);
}

describe('writeReport', () => {
  let root = '';
  let runDir = '';
  let report = '';

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'ftg-report-'));
    runDir = path.join(root, 'project', 'runs', '20261129-081500-123');
    await makeRun(runDir, true);
    const result = await writeReport(runDir);
    assert.equal(result.file, path.join(runDir, 'report.md'));
    report = await fs.readFile(result.file, 'utf8');
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('draws the pipeline as a Mermaid flowchart with each stage and its numbers', () => {
    const flowchart = /```mermaid\n([\s\S]*?)\n```/.exec(report)?.[1] ?? '';
    assert.match(flowchart, /^flowchart LR/);
    for (const stage of [
      'Pre-trained model</b><br/>builtin:mobilenet_v2<br/>input 96×96×3',
      'Adjust architecture</b><br/>cut after out_relu<br/>new head: avg pooling, dropout 0.2 → 5 classes<br/>2.26M params',
      'Freeze initial layers</b><br/>2.26M params frozen<br/>6,405 trainable',
      'Train final layers: train-head</b><br/>6,405 trainable params<br/>6/6 epochs, lr 1e-3<br/>val accuracy 85.0%',
      'Unfreeze #amp; fine-tune: fine-tune',
      '1.25M trainable params<br/>5/8 epochs, lr 1e-4<br/>val accuracy 90.5% (+5.5 pts)',
      'Adapted model</b><br/>val accuracy 90.5%<br/>run completed',
    ]) {
      assert.ok(flowchart.includes(stage), `flowchart has ${stage}`);
    }
    assert.match(flowchart, /base --> adjust --> freeze --> phase0 --> phase1 --> export/);
  });

  it('compares the phases in a table', () => {
    assert.ok(report.includes('| train-head | done | 6,405 / 2.26M | 6 / 6 | 1e-3 | 85.0% (6) | 0.4800 | last (epoch 6) | 85.0% | 0.4800 | 13.8s | 212.4 | — |'));
    assert.ok(report.includes('| fine-tune | done (early stop) | 1.25M / 2.26M | 5 / 8 | 1e-4 | 90.5% (3) | 0.3100 | best (epoch 3) | 90.0% | 0.3300 | 49.0s | 48.7 | +5.5 pts |'));
  });

  it('summarises the evaluation: per class, confusion matrix, most confident mistakes', () => {
    assert.match(report, /After phase \*\*fine-tune\*\*, on 25 validation images: accuracy \*\*92\.0%\*\*, top-1 92\.0%, top-2 100\.0%/);
    // bag: predicted 6 times (5 right + the t-shirt) -> precision 5/6; recall 1
    assert.ok(report.includes('| bag | 0.833 | 1.000 | 0.909 | 5 |'));
    assert.ok(report.includes('| sneaker | 1.000 | 0.800 | 0.889 | 5 |'));
    assert.ok(report.includes('| **ankle-boot** | **5** | 0 | 0 | 0 | 0 |'));
    assert.ok(report.includes('| **sneaker** | 1 | 0 | **4** | 0 | 0 |'));
    assert.ok(report.includes('| [img 10.png](<../../data/sneaker/img 10.png>) | sneaker | ankle-boot | 70.0% |'));
    assert.ok(report.indexOf('img 10.png') < report.indexOf('img 20.png'), 'most confident mistake first');
    assert.match(report, /\| train-head \| 84\.0% \|/);
  });

  it('embeds loss and accuracy charts as PNG files that exist', async () => {
    for (const name of ['loss', 'accuracy']) {
      assert.ok(report.includes(`](charts/${name}.png)`));
      const meta = await sharp(path.join(runDir, 'charts', `${name}.png`)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', 960, 420]);
      const stats = await sharp(path.join(runDir, 'charts', `${name}.png`)).stats();
      assert.ok(stats.channels[2].min < 200, `${name}.png has drawn lines, not only background`);
    }
    assert.deepEqual((await fs.readdir(runDir)).sort(), ['charts', 'evaluation.json', 'manifest.json', 'metrics.jsonl', 'report.md', 'summary.json']);
  });

  it('says when a run has no evaluation, and names a missing summary.json', async () => {
    const bare = path.join(root, 'bare');
    await makeRun(bare, false);
    await writeReport(bare);
    assert.match(await fs.readFile(path.join(bare, 'report.md'), 'utf8'), /No evaluation was recorded for this run/);
    const empty = path.join(root, 'empty');
    await fs.mkdir(empty);
    await assert.rejects(writeReport(empty), (error: unknown) => {
      assert.ok(isUserError(error));
      assert.match(error.message, /summary\.json: is missing\. Wait until the run has finished/);
      return true;
    });
  });
});

describe('chart helpers', () => {
  it('lays phases end to end and keeps the last row of a repeated (resumed) epoch', () => {
    const rows = epochRows();
    const resumed = [...rows.slice(0, 8), { ...rows[7], val_accuracy: 0.95 }, ...rows.slice(8)];
    const { rows: laid, regions } = epochAxis(resumed);
    assert.equal(laid.length, 11);
    assert.deepEqual(regions, [
      { label: 'train-head', from: 1, to: 6 },
      { label: 'fine-tune', from: 7, to: 11 },
    ]);
    assert.equal(laid[7].row.val_accuracy, 0.95);
  });

  it('picks round axis ticks that cover the data', () => {
    assert.deepEqual(niceTicks(0, 1.12, 5), [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2]);
    assert.deepEqual(niceTicks(0.6, 1, 5), [0.6, 0.7, 0.8, 0.9, 1]);
  });
});
