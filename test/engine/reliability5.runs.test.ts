/**
 * Issue 18 part D, runs with the built CLI (needs `npm run build`): two trains of one project started in
 * the same instant: exactly one trains, the other exits 2 naming it (the runs folder's lock).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { TRAINING_LOCK } from '../../src/runs';
import { assertUserError, CLI, editProject, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

/** `train` in the background; `ended` resolves with its exit code and stderr. */
function startTrain(dir: string): { pid: number; kill: () => void; ended: Promise<{ status: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'train', dir, '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = once(child, 'exit').then(([code]) => ({ status: code as number | null, stdout, stderr }));
  return { pid: child.pid!, kill: () => void child.kill('SIGTERM'), ended };
}

test('two trains started in the same instant: one trains, the other exits 2 naming its process; one run folder', async () => {
  const dir = await freshProject();
  await editProject(dir, (json) => void (json.phases[0].epochs = 1000));
  const a = startTrain(dir);
  const b = startTrain(dir);
  try {
    // The refused one ends within seconds; the other trains its 1000 epochs until stopped.
    const first = await Promise.race([a.ended.then((end) => ({ end, other: b })), b.ended.then((end) => ({ end, other: a }))]);
    assertUserError(first.end, 'already being trained', `process ${first.other.pid}`, path.join(dir, 'finetune.json'));
    first.other.kill();
    const other = await first.other.ended;
    assert.equal(other.status, 143, `the other trained until SIGTERM: ${other.stderr}`);
    const runs = (await readdir(path.join(dir, 'runs'))).filter((name) => name !== TRAINING_LOCK);
    assert.equal(runs.length, 1, `one run folder: ${runs.join(', ')}`);
    assert.ok(!(await readdir(path.join(dir, 'runs'))).includes(TRAINING_LOCK), 'the lock is released at the end');
  } finally {
    a.kill();
    b.kill();
    await Promise.all([a.ended, b.ended]);
    await rm(dir, { recursive: true, force: true });
  }
});
