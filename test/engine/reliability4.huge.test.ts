/**
 * Issue 18 part C, a huge data folder: thousands of copies of one image across two classes (a photo
 * library's burst shots, a copied folder) give one short warning, not a line of every path, and quickly;
 * a folder nested past the system's path limit is skipped and named (the CLI case needs `npm run build`).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { openDataset } from '../../src/engine/data';
import { isUserError } from '../../src/shared/userError';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest } from '../../src/runs';
import { cli, freshProject, removeTemplate } from '../fixtures/reliability/project';
import { duplicateAcrossClassesWarnings } from '../../src/engine/data/duplicates';
import type { SampleDigest } from '../../src/engine/data/dataHash';

test('10,000 copies of one image in two classes: one warning naming a file of each class and counting the rest', () => {
  const digests: SampleDigest[] = Array.from({ length: 10_000 }, (_, i) => {
    const label = i % 2;
    const file = `/data/${label === 0 ? 'cat' : 'dog'}/${String(i).padStart(5, '0')}.jpg`;
    return { sample: { id: String(i), file, relPath: file.slice(6), label }, size: 100, sha256: 'same' };
  });
  const started = Date.now();
  const warnings = duplicateAcrossClassesWarnings(digests, ['cat', 'dog']);
  assert.ok(Date.now() - started < 2000, 'well under a second');
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0].length < 400, `a short line (${warnings[0].length} characters)`);
  assert.ok(warnings[0].includes('/data/cat/00000.jpg (class "cat")') && warnings[0].includes('/data/dog/00001.jpg (class "dog")'), warnings[0]);
  assert.match(warnings[0], /and 9998 more copies/);
});

test('copies within one class only are not reported as a clash between classes', () => {
  const digest = (file: string, label: number): SampleDigest => ({ sample: { id: file, file, relPath: file, label }, size: 1, sha256: 'same' });
  assert.deepEqual(duplicateAcrossClassesWarnings([digest('/d/cat/1.jpg', 0), digest('/d/cat/2.jpg', 0)], ['cat', 'dog']), []);
});

after(removeTemplate);

test('a folder nested past the path limit (over 4096 characters): skipped naming it, training completes', { skip: process.platform === 'win32' ? 'Windows has its own limit' : false }, async () => {
  const dir = await freshProject();
  try {
    // mkdir one level at a time from inside, as only relative paths can reach that deep.
    const segment = 'x'.repeat(200);
    const made = spawnSync('bash', ['-c', `cd "$1" && for i in $(seq 1 22); do mkdir ${segment} && cd ${segment} || exit 1; done && cp "$2" deep.png`, '-', path.join(dir, 'data', 'dark'), path.join(dir, 'data', 'dark', '0.png')]);
    assert.equal(made.status, 0, String(made.stderr));
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
    const done = events[events.length - 1];
    assert.ok(done?.type === 'done');
    const skip = (await readManifest(done.runDir))?.skipped.find((s) => s.file.startsWith(path.join(dir, 'data', 'dark', segment)));
    assert.match(skip?.reason ?? '', /has a path of \d+ characters, longer than this system allows/);
  } finally {
    spawnSync('rm', ['-rf', dir]); // node's rm cannot reach past the limit either
  }
});

test('data.folder one level too high (12 sub-folders, most with one image, like a photo library by day): refused saying so', async () => {
  const dir = await freshProject();
  try {
    const library = path.join(dir, 'photos');
    const open = () => openDataset({ folder: library, inputSize: 32, validationSplit: 0.4, seed: 1, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } });
    for (let day = 1; day <= 12; day++) {
      await mkdir(path.join(library, `2026-01-${String(day).padStart(2, '0')}`), { recursive: true });
      await copyFile(path.join(dir, 'data', 'dark', '0.png'), path.join(library, `2026-01-${String(day).padStart(2, '0')}`, 'IMG_1.png'));
    }
    await assert.rejects(open(), (error: unknown) => isUserError(error) && /has 12 sub-folders, and 12 of them hold fewer than 2 images.*looks like the wrong folder/.test(error.message) && error.message.includes(library));
    // Under half small: the old message, naming the first small class.
    for (let day = 1; day <= 7; day++) await copyFile(path.join(dir, 'data', 'dark', '1.png'), path.join(library, `2026-01-${String(day).padStart(2, '0')}`, 'IMG_2.png'));
    await assert.rejects(open(), (error: unknown) => isUserError(error) && /class "2026-01-08" has 1 usable image/.test(error.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
