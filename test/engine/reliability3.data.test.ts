/**
 * Issue 18 part B, data cases (needs `npm run build`): images lying beside the class folders are
 * reported (a warning and the manifest's `skipped`), and class folders whose names differ only in
 * Unicode normalisation are refused, naming both.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest } from '../../src/runs';
import { assertUserError, cli, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

after(removeTemplate);

test('an image beside the class folders: trained without it, listed in a warning and in the manifest', async () => {
  const dir = await freshProject();
  try {
    const loose = path.join(dir, 'data', 'stray photo.png');
    await copyFile(path.join(dir, 'data', 'dark', '0.png'), loose);
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
    const warned = events.flatMap((e) => (e.type === 'warning' ? (e.files ?? []).map((f) => f.file) : []));
    assert.ok(warned.includes(loose), 'a warning lists the loose image');
    const done = events[events.length - 1];
    assert.ok(done?.type === 'done');
    const manifest = await readManifest(done.runDir);
    assert.match(manifest?.skipped.find((s) => s.file === loose)?.reason ?? '', /beside the class folders/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('class folders café (NFC) and café (NFD): exit 2 naming both, nothing created', async () => {
  const dir = await freshProject();
  try {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    for (const name of [nfc, nfd]) {
      await mkdir(path.join(dir, 'data', name));
      for (const i of [0, 1, 2]) await copyFile(path.join(dir, 'data', 'dark', `${i}.png`), path.join(dir, 'data', name, `${i}.png`));
    }
    const before = await snapshotTree(dir);
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'differ only in Unicode normalisation', JSON.stringify(nfc), JSON.stringify(nfd));
    assert.deepEqual(await snapshotTree(dir), before);
    assert.ok(!(await readdir(dir)).includes('runs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
