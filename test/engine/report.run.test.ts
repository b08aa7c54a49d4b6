import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src/protocol/run';
import { readEvaluation, type EvaluationDataset, type LabelledBatch } from '../../src/engine/evaluate';
import { evaluationReportHooks } from '../../src/engine/report';
import { trainRun } from '../../src/engine/train/trainRun';
import { tinyData, tinyRunInput } from '../fixtures/train/tiny';

before(async () => {
  await tf.setBackend('cpu');
});

/** The tiny validation samples that tinySetup validates on, as a data set with files. */
function tinyValidation(): EvaluationDataset {
  const val = tinyData(16, 99);
  return {
    classes: ['neg', 'pos'],
    async *batches(_split, batchSize): AsyncGenerator<LabelledBatch> {
      for (let i = 0; i < val.xs.length; i += batchSize) {
        yield {
          xs: tf.tensor2d(val.xs.slice(i, i + batchSize)),
          ys: tf.tidy(() => tf.oneHot(tf.tensor1d(val.labels.slice(i, i + batchSize), 'int32'), 2) as tf.Tensor2D),
          files: val.xs.slice(i, i + batchSize).map((_, j) => `val/${i + j}.png`),
        };
      }
    },
  };
}

it('a run evaluates every finished phase before its phaseEnd event and writes report.md before its done event', async () => {
  const runsDir = await mkdtemp(path.join(tmpdir(), 'ftg-report-run-'));
  try {
    const events: TrainingEvent[] = [];
    let reportAtDone = false;
    const evaluatedAtPhaseEnd: boolean[] = [];
    let runDir = '';
    const input = tinyRunInput(runsDir, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'run') runDir = event.runDir;
        if (event.type === 'phaseEnd') evaluatedAtPhaseEnd.push(existsSync(path.join(runDir, 'evaluation.json')));
        if (event.type === 'done') reportAtDone = existsSync(path.join(event.runDir, 'report.md'));
      },
    });
    const hooks = evaluationReportHooks(tinyValidation(), input.config.phases, (message) => events.push({ type: 'warning', message }));
    const result = await trainRun({ ...input, hooks });
    assert.equal(result.status, 'completed');
    assert.deepEqual(events.filter((e) => e.type === 'warning'), []);
    const evaluation = await readEvaluation(result.runDir);
    assert.deepEqual(evaluation?.phases.map((p) => [p.phase, p.samples]), [['head', 16], ['tune', 16]]);
    // Same model, same validation samples: the evaluation agrees with the runner's own validation pass.
    evaluation?.phases.forEach((p, i) => assert.ok(Math.abs(p.accuracy - result.summary.phases[i].valAccuracy) < 1e-6, `${p.phase} accuracy`));
    assert.deepEqual(evaluatedAtPhaseEnd, [true, true], 'evaluation.json is written before each phaseEnd event');
    assert.ok(reportAtDone, 'report.md exists when the done event arrives');
    const report = await readFile(path.join(result.runDir, 'report.md'), 'utf8');
    assert.match(report, /Unfreeze #amp; fine-tune: tune/);
    assert.match(report, /After phase \*\*tune\*\*, on 16 validation images/);
    input.model.dispose();
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});

it('a failing evaluation becomes a warning and the run still completes', async () => {
  const runsDir = await mkdtemp(path.join(tmpdir(), 'ftg-report-run-'));
  try {
    const warnings: string[] = [];
    const broken: EvaluationDataset = {
      classes: ['neg', 'pos'],
      async *batches(): AsyncGenerator<LabelledBatch> {
        throw new Error('disk gone');
      },
    };
    const input = tinyRunInput(runsDir);
    const result = await trainRun({ ...input, hooks: evaluationReportHooks(broken, input.config.phases, (m) => warnings.push(m)) });
    assert.equal(result.status, 'completed');
    assert.deepEqual(warnings, [
      'Could not evaluate phase "head" (disk gone); the run continues without its evaluation.',
      'Could not evaluate phase "tune" (disk gone); the run continues without its evaluation.',
    ]);
    assert.match(await readFile(path.join(result.runDir, 'report.md'), 'utf8'), /No evaluation was recorded/);
    input.model.dispose();
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});
