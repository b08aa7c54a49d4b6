/**
 * Our wasm kernels against the cpu backend's kernels on the same inputs: strides 1, 2 and uneven,
 * same/valid/explicit padding, several kernel sizes and depth multipliers. Relative difference < 1e-5.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, shutdownBackend } from '../../src/engine/backend';
import { applyFreezePlan } from '../../src/engine/model';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number;
type Stride = number | [number, number];

before(async () => {
  const info = await initBackend('wasm', { threads: 2 });
  assert.equal(info.name, 'wasm');
});
after(() => shutdownBackend());

/** Deterministic values in [-1, 1) (mulberry32), so a failure reproduces. */
function values(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

interface KernelCase {
  readonly kernel: string;
  readonly inputs: Record<string, { shape: number[]; data: Float32Array }>;
  readonly attrs: Record<string, unknown>;
}

async function runOn(backend: 'wasm' | 'cpu', c: KernelCase): Promise<{ shape: number[]; data: Float32Array }> {
  assert.ok(await tf.setBackend(backend));
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(c.inputs)) inputs[name] = tf.tensor(v.data, v.shape);
  const out = tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape.slice(), data: (await out.data()) as Float32Array };
  tf.dispose([out, ...Object.values(inputs)]);
  return result;
}

/** max |wasm - cpu| / max |cpu|. */
async function relativeDifference(c: KernelCase): Promise<number> {
  const expected = await runOn('cpu', c);
  const actual = await runOn('wasm', c);
  assert.deepEqual(actual.shape, expected.shape, `${c.kernel} shape`);
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.data.length; i++) {
    diff = Math.max(diff, Math.abs(actual.data[i] - expected.data[i]));
    scale = Math.max(scale, Math.abs(expected.data[i]));
  }
  return diff / scale;
}

function outShape(x: Shape4, filter: Shape4, strides: Stride, pad: Pad, depthwise: boolean): Shape4 {
  const ci = tf.backend_util.computeConv2DInfo(x, filter, strides, 1, pad, undefined, depthwise, 'channelsLast');
  return ci.outShape as Shape4;
}

const inputs: Shape4[] = [
  [2, 7, 7, 3],
  [2, 8, 6, 4],
];
const kernelSizes: [number, number][] = [
  [1, 1],
  [3, 3],
  [5, 5],
  [3, 2],
];
const strideSet: Stride[] = [1, 2, [1, 2], [2, 3]];
const pads: Pad[] = ['same', 'valid', 1];

