/**
 * The built CLI (dist/cli.js, made by `npm run build`) as a user runs it: exit codes, messages that
 * name the file, --json events, Ctrl-C (130) with a checkpoint, SIGKILL, and resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { listRunIds, readManifest } from '../../src/runs';
import { writeTinyProject } from '../fixtures/train/tinyProject';
import { onJsonLines } from '../fixtures/jsonLines';
import { withTempDir } from '../fixtures/tempDir';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const withDir = (body: (dir: string) => Promise<void>): Promise<void> => withTempDir('ftg-cli-', body);

/** Asserts exit code 2, a message naming `names`, and no stack trace. */
function assertUserError(result: ReturnType<typeof cli>, ...names: (string | RegExp)[]): void {
  assert.equal(result.status, 2, result.stderr);
  for (const name of names) assert.match(result.stderr, typeof name === 'string' ? new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : name);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

test('bad input exits 2 with a message naming the file (no stack trace)', () =>
  withDir(async (dir) => {
    assertUserError(cli(['train', path.join(dir, 'missing')]), path.join(dir, 'missing'));
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "version": 1, "model": ');
    assertUserError(cli(['train', broken]), broken, /line 1, column/);
    const project = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(project, 'utf8'));
    config.phases[0].learningRate = -1;
    await writeFile(project, JSON.stringify(config));
    assertUserError(cli(['train', dir]), project, /learningRate/);
    assertUserError(cli(['train', dir, '--backend', 'gpu']), /--backend "gpu"/);
    assertUserError(cli(['predict', path.join(dir, 'data'), 'x.png']), path.join(dir, 'data'), /model\.json/);
    assertUserError(cli(['predict', dir, 'x.png']), path.join(dir, 'model', 'labels.json'));
    assertUserError(cli(['inspect', broken]), broken);
    assertUserError(cli(['init', path.join(dir, 'new')]), /--demo/);
    assertUserError(cli(['frobnicate']), /not a command/);
    assert.equal(cli(['--help']).status, 0);
  }));

test('train --json prints one event per line, ending with done; predict reads the run', () =>
  withDir(async (dir) => {
    await writeTinyProject(dir);
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
    const last = events[events.length - 1];
    assert.equal(events.filter((e) => e.type !== 'log')[0].type, 'run');
    assert.ok(last.type === 'done' && last.status === 'completed');
    assert.deepEqual(events.filter((e) => e.type === 'epoch').length, 4);
    const runDir = last.type === 'done' ? last.runDir : '';
    const image = path.join(dir, 'data', 'light', '0.png');
    const predicted = cli(['predict', runDir, image, '--json', '--top', '1']);
    assert.equal(predicted.status, 0, predicted.stderr);
    const prediction = JSON.parse(predicted.stdout) as { file: string; top: { label: string; probability: number }[] };
    assert.equal(prediction.file, image);
    assert.equal(prediction.top.length, 1);
    assert.ok(['dark', 'light'].includes(prediction.top[0].label));
  }));

/** Starts `train --json`, runs `onEvent` for each event; resolves with the exit code. */
function trainUntil(dir: string, onEvent: (event: TrainingEvent, child: ReturnType<typeof spawn>) => void, extra: string[] = []): Promise<number | null> {
  const child = spawn(process.execPath, [CLI, 'train', dir, '--json', '--backend', 'cpu', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  onJsonLines<TrainingEvent>(child.stdout, (event) => onEvent(event, child));
  child.stderr.resume();
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : code)));
}

test('Ctrl-C exits 130 keeping the checkpoint; --resume finishes the same epoch count', () =>
  withDir(async (dir) => {
    await writeTinyProject(dir, { epochs: 300 });
    let signalled = false;
    const code = await trainUntil(dir, (event, child) => {
      if (event.type === 'epoch' && !signalled) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    assert.equal(code, 130);
    const [runId] = await readdir(path.join(dir, 'runs'));
    const runDir = path.join(dir, 'runs', runId);
    assert.equal((await readManifest(runDir))?.status, 'cancelled');
    const state = JSON.parse(await readFile(path.join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { phaseIndex: number; epochsDone: number };
    assert.equal(state.phaseIndex, 0);
    assert.ok(state.epochsDone >= 1 && state.epochsDone < 300);

    const epochs: number[] = [];
    const resumed = await trainUntil(dir, (event) => { if (event.type === 'epoch' && event.phaseIndex === 0) epochs.push(event.epoch); }, ['--resume']);
    assert.equal(resumed, 0);
    assert.equal(epochs[0], state.epochsDone, 'continues with the next epoch');
    assert.equal(epochs[epochs.length - 1], 299, 'to the planned epoch count');
  }));

test('a SIGKILLed run is reported interrupted and resumes from its last checkpoint', () =>
  withDir(async (dir) => {
    await writeTinyProject(dir, { epochs: 300 });
    let killedAfter = -1;
    const code = await trainUntil(dir, (event, child) => {
      if (event.type === 'epoch' && event.epoch === 1 && killedAfter < 0) {
        killedAfter = event.epoch;
        child.kill('SIGKILL');
      }
    });
    assert.equal(code, -9);
    const [runId] = await listRunIds(path.join(dir, 'runs'));
    const runDir = path.join(dir, 'runs', runId);
    const first: number[] = [];
    const resumed = await trainUntil(dir, (event) => { if (event.type === 'epoch' && event.phaseIndex === 0 && first.length === 0) first.push(event.epoch); }, ['--resume', runDir]);
    assert.equal(resumed, 0);
    // The same run went on: it completed, and its manifest says it was interrupted once.
    const manifest = await readManifest(runDir);
    assert.equal(manifest?.status, 'completed');
    assert.deepEqual(manifest?.resumes?.map((r) => r.reason), ['interrupted']);
    assert.ok(first[0] >= 1 && first[0] <= 3, `resumed at epoch ${first[0]}: at most the epoch in progress was lost`);
  }));
