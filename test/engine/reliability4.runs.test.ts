/**
 * Issue 18 part C, runs with the built CLI (needs `npm run build`): a second `train` of a project that is
 * training is refused naming the running run, and a run folder deleted while training ends with a message
 * naming it (exit 2, no stack).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { TrainingEvent } from '../../src/protocol/run';
import { TRAINING_LOCK } from '../../src/runs';
import { assertUserError, CLI, cli, editProject, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

/** `train --json` in the background, with a promise of its first event of `type` and of its end. */
function trainInBackground(dir: string): { child: ChildProcess; first: (type: TrainingEvent['type']) => Promise<TrainingEvent>; ended: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'train', dir, '--json', '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const events: TrainingEvent[] = [];
  const waiters: { type: string; resolve: (e: TrainingEvent) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as TrainingEvent;
    events.push(event);
    for (const w of waiters.filter((w) => w.type === event.type)) w.resolve(event);
  });
  const ended = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  const first = (type: TrainingEvent['type']) =>
    new Promise<TrainingEvent>((resolve, reject) => {
      const seen = events.find((e) => e.type === type);
      if (seen) return resolve(seen);
      waiters.push({ type, resolve });
      void ended.then((end) => reject(new Error(`train ended (${end.code}) before a ${type} event: ${end.stderr}`)));
    });
  return { child, first, ended };
}

/** A fresh project training (for 1000 epochs) in the background, once its first epoch is done. */
async function projectInTraining(): Promise<{ dir: string; running: ReturnType<typeof trainInBackground>; runDir: string }> {
  const dir = await freshProject();
  await editProject(dir, (json) => void (json.phases[0].epochs = 1000));
  const running = trainInBackground(dir);
  const start = await running.first('run');
  assert.ok(start.type === 'run');
  await running.first('epoch');
  return { dir, running, runDir: start.runDir };
}

test('a second train of a project that is training: exit 2 naming the running run and its pid; no second run folder', async () => {
  const { dir, running, runDir } = await projectInTraining();
  try {
    const second = cli(['train', dir, '--backend', 'cpu']);
    assertUserError(second, runDir, `process ${running.child.pid}`, 'already being trained');
    assert.deepEqual((await readdir(path.join(dir, 'runs'))).filter((name) => name !== TRAINING_LOCK), [path.basename(runDir)]);
  } finally {
    running.child.kill('SIGTERM');
    await running.ended;
    await rm(dir, { recursive: true, force: true });
  }
});

test('the run folder deleted while training: exit 2 naming the folder, no stack trace', async () => {
  const { dir, running, runDir } = await projectInTraining();
  try {
    // The run keeps writing into it: retry while a file appears between the listing and the rmdir.
    await rm(runDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 20 });
    const end = await running.ended;
    assertUserError({ status: end.code, stdout: '', stderr: end.stderr }, runDir);
  } finally {
    running.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
});
