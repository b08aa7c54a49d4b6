#!/usr/bin/env node
/**
 * Peak memory of `finetune-guide train` against the number of images (issue 7, "Limits").
 *
 * For each N it writes N synthetic 224x224 JPEGs across 5 classes into a temp folder, creates a
 * project with the built-in MobileNetV2 at inputSize 224 and ONE phase (head only, 1 epoch, batch 32),
 * runs `node dist/cli.js train --json` and samples the child's VmHWM (peak resident set, from
 * /proc/<pid>/status) until it exits. Prints a table: images, peak RSS MiB, seconds, steps, status.
 *
 * Usage: npm run measure:memory -- [--images 1000,5000] [--max-steps S] [--backend wasm|cpu]
 *   --max-steps S stops the run with Ctrl-C (SIGINT: it ends at the next batch, cleanly) after S
 *   training batches, to bound the time on a slow machine; the table then says how many steps ran.
 * Needs `npm run build` first and Linux (/proc). Everything is written under one temp folder,
 * removed at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { describeMachine } from './machine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SIDE = 224;
const CLASSES = ['red', 'green', 'blue', 'grey', 'yellow'];
const TINTS = [[200, 40, 40], [40, 180, 60], [40, 60, 200], [128, 128, 128], [220, 200, 40]];

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '1000,5000' },
    'max-steps': { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const counts = values.images.split(',').map(Number);
const maxSteps = values['max-steps'] === undefined ? Infinity : Number(values['max-steps']);
if (counts.some((n) => !Number.isInteger(n) || n < CLASSES.length * 2)) throw new Error(`--images: whole numbers >= ${CLASSES.length * 2}, comma-separated`);

/** A class-tinted pattern that differs per image (so no two JPEGs are equal and decoding is real work). */
function pixels(classIndex, index) {
  const data = Buffer.alloc(SIDE * SIDE * 3);
  const [r, g, b] = TINTS[classIndex];
  let seed = (index + 1) * 2654435761 + classIndex;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 24) - 128;
      const wave = ((x + index) % 32 < 16 ? 30 : -30) + ((y * (classIndex + 1)) % 24 < 12 ? 20 : -20);
      const o = (y * SIDE + x) * 3;
      data[o] = Math.max(0, Math.min(255, r + wave + (noise >> 2)));
      data[o + 1] = Math.max(0, Math.min(255, g + wave + (noise >> 2)));
      data[o + 2] = Math.max(0, Math.min(255, b - wave + (noise >> 2)));
    }
  }
  return data;
}

async function writeImages(dataDir, total) {
  for (let c = 0; c < CLASSES.length; c++) await mkdir(path.join(dataDir, CLASSES[c]), { recursive: true });
  for (let i = 0; i < total; i++) {
    const c = i % CLASSES.length;
    await sharp(pixels(c, i), { raw: { width: SIDE, height: SIDE, channels: 3 } })
      .jpeg({ quality: 85 })
      .toFile(path.join(dataDir, CLASSES[c], `${String(i).padStart(5, '0')}.jpg`));
  }
}

async function makeProject(dir, total) {
  const dataDir = path.join(dir, 'data');
  await writeImages(dataDir, total);
  const init = spawnSync(process.execPath, [CLI, 'init', dir, '--model', 'builtin:mobilenet_v2', '--data', dataDir], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`init failed (${init.status}): ${init.stderr}`);
  const file = path.join(dir, 'finetune.json');
  const config = JSON.parse(await readFile(file, 'utf8'));
  config.model.inputSize = SIDE;
  config.data.validationSplit = 0.1;
  config.phases = [{ name: 'head', epochs: 1, batchSize: 32, optimizer: 'adam', learningRate: 0.001, trainable: 'head' }];
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

function peakRssKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process has exited
  }
}

/** Runs training, sampling VmHWM every 100 ms; resolves with the peak, seconds, steps and exit code. */
function train(projectFile) {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'train', projectFile, '--json', '--backend', values.backend], { stdio: ['ignore', 'pipe', 'pipe'] });
  let peak = 0;
  let steps = 0;
  let stopping = false;
  let status = 'unknown';
  let stderr = '';
  const timer = setInterval(() => { peak = Math.max(peak, peakRssKiB(child.pid)); }, 100);
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    peak = Math.max(peak, peakRssKiB(child.pid));
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line);
      if (event.type === 'batch') steps += 1;
      if (event.type === 'done') status = event.status;
      if (steps >= maxSteps && !stopping) {
        stopping = true;
        child.kill('SIGINT');
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-2000); });
  return new Promise((resolve) => child.on('close', (code) => {
    clearInterval(timer);
    resolve({ peakMiB: peak / 1024, seconds: (Date.now() - started) / 1000, steps, status, code, stderr });
  }));
}

const work = await mkdtemp(path.join(tmpdir(), 'ftg-measure-memory-'));
const rows = [];
try {
  for (const total of counts) {
    const dir = path.join(work, `n${total}`);
    const made = Date.now();
    const projectFile = await makeProject(dir, total);
    process.stderr.write(`${total} images written in ${((Date.now() - made) / 1000).toFixed(0)} s; training...\n`);
    const result = await train(projectFile);
    if (result.code !== 0 && result.code !== 130) process.stderr.write(`train exited ${result.code}:\n${result.stderr}\n`);
    rows.push({ total, ...result });
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

console.log(`Machine: ${describeMachine()}`);
console.log(`backend ${values.backend}; 1 phase, head only, 1 epoch, batch 32, inputSize ${SIDE}, validationSplit 0.1${Number.isFinite(maxSteps) ? `; stopped after ${maxSteps} steps` : ''}`);
console.log('| images | peak RSS (MiB) | seconds | training steps | status |');
console.log('|---:|---:|---:|---:|---|');
for (const row of rows) console.log(`| ${row.total} | ${row.peakMiB.toFixed(0)} | ${row.seconds.toFixed(0)} | ${row.steps} | ${row.status === 'unknown' ? `exit ${row.code}` : row.status} |`);
