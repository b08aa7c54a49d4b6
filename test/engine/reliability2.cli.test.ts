/**
 * Issue 18 part A with the built CLI (dist/cli.js, `npm run build`): SIGTERM stops like Ctrl-C with
 * exit 143; a phase that trains nothing is refused before phase 1 starts; a BOM-saved finetune.json trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { listRunIds, readManifest } from '../../src/runs';
import { writeTinyProject } from '../fixtures/train/tinyProject';
import { onJsonLines } from '../fixtures/jsonLines';
import { withTempDir } from '../fixtures/tempDir';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const withDir = (body: (dir: string) => Promise<void>): Promise<void> => withTempDir('ftg-r2cli-', body);

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('SIGTERM stops training like Ctrl-C: checkpoint kept, run cancelled, exit 143', () =>
  withDir(async (dir) => {
    await writeTinyProject(dir, { epochs: 300 });
    const child = spawn(process.execPath, [CLI, 'train', dir, '--json', '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let signalled = false;
    onJsonLines<TrainingEvent>(child.stdout, (event) => {
      if (event.type === 'epoch' && !signalled) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 143);
    const [runId] = await readdir(path.join(dir, 'runs'));
    const runDir = path.join(dir, 'runs', runId);
    assert.equal((await readManifest(runDir))?.status, 'cancelled');
    const state = JSON.parse(await readFile(path.join(runDir, 'checkpoint', 'state.json'), 'utf8')) as { epochsDone: number };
    assert.ok(state.epochsDone >= 1);
  }));

test('a later phase with "trainable": {"layers": []} exits 2 naming phases[1].trainable, and no run starts', () =>
  withDir(async (dir) => {
    const file = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.phases[1].trainable = { layers: [] };
    await writeFile(file, JSON.stringify(config));
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /phases\[1\]\.trainable/);
    assert.doesNotMatch(result.stderr, /Unexpected error|\n\s+at .+:\d+:\d+/);
    assert.doesNotMatch(result.stdout, /"type":"batch"/, 'phase 1 never started');
  }));

test('a finetune.json saved with a UTF-8 BOM and Windows line endings trains', () =>
  withDir(async (dir) => {
    const file = await writeTinyProject(dir);
    const text = await readFile(file, 'utf8');
    await writeFile(file, `\uFEFF${text.replace(/\n/g, '\r\n')}`);
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
  }));

test('a batchSize larger than the training set trains but warns, naming phases[i].batchSize', () =>
  withDir(async (dir) => {
    const file = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.phases[0].batchSize = 1000;
    await writeFile(file, JSON.stringify(config));
    const result = cli(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const warnings = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent).filter((e) => e.type === 'warning');
    assert.ok(warnings.some((w) => w.type === 'warning' && /phases\[0\]\.batchSize/.test(w.message)), JSON.stringify(warnings));
  }));

test('a key given twice in finetune.json is refused (exit 2) naming the key, not silently the last one', () =>
  withDir(async (dir) => {
    const file = await writeTinyProject(dir);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"runsFolder": "runs"', '"runsFolder": "runs",\n  "runsFolder": "other"'));
    const result = cli(['train', dir, '--backend', 'cpu']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /"runsFolder" is given twice/);
  }));

test('a very long unknown layer name is cut in the message (exit 2), not printed whole', () =>
  withDir(async (dir) => {
    const file = await writeTinyProject(dir);
    const config = JSON.parse(await readFile(file, 'utf8'));
    config.phases[1].trainable = { layers: ['x'.repeat(5000)] };
    await writeFile(file, JSON.stringify(config));
    const result = cli(['train', dir, '--backend', 'cpu']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /5000 characters/);
    assert.ok(result.stderr.length < 1000, `message is ${result.stderr.length} characters`);
  }));

test('--resume on a run whose checkpoint is damaged exits 2 naming it (missing weights, corrupt state.json), no ENOENT or stack', () =>
  withDir(async (dir) => {
    await writeTinyProject(dir, { epochs: 300 });
    const child = spawn(process.execPath, [CLI, 'train', dir, '--json', '--backend', 'cpu'], { stdio: ['ignore', 'pipe', 'pipe'] });
    onJsonLines<TrainingEvent>(child.stdout, (event) => { if (event.type === 'epoch' && event.epoch === 2) child.kill('SIGKILL'); });
    child.stderr.resume();
    await new Promise((resolve) => child.on('close', resolve));
    const [runId] = await listRunIds(path.join(dir, 'runs'));
    const checkpointDir = path.join(dir, 'runs', runId, 'checkpoint');
    const state = JSON.parse(await readFile(path.join(checkpointDir, 'state.json'), 'utf8')) as { weightsFile: string };
    await rm(path.join(checkpointDir, state.weightsFile));
    const missing = cli(['train', dir, '--backend', 'cpu', '--resume']);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /checkpoint is damaged .*is missing/);
    assert.doesNotMatch(missing.stderr, /ENOENT|Unexpected error|\n\s+at .+:\d+:\d+/);
    await writeFile(path.join(checkpointDir, 'state.json'), '{"version": 2, "weightsFi');
    const corrupt = cli(['train', dir, '--backend', 'cpu', '--resume', path.join(dir, 'runs', runId)]);
    assert.equal(corrupt.status, 2, corrupt.stderr);
    assert.match(corrupt.stderr, /checkpoint is damaged \(state\.json cannot be read/);
  }));
