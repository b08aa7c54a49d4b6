/**
 * Issue 18 part B, partial failure and odd paths (needs `npm run build`): predict on several files
 * reports each; init / export into a path whose parent is a file refuse with exit 2 naming it (root
 * ignores permissions, so a file on the path stands in for a target that cannot be written).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { assertUserError, cli, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

let dir = '';
let run = '';
before(async () => {
  dir = await freshProject();
  const trained = cli(['train', dir, '--backend', 'cpu']);
  assert.equal(trained.status, 0, trained.stderr);
  run = path.join(dir, 'runs', (await readdir(path.join(dir, 'runs')))[0] as string);
  await writeFile(path.join(dir, 'not an image.png'), 'nope');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeTemplate();
});

test('predict on several files: the good ones predicted, the bad and the missing one named, exit 2', () => {
  const good = [path.join(dir, 'data', 'dark', '0.png'), path.join(dir, 'data', 'light', '1.png')];
  const bad = path.join(dir, 'not an image.png');
  const missing = path.join(dir, 'missing.png');
  const result = cli(['predict', run, good[0] as string, bad, missing, good[1] as string]);
  assertUserError(result, bad, missing, 'could not be read as an image', 'does not exist', '2 of 4 images could not be predicted');
  for (const file of good) assert.match(result.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (dark|light) `), `${file} predicted`);
});

test('predict with a trailing slash on the run folder works', () => {
  const result = cli(['predict', `${run}/`, path.join(dir, 'data', 'dark', '0.png')]);
  assert.equal(result.status, 0, result.stderr);
});

test('init into a path under a file: exit 2 naming the path, nothing created', async () => {
  const before = await snapshotTree(dir);
  const target = path.join(dir, 'finetune.json', 'project');
  assertUserError(cli(['init', target, '--demo']), target, 'a file is in its place or on its path');
  assert.deepEqual(await snapshotTree(dir), before);
});

test('export --out under a file: exit 2 naming the path', () => {
  const target = path.join(dir, 'finetune.json', 'exported');
  assertUserError(cli(['export', run, '--out', target]), target, 'is a file, not a folder');
});
