/**
 * Issue 18 part C, data cases with the built CLI (needs `npm run build`): the same image in two class
 * folders is reported (CLI warning, manifest and summary), class folders differing only in letter case
 * are refused naming both, a class left with no validation images is said to be unmeasured.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest, readSummary } from '../../src/runs';
import { openDataset } from '../../src/engine/data';
import { assertUserError, cli, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

after(removeTemplate);

/** `train --json` on `dir`, which must complete: its events and the run folder its done event names. */
function trainToEnd(dir: string): { events: TrainingEvent[]; runDir: string } {
  const result = cli(['train', dir, '--json', '--backend', 'cpu']);
  assert.equal(result.status, 0, result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
  const done = events[events.length - 1];
  assert.ok(done?.type === 'done', 'the last event is done');
  return { events, runDir: done.runDir };
}

test('the same image in two class folders: a warning naming both paths, in the CLI, the manifest and the summary', async () => {
  const dir = await freshProject();
  try {
    const original = path.join(dir, 'data', 'dark', '0.png');
    const copy = path.join(dir, 'data', 'light', 'copy of dark.png');
    await copyFile(original, copy);
    const { events, runDir } = trainToEnd(dir);
    const names = (message: string) => message.includes(original) && message.includes(copy);
    assert.ok(events.some((e) => e.type === 'warning' && names(e.message)), 'a warning event names both files');
    assert.ok((await readManifest(runDir))?.warnings?.some(names), 'manifest.json warnings name both files');
    assert.ok((await readSummary(runDir))?.warnings?.some(names), 'summary.json warnings name both files');
    const plain = cli(['train', dir, '--backend', 'cpu']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.ok(plain.stderr.includes(copy) || plain.stdout.includes(copy), 'the plain CLI prints the warning');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('class folders "dark" and "Dark": exit 2 naming both (one folder on Windows and macOS), nothing created', async () => {
  const dir = await freshProject();
  try {
    await mkdir(path.join(dir, 'data', 'Dark'));
    for (const i of [0, 1, 2]) await copyFile(path.join(dir, 'data', 'light', `${i}.png`), path.join(dir, 'data', 'Dark', `${i}.png`));
    const before = await snapshotTree(dir);
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'differ only in letter case', '"Dark"', '"dark"', path.join(dir, 'data'));
    assert.deepEqual(await snapshotTree(dir), before);
    assert.ok(!(await readdir(dir)).includes('runs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a class whose only validation image fails to decode: the accuracy is said to leave it out, with the fix', async () => {
  const dir = await freshProject();
  try {
    const grey = path.join(dir, 'data', 'grey');
    await mkdir(grey);
    for (const i of [0, 1, 2]) await copyFile(path.join(dir, 'data', 'dark', `${i}.png`), path.join(grey, `${i}.png`));
    // The split depends on the paths and the seed only: find grey's validation image as the CLI will, then cut it short.
    const dataset = await openDataset({ folder: path.join(dir, 'data'), inputSize: 32, validationSplit: 0.4, seed: 1, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } });
    const label = dataset.classes.indexOf('grey');
    const greyValidation = dataset.validation.filter((s) => s.label === label);
    assert.equal(greyValidation.length, 1);
    const png = await readFile(greyValidation[0].file);
    await writeFile(greyValidation[0].file, png.subarray(0, Math.floor(png.length / 2)));
    const { events, runDir } = trainToEnd(dir);
    const unseen = (message: string) => /leaves out class "grey": it has no validation images.*data\.validationSplit/.test(message);
    assert.ok(events.some((e) => e.type === 'warning' && unseen(e.message)), 'a warning says grey is not measured');
    assert.ok((await readSummary(runDir))?.warnings?.some(unseen), 'summary.json warnings say it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a class folder linked from a drive that is not mounted (broken link): listed in a warning and the manifest, not silently dropped', async () => {
  const dir = await freshProject();
  try {
    const link = path.join(dir, 'data', 'cats on the NAS');
    await symlink(path.join(dir, 'not-mounted', 'cats'), link);
    const { events, runDir } = trainToEnd(dir);
    assert.ok(events.some((e) => e.type === 'warning' && (e.files ?? []).some((f) => f.file === link)), 'a warning lists the link');
    assert.match((await readManifest(runDir))?.skipped.find((s) => s.file === link)?.reason ?? '', /broken link.*class it would be is left out/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('copies of one image in one class, split across training and validation: a warning that the validation accuracy reads too high', async () => {
  const dir = await freshProject();
  try {
    const dark = path.join(dir, 'data', 'dark');
    for (const i of [1, 2, 3, 4]) await copyFile(path.join(dark, '0.png'), path.join(dark, `0 copy ${i}.png`));
    const dataset = await openDataset({ folder: path.join(dir, 'data'), inputSize: 32, validationSplit: 0.4, seed: 1, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 } });
    const isCopy = (file: string) => /\/0( copy \d)?\.png$/.test(file) && file.includes(`${path.sep}dark${path.sep}`);
    assert.ok(dataset.train.some((s) => isCopy(s.file)) && dataset.validation.some((s) => isCopy(s.file)), 'the seeded split puts copies on both sides');
    const { events, runDir } = trainToEnd(dir);
    const leak = (message: string) => /validation image\(s\) are exact copies of training images.*reads higher than it is/.test(message);
    assert.ok(events.some((e) => e.type === 'warning' && leak(e.message)), 'a warning says so');
    assert.ok((await readManifest(runDir))?.warnings?.some(leak), 'in the manifest');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
