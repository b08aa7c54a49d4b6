// The pure decisions of Classify Image and Export Model: images, nearest project, which run, where an export goes, wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportableRun } from '../../src/extension/project/runList';
import {
  describeVerification,
  exportChoices,
  exportDestination,
  findNearestProject,
  formatTopClasses,
  latestCompletedRun,
} from '../../src/extension/commands/modelTargets';
import { hasImageExtension } from '../../src/shared/imageExtensions';

const run = (runId: string, status: string): ExportableRun => ({ runId, status, runDir: `/p/runs/${runId}`, modelDir: `/p/runs/${runId}/model`, valAccuracy: null });

test('image files are recognised by extension, in any case', () => {
  for (const file of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.Gif']) assert.ok(hasImageExtension(file), file);
  for (const file of ['model.json', 'notes.txt', 'png', 'photo.tiff']) assert.ok(!hasImageExtension(file), file);
});

test('the nearest finetune.json above an image wins, and the search stops at the workspace folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ftg-classify-'));
  try {
    await mkdir(join(root, 'outer', 'project', 'data', 'cats'), { recursive: true });
    await writeFile(join(root, 'outer', 'finetune.json'), '{}');
    await writeFile(join(root, 'outer', 'project', 'finetune.json'), '{}');
    const images = join(root, 'outer', 'project', 'data', 'cats');
    assert.equal(await findNearestProject(images), join(root, 'outer', 'project', 'finetune.json'));
    assert.equal(await findNearestProject(join(root, 'outer')), join(root, 'outer', 'finetune.json'));
    // Outside the workspace folder `project/data` nothing is searched.
    assert.equal(await findNearestProject(images, join(root, 'outer', 'project', 'data')), undefined);
    await mkdir(join(root, 'lonely'));
    assert.equal(await findNearestProject(join(root, 'lonely'), root), undefined);
    // A folder called finetune.json is not a project.
    await mkdir(join(root, 'lonely', 'finetune.json'));
    assert.equal(await findNearestProject(join(root, 'lonely'), root), undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('Classify uses the newest completed run; Export offers it first and keeps the others newest first', () => {
  const runs = [run('003', 'cancelled'), run('002', 'completed'), run('001', 'completed')];
  assert.equal(latestCompletedRun(runs)?.runId, '002');
  assert.deepEqual(exportChoices(runs).map((r) => r.runId), ['002', '003', '001']);
  assert.equal(latestCompletedRun([run('004', 'failed')]), undefined);
  assert.deepEqual(exportChoices([run('004', 'failed')]).map((r) => r.runId), ['004']);
});

test('an export goes into an empty chosen folder, else into a new named folder inside it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ftg-export-dest-'));
  try {
    assert.equal(await exportDestination(root, 'proj-001'), root);
    await writeFile(join(root, 'keep.txt'), 'mine');
    assert.equal(await exportDestination(root, 'proj-001'), join(root, 'proj-001'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('top classes and the reload check read as one line each', () => {
  const line = formatTopClasses({ file: '/x/cat.png', top: [{ label: 'cat', probability: 0.9213 }, { label: 'dog', probability: 0.05 }, { label: 'bird', probability: 0.0287 }] });
  assert.equal(line, 'cat 92.1% · dog 5.0% · bird 2.9%');
  const sentence = describeVerification({ samples: 8, maxAbsDifference: 1.2e-7, tolerance: 1e-5, inputs: 'images' });
  assert.match(sentence, /largest difference 1\.2e-7 over 8 validation images, tolerance 0\.00001/);
  assert.match(describeVerification({ samples: 4, maxAbsDifference: 0, tolerance: 1e-5, inputs: 'synthetic' }), /over 4 generated inputs/);
});
