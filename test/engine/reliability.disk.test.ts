/**
 * Disk full during training, for real (needs `npm run build`, and root for `mount`): the project's runs
 * folder is a 3 MB tmpfs; the test pauses the CLI after a few epochs, fills the tmpfs, and lets it go on.
 * The run must stop with exit code 2 and a message naming the run folder and the fix, keep its last
 * complete checkpoint (writes go to a temp file renamed into place), change nothing in the project,
 * and resume from that checkpoint once space is freed. Skipped where mounting is not permitted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainingEvent } from '../../src/protocol/run';
import { loadCheckpoint } from '../../src/engine/train/checkpoint';
import { readCheckpointState } from '../../src/runs';
import { onJsonLines } from '../fixtures/jsonLines';
import { assertUserError, CLI, editProject, freshProject, removeTemplate, snapshotTree } from '../fixtures/reliability/project';

/** Writes zeros into `file` until the file system says it is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** `train --json`; `onEvent` may pause and fill; resolves with exit code, stderr and events. */
function train(args: readonly string[], onEvent: (event: TrainingEvent, pid: number) => void = () => undefined): Promise<{ code: number | null; stderr: string; events: TrainingEvent[] }> {
  const child = spawn(process.execPath, [CLI, 'train', ...args, '--json', '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: TrainingEvent[] = [];
  let stderr = '';
  onJsonLines<TrainingEvent>(child.stdout, (event) => {
    events.push(event);
    if (child.pid !== undefined) onEvent(event, child.pid);
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, events })));
}

test('disk full while writing a checkpoint: exit 2 naming the run folder, last checkpoint intact, project unchanged, resume works', async (t) => {
  const dir = await freshProject();
  const runs = path.join(dir, 'runs');
  await mkdir(runs);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', runs], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (${(mounted.stderr || String(mounted.error)).trim()})`);
    return;
  }
  const filler = path.join(runs, 'filler');
  try {
    await editProject(dir, (json) => { json.phases[0].epochs = 300; });
    const before = await snapshotTree(dir, ['runs']);

    let filled = false;
    const failed = await train([dir], (event, pid) => {
      if (event.type !== 'epoch' || event.epoch < 2 || filled) return;
      // Paused, so the fill happens between two writes of the run, not racing them.
      process.kill(pid, 'SIGSTOP');
      fillDisk(filler);
      filled = true;
      process.kill(pid, 'SIGCONT');
    });
    assert.ok(filled, 'the disk was filled during training');
    const started = failed.events.find((e) => e.type === 'run');
    assert.ok(started?.type === 'run');
    const runDir = started.runDir;
    assertUserError({ status: failed.code, stdout: '', stderr: failed.stderr }, runDir, /could not be written \(.*(ENOSPC|no space left)/i, /Free disk space/, /--resume/);
    assert.ok(!failed.events.some((e) => e.type === 'done' && e.status === 'completed'));
    t.diagnostic(`message: ${failed.stderr.trim().split('\n').pop() ?? ''}`);

    // The last checkpoint is complete and loads; no half-written temp file is left behind.
    const state = await readCheckpointState(runDir);
    assert.ok(state && state.phaseIndex === 0 && state.epochsDone >= 2, `checkpoint at ${JSON.stringify(state)}`);
    // Which write hit the full disk: the checkpoint (its epoch's metrics line is there) or a metrics line.
    const logged = (await readFile(path.join(runDir, 'metrics.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('"type":"epoch"')).length;
    t.diagnostic(logged > state.epochsDone ? `disk full while saving the checkpoint of epoch ${logged}` : `disk full while appending metrics of epoch ${state.epochsDone + 1}`);
    const loaded = await loadCheckpoint(runDir);
    assert.ok(loaded && loaded.weights.length > 0);
    tf.dispose([...loaded.weights, ...(loaded.bestWeights ?? [])]);
    const leftovers = (await readdir(runDir, { recursive: true })).filter((name) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    JSON.parse(await readFile(path.join(runDir, 'manifest.json'), 'utf8'));
    assert.deepEqual(await snapshotTree(dir, ['runs']), before, 'nothing in the project changed');

    // With space again, --resume continues from that checkpoint (phase 0 shortened to end soon after).
    await rm(filler);
    await editProject(dir, (json) => { json.phases[0].epochs = state.epochsDone + 1; });
    const resumed = await train([dir, '--resume', runDir]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const firstEpoch = resumed.events.find((e) => e.type === 'epoch');
    assert.ok(firstEpoch?.type === 'epoch' && firstEpoch.phaseIndex === 0 && firstEpoch.epoch === state.epochsDone, 'resumes with the next epoch');
    const done = resumed.events[resumed.events.length - 1];
    assert.ok(done.type === 'done' && done.status === 'completed');
  } finally {
    spawnSync('umount', [runs]);
    await rm(dir, { recursive: true, force: true });
    await removeTemplate();
  }
});
