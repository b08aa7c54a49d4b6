/**
 * One benchmark process (bundled and started by scripts/bench.mjs): one backend setup, the built-in
 * MobileNetV2 cut at out_relu + head, batch 32, and the tasks asked for. Prints one `RESULT {json}`
 * line per measurement. Each setup runs in its own process: wasm's thread count and kernels are
 * fixed per process.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend, planPhaseExecution, shutdownBackend, type SampleBatchSource, type TrainBatchSource } from '../../src/engine/backend';
import { defaultProject } from '../../src/engine/config/defaults';
import type { TrainableSpec } from '../../src/protocol/config';
import { applyFreezePlan, prepareModel, resolveTrainable, type PreparedModel } from '../../src/engine/model';

type Row = 'ours' | 'plain' | 'cpu' | 'tensorflow';
type Task = 'a' | 'b' | 'c' | 'd' | 'e1' | 'e2';

interface Job {
  readonly row: Row;
  readonly sizes: number[];
  readonly tasks: Task[];
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
  readonly images: number;
  readonly epochs: number;
  readonly threads?: number;
}

const CLASSES = 5;
const SPECS: Record<'a' | 'b' | 'c' | 'd' | 'e1' | 'e2', TrainableSpec> = {
  a: 'head', b: 'head', c: { lastBlocks: 2 }, d: 'all', e1: 'head', e2: { lastBlocks: 2 },
};

function emit(result: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** `count` random images (seeded), served in fixed batches with ids, `batches` per epoch. */
function syntheticSource(size: number, count: number, batch: number, seed: number): SampleBatchSource & { dispose(): void } {
  const xsAll = tf.randomUniform([count, size, size, 3], 0, 1, 'float32', seed);
  const ysAll = tf.tidy(() => tf.oneHot(tf.randomUniform([count], 0, CLASSES, 'int32', seed + 1), CLASSES).toFloat());
  return {
    size: count,
    batchesPerEpoch: Math.ceil(count / batch),
    async *batches() {
      for (let start = 0; start < count; start += batch) {
        const n = Math.min(batch, count - start);
        yield {
          xs: tf.slice(xsAll, [start, 0, 0, 0], [n, -1, -1, -1]),
          ys: tf.slice(ysAll, [start, 0], [n, -1]),
          ids: Array.from({ length: n }, (_, i) => `img-${seed}-${start + i}`),
        };
      }
    },
    dispose: () => tf.dispose([xsAll, ysAll]),
  };
}

function freeze(prepared: PreparedModel, spec: TrainableSpec): void {
  applyFreezePlan(prepared.model, resolveTrainable(prepared.layers, spec), 'inference');
}

const NO_AUGMENTATION = { horizontalFlip: false, shift: 0, brightness: 0 };

/** Median images per second over `steps` timed batches after `warmup` untimed ones (the median resists other processes' bursts). */
async function timeBatches(job: Job, source: TrainBatchSource, step: (xs: tf.Tensor, ys: tf.Tensor) => Promise<void>): Promise<number> {
  const rates: number[] = [];
  let done = 0;
  for (let epoch = 0; done < job.warmup + job.steps; epoch++) {
    let start = performance.now();
    for await (const { xs, ys } of source.batches(epoch)) {
      await step(xs, ys);
      tf.dispose([xs, ys]);
      const now = performance.now();
      if (done >= job.warmup) rates.push(job.batch / ((now - start) / 1000));
      start = performance.now();
      if (++done >= job.warmup + job.steps) break;
    }
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

async function measure(job: Job, prepared: PreparedModel, size: number, task: Task): Promise<void> {
  const model = prepared.model;
  const ours = job.row === 'ours';
  freeze(prepared, SPECS[task]);
  if (task === 'e1' || task === 'e2') {
    const data = syntheticSource(size, job.images, job.batch, 7);
    for (const cache of [false, true]) {
      const exec = planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: `bench-${size}`, cache });
      exec.model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      // Warm up the suffix's kernels on one batch outside the timing (as for PyTorch).
      const warm = exec.model.inputs[0].shape.slice(1) as number[];
      tf.dispose(await exec.model.trainOnBatch(tf.zeros([job.batch, ...warm]), tf.oneHot(tf.zeros([job.batch], 'int32'), CLASSES).toFloat()));
      const start = performance.now();
      for (let epoch = 0; epoch < job.epochs; epoch++) {
        for await (const { xs, ys } of exec.train.batches(epoch)) {
          await exec.model.trainOnBatch(xs, ys);
          tf.dispose([xs, ys]);
        }
      }
      emit({ row: job.row, size, task, value: (performance.now() - start) / 1000, unit: 's', mode: cache ? 'cache' : 'recompute' });
      exec.dispose();
    }
    data.dispose();
    return;
  }
  const data = syntheticSource(size, job.batch, job.batch, 3);
  try {
    if (task === 'a') {
      const exec = ours ? planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: 'bench', cache: false }) : null;
      const source = exec ? exec.val : data;
      const net = exec ? exec.model : model;
      const value = await timeBatches(job, source, async (xs) => {
        const p = net.predict(xs) as tf.Tensor;
        await p.data();
        p.dispose();
      });
      exec?.dispose();
      emit({ row: job.row, size, task, value, unit: 'img/s' });
      return;
    }
    // Ours trains the suffix after the (BN-folded) frozen prefix, recomputed every step; the others the whole model.
    const exec = ours ? planPhaseExecution({ model, train: data, val: data, augmentation: NO_AUGMENTATION, pipelineKey: 'bench', cache: false }) : null;
    const net = exec ? exec.model : model;
    net.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const value = await timeBatches(job, exec ? exec.train : data, async (xs, ys) => {
      await net.trainOnBatch(xs, ys);
    });
    exec?.dispose();
    emit({ row: job.row, size, task, value, unit: 'img/s', ...(exec?.prefix ? { prefix: exec.prefix.lastLayer } : {}) });
  } finally {
    data.dispose();
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const preference = job.row === 'ours' || job.row === 'plain' ? 'wasm' : job.row;
  const threads = job.row === 'plain' ? 1 : (job.threads ?? os.availableParallelism());
  const info = await initBackend(preference, { threads, wasmKernels: job.row === 'plain' ? 'none' : 'all' });
  emit({ row: job.row, info: `${info.name}, ${info.threads} thread(s)` });
  for (const size of job.sizes) {
    const config = defaultProject({ inputSize: size });
    const prepared = await prepareModel(config, process.cwd(), CLASSES);
    for (const task of job.tasks) {
      try {
        await measure(job, prepared, size, task);
      } catch (error) {
        emit({ row: job.row, size, task, error: (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 160) });
      }
    }
    prepared.model.dispose();
  }
  shutdownBackend();
}

void main();
