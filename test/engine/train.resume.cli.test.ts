/**
 * Exact resume end to end, as a user meets it: the built CLI (dist/cli.js) trains a small demo project
 * at 96 px; the run is killed with SIGKILL during phase 2, resumed, stopped with SIGTERM later in
 * phase 2, resumed again, and ends with the model/ weights of an uninterrupted run (max |diff| <= 1e-5),
 * in one run folder whose metrics.jsonl holds both phases once. Dropout and augmentation are on: their
 * draws, like the head's initial weights, derive from data.seed and the step, so the position is enough.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { listRunIds, readEvaluation, readManifest, readMetrics } from '../../src/runs';
import { onJsonLines } from '../fixtures/jsonLines';
import { withTempDir } from '../fixtures/tempDir';
import { writeResumeProject } from '../fixtures/train/resumeProject';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

interface Trained {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly events: TrainingEvent[];
}

/** `train <dir> --json --backend cpu ...extra`; `onEvent` may signal the child. The child is killed if the test ends first. */
function train(t: TestContext, dir: string, extra: string[], onEvent: (event: TrainingEvent, child: ChildProcess) => void = () => undefined): Promise<Trained> {
  const child = spawn(process.execPath, [CLI, 'train', dir, '--json', '--backend', 'cpu', '--threads', '1', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const events: TrainingEvent[] = [];
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  onJsonLines<TrainingEvent>(child.stdout as NonNullable<typeof child.stdout>, (event) => {
    events.push(event);
    onEvent(event, child);
  });
  return new Promise((resolve) => child.on('close', (code, signal) => {
    if (code !== 0 && code !== 130 && code !== 143) console.error(stderr);
    resolve({ code, signal, events });
  }));
}

async function modelWeights(runDir: string): Promise<Float32Array> {
  const bytes = await readFile(path.join(runDir, 'model', 'weights.bin'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const doneDir = (result: Trained): string => {
  const done = result.events.find((e) => e.type === 'done');
  assert.ok(done?.type === 'done' && done.status === 'completed', 'the run completed');
  return done.runDir;
};

async function checkpointPosition(runDir: string): Promise<[number, number, number]> {
  const state = JSON.parse(await readFile(path.join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { phaseIndex: number; epochsDone: number; inEpoch: { batchesDone: number } | null };
  return [state.phaseIndex, state.epochsDone, state.inEpoch?.batchesDone ?? 0];
}

test('SIGKILL and SIGTERM during phase 2, resumed each time: the uninterrupted run\'s weights, one run with both phases', { timeout: 900_000 }, (t) =>
  withTempDir('ftg-resume-cli-', async (dir) => {
    const fresh = path.join(dir, 'fresh');
    await writeResumeProject(fresh, { dropout: 0.3, augment: true });
    const project = path.join(dir, 'interrupted');
    await cp(fresh, project, { recursive: true });

    const expected = await modelWeights(doneDir(await train(t, fresh, [])));

    // Killed once phase 2 has trained a batch: the checkpoint after batch 0 is complete before batch 1's event.
    const killed = await train(t, project, [], (event, child) => {
      if (event.type === 'batch' && event.phaseIndex === 1 && event.batch >= 1) child.kill('SIGKILL');
    });
    assert.equal(killed.signal, 'SIGKILL');
    const [runId] = await listRunIds(path.join(project, 'runs'));
    const runDir = path.join(project, 'runs', runId);
    const killedAt = await checkpointPosition(runDir);
    assert.equal(killedAt[0], 1, `a checkpoint taken in phase 2 (at ${killedAt})`);

    // Resumed, then stopped with SIGTERM in phase 2's second epoch: it saves a checkpoint at the batch it reached.
    const stopped = await train(t, project, ['--resume', runDir], (event, child) => {
      if (event.type === 'batch' && event.phaseIndex === 1 && event.epoch === 1 && event.batch === 1) child.kill('SIGTERM');
    });
    assert.equal(stopped.code, 143, 'SIGTERM stops like Ctrl-C, with exit 143');
    const first = stopped.events.find((e) => e.type === 'batch');
    assert.ok(first?.type === 'batch', 'the resumed run trained');
    assert.deepEqual([first.phaseIndex, first.epoch, first.batch], killedAt, 'the first resume went on at the checkpoint\'s batch');
    const stoppedAt = await checkpointPosition(runDir);
    assert.deepEqual(stoppedAt, [1, 1, 2], 'SIGTERM saved the checkpoint after the last batch done');
    assert.equal((await readManifest(runDir))?.status, 'cancelled');

    const finished = await train(t, project, ['--resume']);
    assert.equal(doneDir(finished), runDir, 'the resumed run is the same run folder');
    const diff = maxDiff(await modelWeights(runDir), expected);
    console.log(`exact resume (cli, 96 px): max |diff| ${diff} after SIGKILL at ${killedAt} and SIGTERM at ${stoppedAt}`);
    assert.ok(diff <= 1e-5, `max |diff| ${diff} between the resumed and the uninterrupted run`);

    const epochs = (await readMetrics(runDir)).records.filter((r) => r.type === 'epoch').map((r) => `${r.phaseIndex}:${r.epoch}`);
    assert.deepEqual(epochs, ['0:0', '0:1', '1:0', '1:1'], 'metrics.jsonl has phase 1 and phase 2, each epoch once');
    const manifest = await readManifest(runDir);
    assert.deepEqual(manifest?.resumes?.map((r) => [r.reason, r.fromPhase, r.fromEpoch, r.fromBatch]), [['interrupted', ...killedAt], ['cancelled', ...stoppedAt]]);
    assert.deepEqual((await readEvaluation(runDir))?.phases.map((p) => p.phase), ['train head', 'fine-tune'], 'the evaluation covers both phases');
    assert.deepEqual(await readdir(path.join(project, 'runs')), [runId], 'one run folder');
  }));
