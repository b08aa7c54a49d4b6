/**
 * `finetune-guide export` and `finetune-guide report` as a user runs them (dist/cli.js after
 * `npm run build`), on a tiny project trained once by the CLI: files written, reload check reported,
 * nothing overwritten, exit codes 0 / 2 with the file named.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { writeTinyProject } from '../fixtures/train/tinyProject';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertUserError(result: ReturnType<typeof cli>, ...names: (string | RegExp)[]): void {
  assert.equal(result.status, 2, result.stderr);
  for (const name of names) assert.ok(typeof name === 'string' ? result.stderr.includes(name) : name.test(result.stderr), `stderr names ${name}: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
}

let dir = '';
let runDir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftg-cli-export-'));
  await writeTinyProject(dir, { epochs: 1 });
  const trained = cli(['train', dir, '--json', '--backend', 'cpu']);
  assert.equal(trained.status, 0, trained.stderr);
  const events = trained.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
  const done = events[events.length - 1];
  assert.ok(done.type === 'done' && done.status === 'completed');
  runDir = done.runDir;
});

after(() => rm(dir, { recursive: true, force: true }));

test('export writes a usable model folder, reports the reload check, and refuses to overwrite', async () => {
  const dest = path.join(dir, 'exported');
  const result = cli(['export', runDir, dest]);
  assert.equal(result.status, 0, result.stderr);
  const files = await readdir(dest);
  for (const name of ['model.json', 'labels.json', 'preprocessing.json', 'README.md']) assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
  assert.deepEqual(JSON.parse(await readFile(path.join(dest, 'labels.json'), 'utf8')), ['dark', 'light']);
  assert.match(result.stdout, /Checked: the reloaded model predicts like the trained one on \d+ /);
  assert.match(await readFile(path.join(dest, 'README.md'), 'utf8'), /loadLayersModel/);

  // A second export to the same (now non-empty) folder names it and leaves the files as they were.
  const readmeBefore = await readFile(path.join(dest, 'README.md'), 'utf8');
  await writeFile(path.join(dest, 'notes.txt'), 'mine');
  assertUserError(cli(['export', runDir, dest]), dest, /not empty/);
  assert.equal(await readFile(path.join(dest, 'notes.txt'), 'utf8'), 'mine');
  assert.equal(await readFile(path.join(dest, 'README.md'), 'utf8'), readmeBefore);
});

test('export --json prints the result with its verification; an empty existing folder is accepted', async () => {
  const dest = path.join(dir, 'empty');
  await mkdir(dest);
  const result = cli(['export', runDir, '--out', dest, '--json']);
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { dir: string; verification: { maxAbsDifference: number; tolerance: number } };
  assert.equal(parsed.dir, dest);
  assert.ok(parsed.verification.maxAbsDifference <= parsed.verification.tolerance);
});

test('export --format keras and --format h5 write model.keras / model.h5 beside labels, preprocessing and a Python README, checked by reloading', async () => {
  for (const [format, file, load] of [
    ['keras', 'model.keras', 'keras.saving.load_model("model.keras")'],
    ['h5', 'model.h5', 'tf.keras.models.load_model("model.h5")'],
  ] as const) {
    const dest = path.join(dir, `exported-${format}`);
    const result = cli(['export', runDir, '--out', dest, '--format', format]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((await readdir(dest)).sort(), ['README.md', file, 'labels.json', 'preprocessing.json'].sort());
    assert.match(result.stdout, new RegExp(`Exported \\(${format}\\) to `));
    assert.match(result.stdout, /Checked: the reloaded model predicts like the trained one on \d+ /);
    const readme = await readFile(path.join(dest, 'README.md'), 'utf8');
    assert.ok(readme.includes(load), `README shows ${load}`);
    assert.match(readme, /```python\n/);
  }
});

test('export input mistakes exit 2 naming the file or the command line', async () => {
  assertUserError(cli(['export', runDir]), 'command line', /destination/);
  assertUserError(cli(['export', runDir, path.join(dir, 'out'), '--out', path.join(dir, 'out2')]), 'command line', /one destination/);
  assertUserError(cli(['export', runDir, '--out', path.join(dir, 'out'), '--format', 'tflite']), 'command line (--format): "tflite" is not an export format. Use one of: tfjs, keras, h5.');
  assertUserError(cli(['export', path.join(dir, 'data'), path.join(dir, 'out')]), path.join(dir, 'data'), /model\.json/);
  await writeFile(path.join(dir, 'a-file'), 'x');
  assertUserError(cli(['export', runDir, path.join(dir, 'a-file')]), path.join(dir, 'a-file'), /not a folder/);
  for (const name of ['out', 'out2']) assert.equal(await stat(path.join(dir, name)).catch(() => undefined), undefined, 'nothing written for a failed export');
});

test('report writes report.md with the flowchart and charts; a folder that is not a run exits 2', async () => {
  const result = cli(['report', runDir]);
  assert.equal(result.status, 0, result.stderr);
  const report = await readFile(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /```mermaid/);
  assert.match(report, /## Phases/);
  assert.match(result.stdout, /report\.md/);
  assertUserError(cli(['report', path.join(dir, 'data')]), path.join(dir, 'data', 'summary.json'));
  assertUserError(cli(['report']), 'command line');
  assert.match(cli(['--help']).stdout, /finetune-guide export <run dir> --out <dest> \[--format tfjs\|keras\|h5\]/);
});
