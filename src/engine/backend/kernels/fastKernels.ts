/**
 * Faster wasm versions of kernels the backward pass leans on; tfjs-backend-wasm 4.22 has them,
 * but as per-element loops (measured in the prototype, shared/reference/wasm-training).
 */
import * as tf from '@tensorflow/tfjs';
import { type KernelArgs, type WasmBackendHandle, viaOps } from './bridge';

type OriginalKernel = (args: KernelArgs<unknown>) => tf.TensorInfo;

/** Calls a previously registered kernel config with our typed arguments. */
export function callOriginal(config: tf.KernelConfig): OriginalKernel {
  return ({ inputs, backend, attrs }) =>
    config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

/**
 * Identity (tf.clone, and the engine's copies of tensors saved for the backward pass): wasm copies
 * the data; tensors are immutable, so share it by reference count as the cpu backend does.
 */
export function identity(original: OriginalKernel) {
  return (args: KernelArgs<unknown>): tf.TensorInfo => {
    const x = args.inputs['x'];
    if (x == null || x.dtype === 'string') return original(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
  };
}

/**
 * FusedBatchNorm: wasm evaluates (x-mean)*scale/sqrt(var+eps)+offset with a sqrt per element.
 * Fold it into per-channel s and o on the small [C] vectors, then y = x*s + o (two broadcast ops).
 */
export function fusedBatchNorm(args: KernelArgs<tf.FusedBatchNormAttrs>): tf.TensorInfo {
  const { varianceEpsilon } = args.attrs;
  const has = (name: string): boolean => args.inputs[name] != null;
  return viaOps(args, (input) => {
    let s = tf.rsqrt(tf.add(input('variance'), tf.scalar(varianceEpsilon)));
    if (has('scale')) s = tf.mul(s, input('scale'));
    let o = tf.neg(tf.mul(input('mean'), s));
    if (has('offset')) o = tf.add(o, input('offset'));
    return tf.add(tf.mul(input('x'), s), o);
  });
}

/**
 * Sum/Mean over leading axes (bias gradients and BatchNorm statistics reduce [N,H,W,C] over
 * [0,1,2]): wasm first moves the reduced axes last with its naive transpose. Sum the rows of the
 * [M, C] matrix on the heap instead, four rows per step, in doubles (1.4-2.5x faster than reducing
 * in blocks with wasm's kernels, and one kernel call instead of several).
 */
export function leadingAxesReduce(kind: 'Sum' | 'Mean', original: OriginalKernel) {
  return (args: KernelArgs<tf.SumAttrs>): tf.TensorInfo => {
    const x = args.inputs['x'];
    if (x == null) throw new Error(`${kind}: input x missing`);
    const axes = tf.util.parseAxisParam(args.attrs.axis, x.shape).sort((a, b) => a - b);
    const r = axes.length;
    const leading = r > 0 && r < x.shape.length && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original(args);
    const rest = x.shape.slice(r);
    const outInfo = args.backend.makeOutput(args.attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    // Views after the allocation: allocating may grow (and replace) the heap buffer.
    const out = args.backend.typedArrayFromHeap(outInfo) as Float32Array;
    const v = args.backend.typedArrayFromHeap(x) as Float32Array;
    const width = out.length;
    const rows = width === 0 ? 0 : v.length / width;
    const acc = new Float64Array(width);
    let row = 0;
    for (; row + 4 <= rows; row += 4) {
      const b0 = row * width;
      const b1 = b0 + width;
      const b2 = b1 + width;
      const b3 = b2 + width;
      for (let c = 0; c < width; c++) acc[c] += v[b0 + c] + v[b1 + c] + v[b2 + c] + v[b3 + c];
    }
    for (; row < rows; row++) {
      const base = row * width;
      for (let c = 0; c < width; c++) acc[c] += v[base + c];
    }
    if (kind === 'Mean' && rows > 0) for (let c = 0; c < width; c++) acc[c] /= rows;
    out.set(acc);
    return outInfo;
  };
}

/**
 * Tile: wasm computes every output index separately (~40 ms to tile a [1,1,1,C] BatchNorm scale
 * to [32,64,64,C]). Copy whole blocks with TypedArray.set/copyWithin, straight into the wasm heap.
 */
export function tile(original: OriginalKernel) {
  return (args: KernelArgs<tf.TileAttrs>): tf.TensorInfo => {
    const x = args.inputs['x'];
    if (x == null) throw new Error('Tile: input x missing');
    if (x.dtype === 'string' || x.shape.length === 0) return original(args);
    return tileInto(args.backend, x, args.attrs.reps);
  };
}

function tileInto(backend: WasmBackendHandle, x: tf.TensorInfo, reps: readonly number[]): tf.TensorInfo {
  const inShape = x.shape;
  const k = inShape.length;
  const outShape = inShape.map((d, i) => d * reps[i]);
  const outInfo = backend.makeOutput(outShape, x.dtype);
  // Views after the allocation: allocating may grow (and replace) the heap buffer.
  const out = backend.typedArrayFromHeap(outInfo);
  const src = backend.typedArrayFromHeap(x);
  if (out.length === 0) return outInfo;
  const inStride = new Array<number>(k).fill(1);
  const outStride = new Array<number>(k).fill(1);
  for (let a = k - 2; a >= 0; a--) {
    inStride[a] = inStride[a + 1] * inShape[a + 1];
    outStride[a] = outStride[a + 1] * outShape[a + 1];
  }
  const fill = (axis: number, inOffset: number, outOffset: number): void => {
    if (axis === k - 1) out.set(src.subarray(inOffset, inOffset + inShape[axis]), outOffset);
    else for (let i = 0; i < inShape[axis]; i++) fill(axis + 1, inOffset + i * inStride[axis], outOffset + i * outStride[axis]);
    // Repeat the block along this axis by doubling copies of what is already written.
    const blockLength = inShape[axis] * outStride[axis];
    for (let have = 1; have < reps[axis]; ) {
      const n = Math.min(have, reps[axis] - have);
      out.copyWithin(outOffset + have * blockLength, outOffset, outOffset + n * blockLength);
      have += n;
    }
  };
  fill(0, 0, 0);
  return outInfo;
}

/**
 * Slice: wasm copies one innermost row per TypedArray.set (131k calls to take the 64x64 window of
 * a [32,65,65,96] ZeroPadding2D gradient). Copy the largest contiguous blocks instead: everything
 * inside the last axis that is not taken whole.
 */
export function slice(original: OriginalKernel) {
  return (args: KernelArgs<tf.SliceAttrs>): tf.TensorInfo => {
    const x = args.inputs['x'];
    if (x == null) throw new Error('Slice: input x missing');
    if (x.dtype === 'string' || x.shape.length < 2) return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs.begin, args.attrs.size);
    const rank = x.shape.length;
    // Axes after `last` are taken whole: each index along `last` and before is one contiguous run.
    let last = rank - 1;
    while (last > 0 && begin[last] === 0 && size[last] === x.shape[last]) last--;
    const inStride = [...tf.util.computeStrides(x.shape), 1];
    const block = size[last] * inStride[last];
    // Small runs are what wasm's kernel already does well enough.
    if (block < 1024) return original(args);
    const outInfo = args.backend.makeOutput(size, x.dtype);
    // Views after the allocation: allocating may grow (and replace) the heap buffer.
    const out = args.backend.typedArrayFromHeap(outInfo);
    const src = args.backend.typedArrayFromHeap(x);
    let written = 0;
    const copy = (axis: number, inOffset: number): void => {
      if (axis === last) {
        const from = inOffset + begin[last] * inStride[last];
        out.set(src.subarray(from, from + block), written);
        written += block;
        return;
      }
      for (let i = 0; i < size[axis]; i++) copy(axis + 1, inOffset + (begin[axis] + i) * inStride[axis]);
    };
    if (out.length > 0) copy(0, 0);
    return outInfo;
  };
}
