/**
 * The FusedBatchNorm gradient with fewer passes over the activation. tfjs' own formula computes
 * x - mean and dy * scale for every element even when only dx is needed, tiles 1/sqrt(var) to the
 * activation's shape and multiplies twice: about nine full passes per BatchNorm layer in the
 * backward pass. Here dx is one broadcast multiply, and the per-channel sums that the scale,
 * offset, mean and variance gradients need, sum(dy) and sum(dy*(x-mean)), come from one pass over
 * x and dy (in doubles) on the wasm heap.
 * The same algebra (d/dscale = rsqrt(var+eps) * sum(dy*(x-mean)), d/doffset = sum(dy),
 * d/dmean = -scale*rsqrt * sum(dy), d/dvar = -scale*rsqrt^3/2 * sum(dy*(x-mean))); gradients are
 * registered globally, so off wasm (or for means that are not per-channel) tfjs' formula runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './bridge';

export const CHANNEL_SUMS_KERNEL = 'FinetuneGuideChannelSums';

/** Two outputs: [c] = sum of dy[..., c], and [c] = sum of dy[..., c] * (x[..., c] - mean[c]); in doubles. */
export function channelSums(args: KernelArgs<Record<string, never>>): tf.TensorInfo[] {
  const { x, dy, mean } = args.inputs;
  if (x == null || dy == null || mean == null) throw new Error('channel sums: inputs x, dy and mean are required');
  const channels = mean.shape[0];
  const dyInfo = args.backend.makeOutput([channels], 'float32');
  const dyXInfo = args.backend.makeOutput([channels], 'float32');
  const xv = args.backend.typedArrayFromHeap(x) as Float32Array;
  const g = args.backend.typedArrayFromHeap(dy) as Float32Array;
  const m = args.backend.typedArrayFromHeap(mean) as Float32Array;
  const sumDy = new Float64Array(channels);
  const sumDyX = new Float64Array(channels);
  // Four positions per step: a quarter of the accumulator loads and stores (2x faster measured).
  const rows = xv.length / channels;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b0 = r * channels;
    const b1 = b0 + channels;
    const b2 = b1 + channels;
    const b3 = b2 + channels;
    for (let c = 0; c < channels; c++) {
      const mc = m[c];
      const d0 = g[b0 + c];
      const d1 = g[b1 + c];
      const d2 = g[b2 + c];
      const d3 = g[b3 + c];
      sumDy[c] += d0 + d1 + d2 + d3;
      sumDyX[c] += d0 * (xv[b0 + c] - mc) + d1 * (xv[b1 + c] - mc) + d2 * (xv[b2 + c] - mc) + d3 * (xv[b3 + c] - mc);
    }
  }
  for (; r < rows; r++) {
    const base = r * channels;
    for (let c = 0; c < channels; c++) {
      const d = g[base + c];
      sumDy[c] += d;
      sumDyX[c] += d * (xv[base + c] - m[c]);
    }
  }
  // Views after the allocations: allocating may grow (and replace) the heap buffer.
  (args.backend.typedArrayFromHeap(dyInfo) as Float32Array).set(sumDy);
  (args.backend.typedArrayFromHeap(dyXInfo) as Float32Array).set(sumDyX);
  return [dyInfo, dyXInfo];
}

type GradFunc = tf.GradConfig['gradFunc'];

/** Whether the fast path applies: float32 per-channel statistics on the last axis, on wasm. */
function perChannel(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined): boolean {
  const channels = x.shape[x.rank - 1];
  const isChannelVector = (t: tf.Tensor): boolean => t.rank === 1 && t.shape[0] === channels && t.dtype === 'float32';
  return (
    tf.getBackend() === 'wasm' &&
    tf.getKernel(CHANNEL_SUMS_KERNEL, 'wasm') != null &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    isChannelVector(mean) &&
    isChannelVector(variance) &&
    (scale == null || isChannelVector(scale))
  );
}

function fastGradient(original: GradFunc): GradFunc {
  return (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved;
    const g = dy as tf.Tensor;
    if (!perChannel(x, mean, variance, scale) || g.dtype !== 'float32' || g.size !== x.size) return original(dy, saved, attrs);
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    // Small [C] vectors; the caller's tidy frees them with the rest of the backward pass.
    const rsqrt = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const scaled = scale == null ? rsqrt : tf.mul(rsqrt, scale);
    // Computed once here rather than in each input's function: the tape only calls this for a
    // BatchNorm on the path to a trainable weight, and there its scale and offset are almost always
    // trainable too. One pass; tfjs' own formula also made its x - mean here.
    const [sumDy, sumDyX] = tf.engine().runKernel(CHANNEL_SUMS_KERNEL, { x, dy: g, mean }, {}) as tf.Tensor[];
    return {
      x: () => tf.mul(g, scaled),
      mean: () => tf.mul(tf.neg(scaled), sumDy),
      variance: () => tf.mul(tf.mul(tf.mul(tf.mul(scaled, rsqrt), rsqrt), tf.scalar(-0.5)), sumDyX),
      scale: () => tf.mul(rsqrt, sumDyX),
      // Its own tensor (sharing the data): the gradient outlives the backward pass's scope.
      offset: () => tf.clone(sumDy),
    };
  };
}

let registered = false;

/** Replaces the FusedBatchNorm gradient (see the file comment); idempotent. */
export function registerBatchNormGradient(): void {
  if (registered) return;
  const original = tf.getGradient(tf.FusedBatchNorm);
  if (original == null) throw new Error('tfjs has no FusedBatchNorm gradient to wrap');
  tf.registerGradient({ ...original, gradFunc: fastGradient(original.gradFunc) });
  registered = true;
}
