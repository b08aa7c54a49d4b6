/** The engine's one atomic write: the target holds either the old or the new content, and no temp file stays. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readTextIfExists, writeFileAtomic, writeJsonAtomic } from '../../src/runs/atomicFile';
import { readJsonFile } from '../../src/runs/jsonFile';
import { withTempDir } from '../fixtures/tempDir';

test('writeFileAtomic replaces the file and leaves no temp file behind', () =>
  withTempDir('atomic-', async (dir) => {
    const file = path.join(dir, 'a.bin');
    await writeFile(file, 'old');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...(await readFile(file))], [1, 2, 3]);
    assert.deepEqual(await readdir(dir), ['a.bin']);
  }));

test('a failed write rethrows the original error code, keeps what was there and removes its temp file', () =>
  withTempDir('atomic-', async (dir) => {
    // The target is a folder, so the final rename fails after the temp file was written and synced.
    const target = path.join(dir, 'taken');
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'mine');
    await assert.rejects(writeFileAtomic(target, 'new'), (error: NodeJS.ErrnoException) => typeof error.code === 'string');
    assert.deepEqual(await readdir(dir), ['taken']);
    assert.equal(await readFile(path.join(target, 'keep.txt'), 'utf8'), 'mine');
    await assert.rejects(writeFileAtomic(path.join(dir, 'missing', 'x.json'), 'x'), { code: 'ENOENT' });
  }));

test('JSON round trip; a missing file and a damaged one are told apart', () =>
  withTempDir('atomic-', async (dir) => {
    const file = path.join(dir, 'v.json');
    assert.equal(await readTextIfExists(file), undefined);
    assert.deepEqual(await readJsonFile(file), { state: 'missing' });
    await writeJsonAtomic(file, { a: [1, 'b'] });
    assert.equal(await readFile(file, 'utf8'), '{\n  "a": [\n    1,\n    "b"\n  ]\n}\n');
    assert.deepEqual(await readJsonFile(file), { state: 'ok', value: { a: [1, 'b'] } });
    await writeFileAtomic(file, '{"a": [1');
    assert.deepEqual(await readJsonFile(file), { state: 'invalid' });
  }));
