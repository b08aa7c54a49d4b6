// `npm run bench`: images/s of the built-in MobileNetV2 (cut at out_relu + head), batch 32, at 96x96
// and 128x128, side by side in one run: this project's wasm path, plain tfjs-backend-wasm, the cpu
// backend (short runs), tfjs-node when installed, and PyTorch when Debian's python3-torch is there.
// Each setup runs in its own process, one after another (they would fight over the cores).
// Options: --sizes 96,128  --steps 4  --quick (sizes 96, steps 2, fewer images)  --rows ours,plain,cpu,tensorflow,pytorch,import,demo
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { describeMachine } from './machine.mjs';
import { benchDemo, demoTable } from './bench/demoEndToEnd.mjs';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const sizes = option('--sizes', quick ? '96' : '96,128').split(',').map(Number);
const steps = Number(option('--steps', quick ? '3' : '5'));
const images = Number(option('--images', quick ? '64' : '160'));
const epochs = 5;
const batch = 32;
const threads = os.availableParallelism();
const wantedRows = option('--rows', 'ours,plain,cpu,tensorflow,pytorch,import,demo').split(',');

// The worker is TypeScript from src/: bundle it like dist/host.js (tfjs-backend-wasm external).
const workerFile = join(root, '.cache', 'bench', 'worker.js');
mkdirSync(dirname(workerFile), { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'scripts', 'bench', 'worker.ts')],
  outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  mainFields: ['module', 'main'], external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'sharp'],
});

// The import timer (scripts/bench/importModels.ts) likewise.
const importFile = join(root, '.cache', 'bench', 'importModels.js');
await esbuild.build({
  entryPoints: [join(root, 'scripts', 'bench', 'importModels.ts')],
  outfile: importFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  mainFields: ['module', 'main'], external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', 'sharp', 'h5wasm'],
});

const hasTfjsNode = (() => {
  try {
    createRequire(join(root, 'package.json')).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
const hasTorch = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const ALL = ['a', 'b', 'c', 'd', 'e1', 'e2'];
/** label, command, and a time limit (the cpu backend needs minutes per step when conv layers train). */
const rows = [
  { row: 'ours', label: `this project: wasm ${threads}t + our kernels + BN folding (cache in (e))`, tasks: ALL, limit: 400 },
  { row: 'plain', label: 'tfjs-backend-wasm 4.22 as shipped (1 thread in Node)', tasks: ['a', 'b', 'c', 'd'], limit: 120 },
  { row: 'cpu', label: 'tfjs cpu backend (pure JS, 1 step)', tasks: ['a', 'b'], limit: 100, steps: 1, warmup: 0 },
  { row: 'tensorflow', label: 'tfjs-node', tasks: ALL, limit: 300, skip: hasTfjsNode ? null : '@tensorflow/tfjs-node is not installed' },
  { row: 'pytorch', label: `PyTorch ${hasTorch ? torchVersion() : ''} ${threads}t channels_last`, tasks: ALL, limit: 300, skip: hasTorch ? null : 'python3-torch is not installed' },
].filter((r) => wantedRows.includes(r.row));

function torchVersion() {
  return execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
}

/** Runs one setup; resolves with its JSON results (partial when it hits its time limit). */
function runRow(r) {
  const job = { row: r.row, sizes, tasks: r.tasks, batch, steps: r.steps ?? steps, warmup: r.warmup ?? 1, images, epochs, threads };
  const [cmd, argv] = r.row === 'pytorch'
    ? ['/usr/bin/python3', [join(root, 'scripts', 'bench_torch.py'), '--sizes', sizes.join(','), '--batch', String(batch), '--steps', String(steps), '--threads', String(threads), '--images', String(images), '--epochs', String(epochs), '--tasks', r.tasks.join(',')]]
    : [process.execPath, [workerFile, JSON.stringify(job)]];
  return new Promise((resolvePromise) => {
    const results = [];
    const child = spawn(cmd, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        const text = line.startsWith('RESULT ') ? line.slice(7) : line.startsWith('{') ? line : null;
        if (!text) continue;
        const result = JSON.parse(text);
        results.push(result);
        process.stderr.write(`  ${r.row}: ${JSON.stringify(result)}\n`);
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      results.push({ row: r.row, timedOut: r.limit });
      child.kill('SIGKILL');
    }, r.limit * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code && !results.some((x) => x.timedOut)) results.push({ row: r.row, error: stderr.trim().split('\n').slice(-1)[0] ?? `exit ${code}` });
      resolvePromise(results);
    });
  });
}

const started = Date.now();
const loadAtStart = os.loadavg();
const load = () => os.loadavg()[0].toFixed(1);
const all = [];
for (const r of rows) {
  if (r.skip) continue;
  process.stderr.write(`${r.label} (load ${load()})\n`);
  all.push(...(await runRow(r)));
}

