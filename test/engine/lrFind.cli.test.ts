/**
 * `finetune-guide lr-find` in process on the tiny project: it prints the suggestion, writes
 * lr-find.json and a PNG sharp can read into <runs>/lr-find/phase-N/, leaves finetune.json and the
 * runs alone (run listing skips the folder), and exits 2 on a phase that does not exist.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, test } from 'node:test';
import sharp from 'sharp';
import type { LrFindFile } from '../../src/protocol/lrFind';
import { cli } from '../fixtures/cli/runInProcess';
import { listRunIds, lrFindPaths, readLrFindFile } from '../../src/runs';
import { writeTinyProject } from '../fixtures/train/tinyProject';
import { withTempDir } from '../fixtures/tempDir';

before(async () => {
  await tf.setBackend('cpu');
});

test('lr-find prints the suggestion, writes lr-find.json and a PNG, and changes neither the project nor the runs', () =>
  withTempDir('ftg-lrfind-', async (dir) => {
    const project = await writeTinyProject(dir);
    const projectText = await readFile(project, 'utf8');
    const runsDir = path.join(dir, 'runs');
    const started = Date.now();
    const result = await cli('lr-find', dir, '--backend', 'cpu');
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.code, 0, result.err);
    const printed = /suggested learning rate: (\S+)/.exec(result.out)?.[1];
    assert.ok(printed, result.out);
    const { file, chart } = lrFindPaths(runsDir, 1);
    const written = JSON.parse(await readFile(file, 'utf8')) as LrFindFile;
    assert.deepEqual(await readLrFindFile(runsDir, 1), written);
    assert.equal(written.phase, 1);
    assert.equal(written.phaseName, 'head');
    assert.equal(written.suggestion, Number(printed));
    assert.equal(written.rates[0], 1e-7);
    assert.ok(written.rates.length > 10 && written.rates.length <= 100);
    assert.equal(written.losses.length, written.rates.length);
    assert.equal(written.smoothedLosses.length, written.rates.length);
    // The suggestion is a rate of the sweep (rounded to two digits as printed).
    const suggestion = written.suggestion as number;
    assert.ok(written.rates.some((rate) => Math.abs(rate / suggestion - 1) < 0.05), String(suggestion));
    const png = await sharp(chart).metadata();
    assert.equal(png.format, 'png');
    assert.ok((png.width ?? 0) >= 600 && (png.height ?? 0) >= 300);
    assert.equal(await readFile(project, 'utf8'), projectText, 'finetune.json unchanged');
    assert.deepEqual(await listRunIds(runsDir), [], 'no run folder, and lr-find is not listed as a run');
    console.log(`lr-find on the tiny project: ${written.rates.length} steps (${written.stoppedBy}), suggestion ${suggestion}, ${seconds.toFixed(1)} s, cache ${written.cacheUsed}`);
  }));

test('lr-find --phase 2 sweeps the second phase; --json prints one line with the paths', () =>
  withTempDir('ftg-lrfind-', async (dir) => {
    await writeTinyProject(dir);
    const result = await cli('lr-find', path.join(dir, 'finetune.json'), '--phase', '2', '--backend', 'cpu', '--json');
    assert.equal(result.code, 0, result.err);
    const line = JSON.parse(result.out.trim()) as { type: string; phase: number; phaseName: string; file: string; chart: string; suggestion: number | null };
    assert.equal(line.type, 'lrFind');
    assert.equal(line.phase, 2);
    assert.equal(line.phaseName, 'tune');
    assert.equal(line.file, lrFindPaths(path.join(dir, 'runs'), 2).file);
    assert.equal((await readLrFindFile(path.join(dir, 'runs'), 2))?.suggestion, line.suggestion);
  }));

test('lr-find exits 2 naming the problem: no such phase, a bad --phase, a phase with nothing to train, no project', () =>
  withTempDir('ftg-lrfind-', async (dir) => {
    const project = await writeTinyProject(dir);
    const noPhase = await cli('lr-find', dir, '--phase', '9', '--backend', 'cpu');
    assert.equal(noPhase.code, 2);
    assert.match(noPhase.err, /finetune\.json \(phases\): has no phase 9 .*1 "head", 2 "tune"/);
    assert.doesNotMatch(noPhase.err, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    const badPhase = await cli('lr-find', dir, '--phase', 'two');
    assert.equal(badPhase.code, 2);
    assert.match(badPhase.err, /--phase "two"/);
    const config = JSON.parse(await readFile(project, 'utf8'));
    config.phases[1].trainable = { layers: ['top_pool'] };
    await writeFile(project, JSON.stringify(config));
    const nothing = await cli('lr-find', dir, '--phase', '2', '--backend', 'cpu');
    assert.equal(nothing.code, 2);
    assert.match(nothing.err, /phases\[1\]\.trainable/);
    const missing = await cli('lr-find', path.join(dir, 'nowhere'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nowhere/);
    assert.equal((await cli('lr-find')).code, 2);
  }));
