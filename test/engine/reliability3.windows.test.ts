/**
 * Issue 18 part B, paths written by hand or on Windows (needs `npm run build`): `data.folder` as
 * `~/photos` means the home folder (HOME set to a temp folder here), and `images\set` (a project written on
 * Windows) means `images/set` on Linux/macOS.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI, editProject, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

function train(dir: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'train', dir, '--backend', 'cpu'], { encoding: 'utf8', timeout: 120_000, env });
  return { status: result.status, stderr: result.stderr };
}

test('data.folder "~/photos" is the home folder, as a shell would expand it', async () => {
  const dir = await freshProject();
  const home = await mkdtemp(path.join(tmpdir(), 'ftg-home-'));
  try {
    await rename(path.join(dir, 'data'), path.join(home, 'photos'));
    await editProject(dir, (json) => (json.data.folder = '~/photos'));
    const result = train(dir, { ...process.env, HOME: home });
    assert.equal(result.status, 0, result.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
});

test('data.folder written with backslashes (images\\set) trains on Linux', async () => {
  const dir = await freshProject();
  try {
    await mkdir(path.join(dir, 'images'));
    await rename(path.join(dir, 'data'), path.join(dir, 'images', 'set'));
    await editProject(dir, (json) => (json.data.folder = 'images\\set'));
    const result = train(dir);
    assert.equal(result.status, 0, result.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
