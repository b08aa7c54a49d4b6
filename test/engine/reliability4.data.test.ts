/**
 * Issue 18 part C, data cases with the built CLI (needs `npm run build`): the same image in two class
 * folders is reported (CLI warning, manifest and summary), class folders differing only in letter case
 * are refused naming both.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest, readSummary } from '../../src/runs';
import { assertUserError, cli, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

after(removeTemplate);

function eventsOf(stdout: string): TrainingEvent[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
}

test('the same image in two class folders: a warning naming both paths, in the CLI, the manifest and the summary', async () => {
  const dir = await freshProject();
  try {
    const original = path.join(dir, 'data', 'dark', '0.png');
    const copy = path.join(dir, 'data', 'light', 'copy of dark.png');
    await copyFile(original, copy);
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = eventsOf(result.stdout);
    const names = (message: string) => message.includes(original) && message.includes(copy);
    assert.ok(events.some((e) => e.type === 'warning' && names(e.message)), 'a warning event names both files');
    const done = events[events.length - 1];
    assert.ok(done?.type === 'done');
    assert.ok((await readManifest(done.runDir))?.warnings?.some(names), 'manifest.json warnings name both files');
    assert.ok((await readSummary(done.runDir))?.warnings?.some(names), 'summary.json warnings name both files');
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
