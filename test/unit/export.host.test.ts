/**
 * Classify Image's and Export Model's host requests against the real host (dist/host.js, built by
 * `npm run build`) on a tiny run trained by the CLI, and the export-mismatch error through the client.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ExportModelRequest, PredictRequest } from '../../src/protocol/host';
import type { TrainingEvent } from '../../src/protocol/run';
import { HostExportMismatchError, HostUserError } from '../../src/extension/host/hostErrors';
import type { HostLog } from '../../src/extension/host/hostClient';
import { withModelHost } from '../../src/extension/host/modelHost';
import { writeTinyProject } from '../fixtures/train/tinyProject';

const dist = path.resolve(__dirname, '../../dist');
const log: HostLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const realHost = { script: path.join(dist, 'host.js'), log };

let dir = '';
let runDir = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftg-host-export-'));
  await writeTinyProject(dir, { epochs: 1 });
  const trained = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'train', dir, '--json', '--backend', 'cpu'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(trained.status, 0, trained.stderr);
  const lines = trained.stdout.trim().split('\n');
  const done = JSON.parse(lines[lines.length - 1]) as TrainingEvent;
  assert.ok(done.type === 'done' && done.status === 'completed');
  runDir = done.runDir;
});

after(() => rm(dir, { recursive: true, force: true }));

test('predict returns the top classes of each image, in order; a missing image is a user error naming it', async () => {
  const images = [path.join(dir, 'data', 'dark', '0.png'), path.join(dir, 'data', 'light', '1.png')];
  await withModelHost(realHost, async (host) => {
    const { predictions } = await host.request(PredictRequest, { modelDir: runDir, files: images, topK: 3 });
    assert.deepEqual(predictions.map((p) => p.file), images);
    for (const p of predictions) {
      // Two classes: top-3 is capped at 2, most probable first, summing to 1 (softmax).
      assert.deepEqual([...p.top.map((t) => t.label)].sort(), ['dark', 'light']);
      assert.ok(p.top[0].probability >= p.top[1].probability);
      assert.ok(Math.abs(p.top[0].probability + p.top[1].probability - 1) < 1e-4);
    }
    const missing = path.join(dir, 'nope.png');
    await assert.rejects(host.request(PredictRequest, { modelDir: runDir, files: [missing] }), (error: unknown) => {
      assert.ok(error instanceof HostUserError, String(error));
      assert.equal(error.data?.file, missing);
      return true;
    });
  });
});

test('export writes the folder and its verification; a non-empty folder is refused and left as it was', async () => {
  const dest = path.join(dir, 'exported');
  await withModelHost(realHost, async (host) => {
    const result = await host.request(ExportModelRequest, { runDir, destDir: dest });
    assert.equal(result.dir, dest);
    assert.deepEqual(result.classes, ['dark', 'light']);
    assert.ok(result.verification.samples > 0);
    assert.ok(result.verification.maxAbsDifference <= result.verification.tolerance);
    const files = await readdir(dest);
    for (const name of ['model.json', 'labels.json', 'preprocessing.json', 'README.md']) assert.ok(files.includes(name), name);

    await writeFile(path.join(dest, 'mine.txt'), 'keep');
    await assert.rejects(host.request(ExportModelRequest, { runDir, destDir: dest }), (error: unknown) => {
      assert.ok(error instanceof HostUserError, String(error));
      assert.equal(error.data?.file, dest);
      assert.match(error.message, /not empty/);
      return true;
    });
    assert.equal(await readFile(path.join(dest, 'mine.txt'), 'utf8'), 'keep');

    // The request's format reaches the writer; an unknown one is the user's, naming the field and the choices.
    const h5 = path.join(dir, 'exported-h5');
    const asH5 = await host.request(ExportModelRequest, { runDir, destDir: h5, format: 'h5' });
    assert.deepEqual([...asH5.files].sort(), ['README.md', 'labels.json', 'model.h5', 'preprocessing.json']);
    await assert.rejects(host.request(ExportModelRequest, { runDir, destDir: path.join(dir, 'exported-x'), format: 'onnx' }), (error: unknown) => {
      assert.ok(error instanceof HostUserError, String(error));
      assert.equal(error.data?.field, 'format');
      assert.match(error.message, /"onnx" is not an export format\. Use one of: tfjs, keras, h5\./);
      return true;
    });
  });
});

test('an export that fails its reload check arrives as HostExportMismatchError with the numbers', async () => {
  const fake = { script: path.join(__dirname, 'export-host.fixture.ts'), log, execArgv: ['--import', 'tsx'] };
  await withModelHost(fake, async (host) => {
    await assert.rejects(host.request(ExportModelRequest, { runDir: '/runs/1', destDir: '/out' }), (error: unknown) => {
      assert.ok(error instanceof HostExportMismatchError, String(error));
      assert.equal(error.verification?.maxAbsDifference, 0.25);
      assert.match(error.message, /\/out: the exported model predicts differently/);
      return true;
    });
  });
});
