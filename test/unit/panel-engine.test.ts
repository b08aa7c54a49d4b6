/**
 * The panel against the real engine: a tiny two-phase run (cpu backend, 4-feature model) is
 * trained, and the panel's view from its live events must match its view from the run folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src/protocol/run';
import { trainRun } from '../../src/engine/train/trainRun';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { readRun } from '../../src/extension/panel/runReader';
import type { RunRecord } from '../../src/extension/panel/runRecord';
import { buildRunView } from '../../src/extension/panel/runView';
import { tinyRunInput } from '../fixtures/train/tiny';

test('a real engine run looks the same live and read back from its folder', async () => {
  await tf.setBackend('cpu');
  const runsDir = await mkdtemp(path.join(tmpdir(), 'panel-engine-'));
  try {
    const live = new ProjectHistory(path.dirname(runsDir));
    const events: TrainingEvent[] = [];
    const result = await trainRun(tinyRunInput(runsDir, { onEvent: (event) => events.push(event) }));
    for (const event of events) live.apply(event);
    assert.equal(result.status, 'completed');

    const fromEvents = buildRunView(live.shownRun() as RunRecord);
    const fromDisk = buildRunView(await readRun(result.runDir));
    assert.deepEqual(fromDisk.epochs, fromEvents.epochs);
    assert.deepEqual(fromDisk.batches, fromEvents.batches);
    assert.deepEqual(fromDisk.phases, fromEvents.phases);
    assert.deepEqual(fromDisk.boundaries.map((b) => [b.name, b.x]), [['head', 0], ['tune', 2]]);
    assert.equal(fromDisk.info.status, 'completed');
    assert.equal(fromDisk.info.trainImages, 48);
    assert.deepEqual(fromDisk.stages.map((s) => s.status), ['done', 'done', 'done', 'done', 'done', 'done', 'pending']);
    assert.equal(fromDisk.stages[5].path, fromEvents.stages[5].path);
    assert.equal(fromDisk.stages[5].path, path.join(result.runDir, 'model'));
    assert.equal(fromEvents.stages[0].facts.find((f) => f.label === 'Parameters')?.value, '40');
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
});
