/** The panel's data summary: images per class and split, recorded in the run event, and the flags by the engine's rules. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openDataset, splitCountsOf } from '../../src/engine/data';
import { smallClassWarnings } from '../../src/engine/data/classBalance';
import { classFlags, SMALL_CLASS_FRACTION } from '../../src/shared/dataFlags';
import type { TrainingEvent } from '../../src/protocol/run';
import { makeImageFolder, makeTempDir } from '../fixtures/data/make';
import { writeTinyProject } from '../fixtures/train/tinyProject';

test('images per class and split count exactly the split the run trains on', async () => {
  const temp = makeTempDir();
  try {
    const folder = await makeImageFolder(join(temp.dir, 'data'), { ants: 9, bees: 6, wasps: 5 });
    const dataset = await openDataset({ folder, inputSize: 8, validationSplit: 0.3, testSplit: 0.2, seed: 1, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } });
    const counts = splitCountsOf(dataset);
    assert.deepEqual(counts.map((c) => c.name), dataset.classes);
    for (const [label, c] of counts.entries()) {
      assert.equal(c.train, dataset.train.filter((s) => s.label === label).length, `${c.name} train`);
      assert.equal(c.validation, dataset.validation.filter((s) => s.label === label).length, `${c.name} validation`);
      assert.equal(c.test, dataset.test.filter((s) => s.label === label).length, `${c.name} test`);
      assert.equal(c.train + c.validation + c.test, { ants: 9, bees: 6, wasps: 5 }[c.name]);
    }
  } finally {
    temp.remove();
  }
});

test('a class is flagged tiny, far smaller than the largest (the engine warning\'s rule) or without validation images', () => {
  assert.deepEqual(classFlags({ train: 200, validation: 50 }, 200), []);
  assert.deepEqual(classFlags({ train: 9, validation: 2 }, 20), ['tiny: 9 training images']);
  assert.deepEqual(classFlags({ train: 19, validation: 0 }, 200), ['under 10% of the largest class (200)', 'no validation images: its accuracy is not measured']);
  // One rule: the panel flags exactly the classes the engine warns about.
  const train = [200, 19, 20, 150];
  const warned = smallClassWarnings(['a', 'b', 'c', 'd'], train, 'none').map((w) => /Class "(\w)"/.exec(w)?.[1]);
  const flagged = ['a', 'b', 'c', 'd'].filter((_, i) => classFlags({ train: train[i], validation: 5 }, 200).some((f) => f.startsWith(`under ${SMALL_CLASS_FRACTION * 100}%`)));
  assert.deepEqual(flagged, warned);
});

test('train --json: the run event carries the images per class and split', async () => {
  const temp = makeTempDir();
  try {
    const project = await writeTinyProject(join(temp.dir, 'p'), { epochs: 1 });
    const result = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'cli.js'), 'train', project, '--json'], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(result.status, 0, result.stderr);
    const run = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TrainingEvent).find((e) => e.type === 'run');
    assert.ok(run && run.type === 'run');
    assert.ok(run.classCounts && run.classCounts.length === run.classes.length, JSON.stringify(run.classCounts));
    assert.equal(run.classCounts.reduce((sum, c) => sum + c.train, 0), run.trainImages);
    assert.equal(run.classCounts.reduce((sum, c) => sum + c.validation, 0), run.valImages);
  } finally {
    temp.remove();
  }
});
