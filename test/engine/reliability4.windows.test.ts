/**
 * Issue 18 part C, what Windows, macOS and NAS users bring along (needs `npm run build`): system files and
 * folders in the data folder are ignored, class folders that differ only in trailing spaces are refused,
 * a folder named finetune.json is named as such, a PNG named .jpg and upper-case extensions are used.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest } from '../../src/runs';
import { windowsNameProblem } from '../../src/engine/data/portableNames';
import { assertUserError, cli, editProject, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

/** Trains with --json and returns the manifest of the completed run. */
async function trainedManifest(dir: string) {
  const result = cli(['train', dir, '--json', '--backend', 'cpu']);
  assert.equal(result.status, 0, result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
  const done = events[events.length - 1];
  assert.ok(done?.type === 'done');
  const manifest = await readManifest(done.runDir);
  assert.ok(manifest);
  return manifest;
}

test('Thumbs.db, desktop.ini, __MACOSX and a NAS @eaDir thumbnail folder: ignored, neither classes, images nor warnings', async () => {
  const dir = await freshProject();
  try {
    const data = path.join(dir, 'data');
    for (const name of ['Thumbs.db', 'desktop.ini']) {
      await writeFile(path.join(data, name), 'system');
      await writeFile(path.join(data, 'dark', name), 'system');
    }
    await mkdir(path.join(data, '__MACOSX', 'dark'), { recursive: true });
    await writeFile(path.join(data, '__MACOSX', 'dark', '._0.png'), 'AppleDouble');
    const thumbs = path.join(data, 'dark', '@eaDir', '0.png');
    await mkdir(thumbs, { recursive: true });
    await copyFile(path.join(data, 'light', '0.png'), path.join(thumbs, 'SYNOPHOTO_THUMB_S.jpg'));
    const manifest = await trainedManifest(dir);
    assert.deepEqual(manifest.classes, ['dark', 'light']);
    assert.equal(manifest.trainImages + manifest.valImages, 10, 'the 10 images, not the NAS thumbnail');
    assert.deepEqual(manifest.skipped, [], 'nothing reported as skipped');
    assert.equal(manifest.warnings, undefined, 'no duplicate warning for the thumbnail');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('class folders "dark" and "dark " (trailing space, dropped by Windows): exit 2 naming both', async () => {
  const dir = await freshProject();
  try {
    await mkdir(path.join(dir, 'data', 'dark '));
    for (const i of [0, 1, 2]) await copyFile(path.join(dir, 'data', 'light', `${i}.png`), path.join(dir, 'data', 'dark ', `${i}.png`));
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'differ only in trailing spaces or dots', '"dark"', '"dark "');
    assert.ok(!(await readdir(dir)).includes('runs'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a folder named finetune.json: exit 2 saying it is a folder (not "was not found")', async () => {
  const dir = await freshProject();
  try {
    await rm(path.join(dir, 'finetune.json'));
    await mkdir(path.join(dir, 'finetune.json'));
    for (const command of ['train', 'inspect']) assertUserError(cli([command, dir]), path.join(dir, 'finetune.json'), 'is a folder, not a file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a PNG named .jpg and upper-case extensions (.PNG) are used (pinned)', async () => {
  const dir = await freshProject();
  try {
    await rename(path.join(dir, 'data', 'dark', '0.png'), path.join(dir, 'data', 'dark', '0.jpg'));
    await rename(path.join(dir, 'data', 'dark', '1.png'), path.join(dir, 'data', 'dark', '1.PNG'));
    const manifest = await trainedManifest(dir);
    assert.equal(manifest.trainImages + manifest.valImages, 10);
    assert.deepEqual(manifest.skipped, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a Windows drive or network path in finetune.json, read on Linux/macOS: exit 2 saying what it is and what to set', { skip: process.platform === 'win32' ? 'such a path is valid on Windows' : false }, async () => {
  const dir = await freshProject();
  try {
    await editProject(dir, (json) => void (json.data.folder = 'C:\\Users\\me\\photos'));
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'data.folder', 'is a Windows drive path', 'relative to the project folder');
    await editProject(dir, (json) => void (json.data.folder = '\\\\nas\\photos\\cats'));
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'is a Windows network (UNC) path', 'mount the share');
    await editProject(dir, (json) => {
      json.data.folder = 'data';
      json.model.base = 'D:\\models\\model.json';
    });
    assertUserError(cli(['train', dir, '--backend', 'cpu']), 'model.base', 'is a Windows drive path');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('class folders named "aux" and "what?" (impossible on Windows): trained, with a warning naming each', async () => {
  assert.deepEqual(['CON', 'nul.txt', 'com1', 'a:b', 'cat ', 'cat.'].map((n) => windowsNameProblem(n) !== null), [true, true, true, true, true, true]);
  assert.deepEqual(['cat', 'console', 'auxiliary', 'café', 'dark-1'].map(windowsNameProblem), [null, null, null, null, null]);
  const dir = await freshProject();
  try {
    for (const [from, to] of [['dark', 'aux'], ['light', 'what?']]) await rename(path.join(dir, 'data', from), path.join(dir, 'data', to));
    const manifest = await trainedManifest(dir);
    assert.deepEqual(manifest.classes, ['aux', 'what?']);
    for (const name of ['"aux"', '"what?"']) assert.ok(manifest.warnings?.some((w) => w.includes(`Class folder ${name} cannot be made on Windows`)), `a warning names ${name}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