// ---- import: each model file loaded in a fresh process ----------------------------------------
const imports = [];
if (wantedRows.includes('import')) {
  const dir = join(root, '.cache', 'bench', 'import');
  process.stderr.write(`model import (load ${load()})\n`);
  execFileSync(process.execPath, [importFile, 'make', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const realTeachable = resolve(root, '..', 'shared', 'fixtures', 'real-models', 'teachable-machine-tfjs_waste', 'my_model', 'model.json');
  const files = [
    ['Teachable-Machine-shaped tfjs export (nested, built-in MobileNetV2 at 224 px)', join(dir, 'teachable', 'model.json')],
    ['Keras 3 .keras (built-in MobileNetV2 + head)', join(dir, 'keras', 'model.keras')],
    ['Keras .h5 (built-in MobileNetV2 + head)', join(dir, 'h5', 'model.h5')],
    ...(existsSync(realTeachable) ? [['real Teachable Machine export (../shared/fixtures, MobileNetV2 alpha 0.35)', realTeachable]] : []),
  ];
  for (const [label, file] of files) {
    try {
      const line = execFileSync(process.execPath, [importFile, 'load', file], { cwd: root, encoding: 'utf8', timeout: 120_000 }).trim().split('\n').pop();
      imports.push({ label, ...JSON.parse(line) });
    } catch (error) {
      imports.push({ label, error: String(error.stderr ?? error.message).trim().split('\n').pop() });
    }
  }
}

// ---- the demo end to end, with and without cached augmented views --------------------------------
let demoRows = [];
if (wantedRows.includes('demo')) {
  process.stderr.write(`demo end to end (load ${load()})\n`);
  demoRows = benchDemo(join(root, 'dist', 'cli.js'));
}

// ---- table ------------------------------------------------------------------------------------
const TASKS = { a: '(a) inference', b: '(b) head only', c: '(c) top 2 blocks + head', d: '(d) everything' };
const find = (row, size, task, mode) => all.find((x) => x.row === row && x.size === size && x.task === task && (mode ? x.mode === mode : true));
const fmt = (x) => (x == null ? '' : x.error ? 'fails' : x.value >= 100 ? x.value.toFixed(0) : x.value.toFixed(1));
const shown = rows.filter((r) => !r.skip);
const out = [];
out.push(`Machine: ${describeMachine()}, load average at start ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} (other processes share the cores)`);
out.push('');
if (shown.length) {
  out.push(`### images/s, batch ${batch}, median of ${steps} steps (higher is better); in brackets: PyTorch's images/s divided by this setup's`);
  out.push('');
  out.push(`| task | size | ${shown.map((r) => r.label).join(' | ')} |`);
  out.push(`|---|---|${shown.map(() => '---|').join('')}`);
  for (const size of sizes) {
    for (const [task, name] of Object.entries(TASKS)) {
      const torch = find('pytorch', size, task);
      const cells = shown.map((r) => {
        const x = find(r.row, size, task);
        if (!x) return r.tasks.includes(task) ? 'not run (time limit)' : 'not run';
        if (x.error) return `fails: ${x.error.slice(0, 60)}`;
        const ratio = torch && !torch.error && r.row !== 'pytorch' ? ` (${(torch.value / x.value).toFixed(1)}x)` : '';
        return `${fmt(x)}${ratio}`;
      });
      out.push(`| ${name} | ${size} | ${cells.join(' | ')} |`);
    }
  }
  out.push('');
  out.push(`### (e) ${epochs} epochs x ${images} images (batch ${batch}): seconds, prefix recomputed every step vs cached once (includes building the cache)`);
  out.push('');
  out.push('| phase | size | setup | recompute s | cached s | speedup |');
  out.push('|---|---|---|---|---|---|');
  for (const size of sizes) {
    for (const [task, name] of [['e1', 'phase 1 (head)'], ['e2', 'phase 2 (top 2 blocks + head)']]) {
      for (const r of shown) {
        const a = find(r.row, size, task, 'recompute');
        const b = find(r.row, size, task, 'cache');
        if (!a && !b) continue;
        out.push(`| ${name} | ${size} | ${r.label} | ${a ? a.value.toFixed(2) : ''} | ${b ? b.value.toFixed(2) : ''} | ${a && b ? (a.value / b.value).toFixed(1) + 'x' : ''} |`);
      }
    }
  }
}
if (imports.length) {
  out.push('');
  out.push('### model import: read, flatten, build and set weights, in a fresh process (seconds; cpu backend)');
  out.push('');
  out.push('| model file | size MB | layers | seconds |');
  out.push('|---|---|---|---|');
  for (const x of imports) out.push(x.error ? `| ${x.label} | | | fails: ${x.error.slice(0, 80)} |` : `| ${x.label} | ${x.megabytes.toFixed(1)} | ${x.layers} | ${x.seconds.toFixed(2)} |`);
}
if (demoRows.length) out.push('', ...demoTable(demoRows));
const notes = all.filter((x) => x.info || x.timedOut || (x.error && !x.task));
if (notes.length) {
  out.push('');
  for (const n of notes) out.push(`- ${n.row}: ${n.info ?? (n.timedOut ? `stopped at its ${n.timedOut} s limit` : n.error)}`);
}
for (const r of rows.filter((x) => x.skip)) out.push(`- ${r.label}: not run (${r.skip})`);
out.push('');
out.push(`Total ${((Date.now() - started) / 1000).toFixed(0)} s; load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.`);
console.log(out.join('\n'));
if (!existsSync(workerFile)) process.exitCode = 1;