function* convCases(depthwise: boolean): Generator<{ x: Shape4; filter: Shape4; strides: Stride; pad: Pad; label: string }> {
  for (const x of inputs)
    for (const [kh, kw] of kernelSizes)
      for (const strides of strideSet)
        for (const pad of pads) {
          if (pad === 1 && kh === 1) continue; // explicit padding must not exceed the kernel
          for (const second of depthwise ? [1, 2] : [5, 2]) {
            const filter: Shape4 = [kh, kw, x[3], second];
            yield { x, filter, strides, pad, label: `x=${x} filter=${filter} strides=${strides} pad=${pad}` };
          }
        }
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

async function checkAll(kernel: string, depthwise: boolean, makeCase: (p: { x: Shape4; filter: Shape4; dy: Shape4; strides: Stride; pad: Pad }) => KernelCase): Promise<number> {
  let count = 0;
  let seed = 1;
  for (const p of convCases(depthwise)) {
    const dy = outShape(p.x, p.filter, p.strides, p.pad, depthwise);
    const c = makeCase({ ...p, dy });
    for (const v of Object.values(c.inputs)) v.data = values(size(v.shape), seed++);
    const rel = await relativeDifference(c);
    assert.ok(rel < 1e-5, `${kernel} ${p.label}: relative difference ${rel}`);
    count++;
  }
  return count;
}

const blank = (shape: number[]): { shape: number[]; data: Float32Array } => ({ shape, data: new Float32Array(0) });

test('Conv2DBackpropFilter matches cpu', async () => {
  const n = await checkAll('Conv2DBackpropFilter', false, ({ x, filter, dy, strides, pad }) => ({
    kernel: tf.Conv2DBackpropFilter,
    inputs: { x: blank(x), dy: blank(dy) },
    attrs: { strides, pad, dataFormat: 'NHWC', filterShape: filter },
  }));
  assert.ok(n >= 80, `${n} cases`);
});

test('Conv2DBackpropInput (faster replacement) matches cpu', async () => {
  await checkAll('Conv2DBackpropInput', false, ({ x, filter, dy, strides, pad }) => ({
    kernel: tf.Conv2DBackpropInput,
    inputs: { dy: blank(dy), filter: blank(filter) },
    attrs: { strides, pad, dataFormat: 'NHWC', inputShape: x },
  }));
});

test('DepthwiseConv2dNativeBackpropFilter matches cpu, multipliers 1 and 2', async () => {
  await checkAll('DepthwiseConv2dNativeBackpropFilter', true, ({ x, filter, dy, strides, pad }) => ({
    kernel: tf.DepthwiseConv2dNativeBackpropFilter,
    inputs: { x: blank(x), dy: blank(dy) },
    attrs: { strides, dilations: 1, pad, filterShape: filter },
  }));
});

test('DepthwiseConv2dNativeBackpropInput matches cpu, multipliers 1 and 2', async () => {
  await checkAll('DepthwiseConv2dNativeBackpropInput', true, ({ x, filter, dy, strides, pad }) => ({
    kernel: tf.DepthwiseConv2dNativeBackpropInput,
    inputs: { dy: blank(dy), filter: blank(filter) },
    attrs: { strides, dilations: 1, pad, inputShape: x },
  }));
});

test('dilated depthwise gradients fall back to the cpu kernel and still match', async () => {
  const x: Shape4 = [1, 9, 9, 2];
  const filter: Shape4 = [3, 3, 2, 1];
  const dyShape = tf.backend_util.computeConv2DInfo(x, filter, 1, 2, 'same', undefined, true, 'channelsLast').outShape;
  const cases: KernelCase[] = [
    { kernel: tf.DepthwiseConv2dNativeBackpropFilter, inputs: { x: blank(x), dy: blank(dyShape) }, attrs: { strides: 1, dilations: 2, pad: 'same', filterShape: filter } },
    { kernel: tf.DepthwiseConv2dNativeBackpropInput, inputs: { dy: blank(dyShape), filter: blank(filter) }, attrs: { strides: 1, dilations: 2, pad: 'same', inputShape: x } },
  ];
  for (const c of cases) {
    for (const v of Object.values(c.inputs)) v.data = values(size(v.shape), 99);
    const rel = await relativeDifference(c);
    assert.ok(rel < 1e-5, `${c.kernel}: ${rel}`);
  }
});

test('FusedBatchNorm, Tile, Slice, Sum and Mean replacements match cpu', async () => {
  const x = [4, 6, 6, 8];
  const vec = [8];
  const cases: KernelCase[] = [
    { kernel: tf.FusedBatchNorm, inputs: { x: blank(x), mean: blank(vec), variance: blank(vec), scale: blank(vec), offset: blank(vec) }, attrs: { varianceEpsilon: 1e-3 } },
    { kernel: tf.FusedBatchNorm, inputs: { x: blank(x), mean: blank(vec), variance: blank(vec) }, attrs: { varianceEpsilon: 1e-3 } },
    { kernel: tf.Tile, inputs: { x: blank([1, 1, 1, 8]) }, attrs: { reps: [4, 6, 5, 1] } },
    { kernel: tf.Tile, inputs: { x: blank([2, 3, 1]) }, attrs: { reps: [3, 1, 4] } },
    // Slices with runs of at least 1024 floats take the block-copy path; the small one wasm's own.
    { kernel: tf.Slice, inputs: { x: blank([3, 13, 11, 96]) }, attrs: { begin: [0, 0, 0, 0], size: [-1, 12, 11, -1] } },
    { kernel: tf.Slice, inputs: { x: blank([3, 13, 11, 96]) }, attrs: { begin: [1, 2, 0, 0], size: [2, 11, -1, -1] } },
    { kernel: tf.Slice, inputs: { x: blank([2, 1200]) }, attrs: { begin: [1, 100], size: [1, 1100] } },
    { kernel: tf.Slice, inputs: { x: blank([3, 13, 11, 96]) }, attrs: { begin: [0, 1, 1, 0], size: [-1, 12, 10, -1] } },
    { kernel: 'Sum', inputs: { x: blank(x) }, attrs: { axis: [0, 1, 2], keepDims: false } },
    { kernel: 'Sum', inputs: { x: blank(x) }, attrs: { axis: [0, 1, 2], keepDims: true } },
    { kernel: 'Sum', inputs: { x: blank(x) }, attrs: { axis: [1, 2], keepDims: false } },
    { kernel: 'Mean', inputs: { x: blank(x) }, attrs: { axis: [0, 1, 2], keepDims: true } },
    { kernel: 'Mean', inputs: { x: blank([7, 5]) }, attrs: { axis: 0, keepDims: false } },
  ];
  let seed = 500;
  for (const c of cases) {
    for (const [name, v] of Object.entries(c.inputs)) {
      v.data = values(size(v.shape), seed++);
      if (name === 'variance') v.data = v.data.map((a) => Math.abs(a) + 0.1);
    }
    const rel = await relativeDifference(c);
    assert.ok(rel < 1e-5, `${c.kernel} ${JSON.stringify(c.attrs)}: ${rel}`);
  }
});

test('ReLU and clip gradients (one pass on wasm) equal the cpu backend, boundaries included', async () => {
  const xs = Array.from(values(4 * 5 * 5 * 3, 77), (v) => v * 9); // -9 .. 9
  xs.splice(0, 4, 0, 6, -0, 6.0000005);
  const dys = values(xs.length, 78);
  const gradient = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
    assert.ok(await tf.setBackend(backend));
    const x = tf.tensor4d(xs, [4, 5, 5, 3]);
    const w = tf.tensor4d(dys, [4, 5, 5, 3]);
    const relu6 = tf.grad((a: tf.Tensor) => tf.clipByValue(tf.relu(a), 0, 6).mul(w).sum())(x);
    const clip = tf.grad((a: tf.Tensor) => tf.clipByValue(a, -1.5, 2.5).mul(w).sum())(x);
    const out = [(await relu6.data()) as Float32Array, (await clip.data()) as Float32Array];
    tf.dispose([x, w, relu6, clip]);
    return out;
  };
  const expected = await gradient('cpu');
  const actual = await gradient('wasm');
  // dy * 0 is -0 on cpu where dy < 0; the one-pass kernel writes 0: the same gradient.
  const plain = (a: Float32Array[]): number[][] => a.map((v) => Array.from(v, (n) => n + 0));
  assert.deepEqual(plain(actual), plain(expected));
  assert.ok(expected[0].some((v) => v === 0) && expected[0].some((v) => v !== 0), 'the mask both passes and blocks');
});

