/** Unusable data folders stop before training with a UserError that names the folder or file and the fix. */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError } from '../../src/shared/userError';
import { openDataset, type DatasetOptions } from '../../src/engine/data';
import { makeImageFolder, makeTempDir, writePatternPng } from '../fixtures/data/make';

const temp = makeTempDir();
after(() => temp.remove());
let n = 0;
const fresh = () => join(temp.dir, `case-${n++}`);

const options = (folder: string): DatasetOptions => ({
  folder,
  inputSize: 8,
  validationSplit: 0.25,
  seed: 1,
  augmentation: { horizontalFlip: false, shift: 0, brightness: 0 },
});

/** Asserts a UserError whose message names `path` and matches `pattern`. */
async function rejectsNaming(folder: string, path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openDataset(options(folder)), (error: unknown) => {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    assert.ok(error.message.includes(path), `message should name ${path}: ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('a missing folder says so and how to fix it', async () => {
  const folder = join(temp.dir, 'does not exist');
  await rejectsNaming(folder, folder, /not found.*data\.folder/);
});

test('a file instead of a folder', async () => {
  const file = join(temp.dir, 'plain-file.png');
  await writePatternPng(file, 0);
  await rejectsNaming(file, file, /is not a folder/);
});

test('no class sub-folders, with images directly inside, explains the layout', async () => {
  const folder = fresh();
  await writePatternPng(join(folder, 'a.png'), 0);
  await writePatternPng(join(folder, 'b.png'), 1);
  await rejectsNaming(folder, folder, /no class sub-folders.*2 image\(s\) directly.*one sub-folder per class/);
});

test('one class only', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3 });
  await rejectsNaming(folder, folder, /only one class sub-folder \(cats\).*Add a sub-folder/);
});

test('an empty class names the class folder', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3, dogs: 0 });
  await rejectsNaming(folder, join(folder, 'dogs'), /class "dogs" has no usable images/);
});

test('a class whose only files are unusable counts as empty and lists them', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3 });
  mkdirSync(join(folder, 'dogs'));
  writeFileSync(join(folder, 'dogs', 'broken.png'), 'not a png');
  writeFileSync(join(folder, 'dogs', 'photo.heic'), 'ftypheic');
  await rejectsNaming(folder, join(folder, 'dogs'), /no usable images\. Skipped 2 file\(s\): (?=.*broken\.png is not a)(?=.*photo\.heic is a heic image)/);
});

test('a class with one image cannot be split and says how many are needed', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3, dogs: 1 });
  await rejectsNaming(folder, join(folder, 'dogs'), /has 1 usable image; it needs at least 2/);
  writeFileSync(join(folder, 'dogs', 'empty.png'), '');
  await rejectsNaming(folder, join(folder, 'dogs'), /has 1 usable image; it needs at least 2.*Skipped 1 file\(s\): empty\.png is empty/);
});

test('a link from inside a class back to the class folder is a loop, not an endless walk', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3, dogs: 3 });
  const link = join(folder, 'dogs', 'again');
  symlinkSync(join(folder, 'dogs'), link);
  await rejectsNaming(folder, link, /symbolic link to .*contains it.*loop/);
});

test('a link from a class to the data folder itself is a loop', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3, dogs: 3 });
  const link = join(folder, 'cats', 'up');
  symlinkSync('..', link);
  await rejectsNaming(folder, link, /loop/);
});

test('a link to itself (the OS reports ELOOP) is a loop', async () => {
  const folder = await makeImageFolder(fresh(), { cats: 3, dogs: 3 });
  const link = join(folder, 'dogs', 'self');
  symlinkSync(link, link);
  await rejectsNaming(folder, link, /loops back on itself/);
});
