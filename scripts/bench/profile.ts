/**
 * Where a training step's time goes, by kernel, on this project's wasm path: the built-in
 * MobileNetV2 (cut at out_relu + head), phase (b) head only, (c) top 2 blocks + head and (d) everything, batch 32.
 * Every `wasm` kernel is wrapped with a timer; kernels that run other kernels (ours, written with
 * tf ops) are charged only their own time ("self"), so the column sums to the step time.
 * Short on purpose (the machine is shared): 1 warm-up step, then `--steps` (default 2) profiled.
 * Run: node --import tsx scripts/bench/profile.ts [--size 128] [--tasks c,d] [--steps 2] [--top 25] [--by-shape]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, planPhaseExecution, shutdownBackend } from '../../src/engine/backend';
import { defaultProject } from '../../src/engine/config/defaults';
import type { TrainableSpec } from '../../src/protocol/config';
import { applyFreezePlan, prepareModel, resolveTrainable } from '../../src/engine/model';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const size = Number(option('--size', '128'));
const tasks = option('--tasks', 'c,d').split(',') as ('b' | 'c' | 'd')[];
const steps = Number(option('--steps', '2'));
const top = Number(option('--top', '25'));
/** --by-shape: one row per kernel and input shapes (to find which calls of a kernel are slow). */
const byShape = args.includes('--by-shape');
const BATCH = 32;
const CLASSES = 5;
const SPECS: Record<'b' | 'c' | 'd', TrainableSpec> = { b: 'head', c: { lastBlocks: 2 }, d: 'all' };

interface Tally {
  calls: number;
  selfMs: number;
  bytes: number;
}
const tallies = new Map<string, Tally>();
let recording = false;
/** Milliseconds spent in nested kernels, per open kernel call (innermost last). */
const childTime: number[] = [];

/** Re-registers every wasm kernel with a timer around it (the kernel registry is keyed by name). */
function wrapWasmKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (kernelArgs) => {
        childTime.push(0);
        const start = performance.now();
        const out = inner(kernelArgs);
        const total = performance.now() - start;
        const nested = childTime.pop() ?? 0;
        if (childTime.length > 0) childTime[childTime.length - 1] += total;
        if (recording) {
          const shapes = byShape ? ` ${Object.entries(kernelArgs.inputs).map(([n, t]) => `${n}[${t?.shape.join(',') ?? ''}]`).join(' ')}` : '';
          const key = `${config.kernelName}${shapes}`;
          const t = tallies.get(key) ?? { calls: 0, selfMs: 0, bytes: 0 };
          t.calls += 1;
          t.selfMs += total - nested;
          const outs = Array.isArray(out) ? out : [out];
          for (const o of outs) t.bytes += o.shape.reduce((a, b) => a * b, 1) * 4;
          tallies.set(key, t);
        }
        return out;
      },
    });
  }
}

async function profileTask(task: 'b' | 'c' | 'd'): Promise<void> {
  const prepared = await prepareModel(defaultProject({ inputSize: size }), process.cwd(), CLASSES);
  applyFreezePlan(prepared.model, resolveTrainable(prepared.layers, SPECS[task]), 'inference');
  const xs = tf.randomUniform([BATCH, size, size, 3], 0, 1, 'float32', 3);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, 'int32', 4), CLASSES).toFloat());
  const source = {
    size: BATCH,
    batchesPerEpoch: 1,
    async *batches() {
      yield { xs: xs.clone(), ys: ys.clone(), ids: Array.from({ length: BATCH }, (_, i) => `p${i}`) };
    },
  };
  const exec = planPhaseExecution({ model: prepared.model, train: source, val: source, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 }, pipelineKey: 'profile', cache: false });
  exec.model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  tallies.clear();
  let stepMs = 0;
  for (let step = 0; step < steps + 1; step++) {
    recording = step > 0;
    const start = performance.now();
    for await (const batch of exec.train.batches(step)) {
      await exec.model.trainOnBatch(batch.xs, batch.ys);
      tf.dispose([batch.xs, batch.ys]);
    }
    if (recording) stepMs += performance.now() - start;
  }
  recording = false;
  const perStep = stepMs / steps;
  const rows = [...tallies.entries()].sort((a, b) => b[1].selfMs - a[1].selfMs);
  const kernelMs = rows.reduce((s, [, t]) => s + t.selfMs, 0) / steps;
  console.log(`\n## (${task}) ${JSON.stringify(SPECS[task])} at ${size}px, batch ${BATCH}: ${perStep.toFixed(0)} ms/step (${((BATCH * 1000) / perStep).toFixed(1)} img/s); kernels ${kernelMs.toFixed(0)} ms, outside kernels ${(perStep - kernelMs).toFixed(0)} ms`);
  console.log('| kernel | ms/step (self) | share | calls/step | MB out/step |');
  console.log('|---|---|---|---|---|');
  for (const [name, t] of rows.slice(0, top)) {
    console.log(`| ${name} | ${(t.selfMs / steps).toFixed(1)} | ${((100 * t.selfMs) / steps / perStep).toFixed(1)}% | ${t.calls / steps} | ${(t.bytes / steps / 2 ** 20).toFixed(0)} |`);
  }
  exec.dispose();
  tf.dispose([xs, ys]);
  prepared.model.dispose();
}

async function main(): Promise<void> {
  const info = await initBackend('wasm', { threads: Number(option('--threads', '2')) });
  console.log(`backend ${info.name}, ${info.threads} thread(s)`);
  wrapWasmKernels();
  for (const task of tasks) await profileTask(task);
  shutdownBackend();
}

void main();