test('BatchNorm gradients (one-pass channel sums on wasm) match the cpu backend for x, mean, variance, scale, offset', async () => {
  const shape: Shape4 = [3, 5, 3, 6]; // 45 positions: the 4-at-a-time loop and its remainder
  const vec = (seed: number, positive = false): Float32Array => values(6, seed).map((v) => (positive ? Math.abs(v) + 0.2 : v));
  const xs = values(size(shape), 61).map((v) => v * 3 + 1); // mean far from 0: catches cancellation
  const dys = values(size(shape), 62);
  const gradients = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
    assert.ok(await tf.setBackend(backend));
    const inputs = [tf.tensor4d(xs, shape), tf.tensor1d(vec(63)), tf.tensor1d(vec(64, true)), tf.tensor1d(vec(65)), tf.tensor1d(vec(66))];
    const w = tf.tensor4d(dys, shape);
    const withScale = tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      tf.batchNorm(x as tf.Tensor4D, m as tf.Tensor1D, v as tf.Tensor1D, o as tf.Tensor1D, s as tf.Tensor1D, 1e-3).mul(w).sum(),
    )(inputs);
    // Only x and scale (a frozen offset, e.g.): the other gradients are pruned from the tape.
    const [x, , , s] = inputs;
    const some = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.batchNorm(a as tf.Tensor4D, inputs[1] as tf.Tensor1D, inputs[2] as tf.Tensor1D, inputs[4] as tf.Tensor1D, b as tf.Tensor1D, 1e-3).mul(w).sum())([x, s]);
    const out = await Promise.all([...withScale, ...some].map(async (t) => (await t.data()) as Float32Array));
    tf.dispose([...inputs, w, ...withScale, ...some]);
    return out;
  };
  const expected = await gradients('cpu');
  const actual = await gradients('wasm');
  assert.equal(actual.length, 7);
  expected.forEach((e, i) => {
    const scale = Math.max(1e-12, ...Array.from(e, Math.abs));
    const diff = Math.max(...Array.from(e, (v, j) => Math.abs(v - actual[i][j])));
    assert.ok(diff / scale < 1e-5, `gradient ${i}: relative difference ${diff / scale}`);
  });
});

test('a ReLU(maxValue 6) layer runs as one Relu6 on wasm with the same outputs and gradients as relu + clip on cpu', async () => {
  const xs = Array.from(values(2 * 4 * 4 * 3, 81), (v) => v * 9);
  xs.splice(0, 4, 0, 6, -0, 6.0000005);
  const dys = values(xs.length, 82);
  const layer = tf.layers.reLU({ maxValue: 6 });
  const run = async (backend: 'wasm' | 'cpu'): Promise<{ y: number[]; dx: number[]; kernels: string[] }> => {
    assert.ok(await tf.setBackend(backend));
    const x = tf.tensor4d(xs, [2, 4, 4, 3]);
    const w = tf.tensor4d(dys, [2, 4, 4, 3]);
    const profile = await tf.profile(() => layer.apply(x) as tf.Tensor);
    const y = layer.apply(x) as tf.Tensor;
    const dx = tf.grad((a: tf.Tensor) => (layer.apply(a) as tf.Tensor).mul(w).sum())(x);
    const out = { y: Array.from(await y.data(), (v) => v + 0), dx: Array.from(await dx.data(), (v) => v + 0), kernels: profile.kernelNames };
    tf.dispose([x, w, y, dx, profile.result as tf.Tensor]);
    return out;
  };
  const expected = await run('cpu');
  const actual = await run('wasm');
  assert.deepEqual(actual.kernels, ['Relu6']);
  assert.deepEqual(expected.kernels, ['Relu', 'ClipByValue']);
  assert.deepEqual(actual.y, expected.y);
  assert.deepEqual(actual.dx, expected.dx);
  assert.ok(expected.dx.some((v) => v === 0) && expected.dx.some((v) => v !== 0), 'the mask both passes and blocks');
});

test('one SGD step of a small MobileNetV2-style block (BatchNorm in inference mode, ReLU6) gives the same weights on wasm as on cpu', async () => {
  const build = (): tf.LayersModel => {
    const input = tf.input({ shape: [9, 9, 3] });
    let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ maxValue: 6 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', useBias: false }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU({ maxValue: 6 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3 }).apply(y) as tf.SymbolicTensor });
    // Everything trains, BatchNorm in inference mode: the engine's "everything trainable" phase.
    applyFreezePlan(model, new Set(model.layers.map((l) => l.name)), 'inference');
    return model;
  };
  const train = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
    assert.ok(await tf.setBackend(backend));
    const model = build();
    let seed = 900;
    // Same starting weights on both backends; variances positive, means off 0.
    const initial = model.weights.map((w) => tf.tensor(values(size(w.shape as number[]), seed++).map((v) => (w.name.includes('variance') ? Math.abs(v) + 0.5 : v * 2)), w.shape as number[]));
    model.setWeights(initial);
    tf.dispose(initial);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = tf.tensor4d(values(4 * 9 * 9 * 3, 950).map((v) => v * 4), [4, 9, 9, 3]);
    const t = tf.tensor2d(values(4 * 3, 951), [4, 3]);
    await model.trainOnBatch(x, t);
    const out = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    tf.dispose([x, t]);
    model.dispose();
    return out;
  };
  const expected = await train('cpu');
  const actual = await train('wasm');
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    const scale = Math.max(1e-12, ...Array.from(e, Math.abs));
    const diff = Math.max(...Array.from(e, (v, j) => Math.abs(v - actual[i][j])));
    assert.ok(diff / scale < 1e-5, `weight ${i}: relative difference ${diff / scale}`);
  });
});

test('Identity shares the data: a clone reads the same values and outlives its source', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const backend = tf.backend();
  const before = backend.numDataIds();
  const a = tf.tensor1d([1, 2, 3]);
  const b = a.clone();
  assert.equal(backend.numDataIds(), before + 1, 'no copy was made');
  a.dispose();
  assert.deepEqual(Array.from(await b.data()), [1, 2, 3]);
  b.dispose();
  assert.equal(backend.numDataIds(), before);
});

test('the kernels free everything they allocate inside', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const backend = tf.backend();
  const x = tf.tensor4d(values(2 * 8 * 8 * 4, 7), [2, 8, 8, 4]);
  const f = tf.tensor4d(values(3 * 3 * 4 * 2, 8), [3, 3, 4, 2]);
  const step = (): void =>
    tf.dispose(tf.tidy(() => {
      const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([x, f]);
      const [dx2, dw2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').mean())([x, tf.ones([3, 3, 4, 5])]);
      const [dx3, ds3, do3] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.batchNorm(a as tf.Tensor4D, tf.zeros([4]), tf.ones([4]), c as tf.Tensor1D, b as tf.Tensor1D).square().sum())([x, tf.ones([4]), tf.zeros([4])]);
      return tf.stack([dx.sum(), df.sum(), dx2.sum(), dw2.sum(), dx3.sum(), ds3.sum(), do3.sum()]);
    }));
  step();
  const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
  for (let i = 0; i < 3; i++) step();
  assert.deepEqual({ tensors: tf.memory().numTensors, data: backend.numDataIds() }, before);
  tf.dispose([x, f]);
});
