/**
 * The FusedBatchNorm gradient with fewer passes over the activation. tfjs' own formula computes
 * x - mean and dy * scale for every element even when only dx is needed, tiles 1/sqrt(var) to the
 * activation's shape and multiplies twice: about nine full passes per BatchNorm layer in the
 * backward pass. Here dx is one broadcast multiply; sum(dy*(x-mean)), which the scale and variance
 * gradients need, is one pass over x and dy (in doubles) on the wasm heap; sum(dy), for the offset
 * and mean, is one XNNPACK matrix product.
 * The same algebra (d/dscale = rsqrt(var+eps) * sum(dy*(x-mean)), d/doffset = sum(dy),
 * d/dmean = -scale*rsqrt * sum(dy), d/dvar = -scale*rsqrt^3/2 * sum(dy*(x-mean))); gradients are
 * registered globally, so off wasm (or for means that are not per-channel) tfjs' formula runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './bridge';

export const CHANNEL_SUMS_KERNEL = 'FinetuneGuideChannelSums';

/** out[c] = sum of dy[..., c] * (x[..., c] - mean[c]), summed in doubles. */
export function channelSums(args: KernelArgs<Record<string, never>>): tf.TensorInfo {
  const { x, dy, mean } = args.inputs;
  if (x == null || dy == null || mean == null) throw new Error('channel sums: inputs x, dy and mean are required');
  const channels = mean.shape[0];
  const outInfo = args.backend.makeOutput([channels], 'float32');
  // Views after the allocation: allocating may grow (and replace) the heap buffer.
  const out = args.backend.typedArrayFromHeap(outInfo) as Float32Array;
  const xv = args.backend.typedArrayFromHeap(x) as Float32Array;
  const g = args.backend.typedArrayFromHeap(dy) as Float32Array;
  const m = args.backend.typedArrayFromHeap(mean) as Float32Array;
  const sum = new Float64Array(channels);
  for (let base = 0; base < xv.length; base += channels) {
    for (let c = 0; c < channels; c++) sum[c] += g[base + c] * (xv[base + c] - m[c]);
  }
  out.set(sum);
  return outInfo;
}

/** Per-channel sum of dy as a [1,M] x [M,C] product: XNNPACK, both threads, no transpose. */
function sumOverPositions(dy: tf.Tensor, channels: number): tf.Tensor {
  const positions = dy.size / channels;
  return tf.matMul(tf.ones([1, positions]), dy.reshape([positions, channels])).reshape([channels]);
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
    const channels = mean.shape[0];
    // Small [C] vectors; the caller's tidy frees them with the rest of the backward pass.
    const rsqrt = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const scaled = scale == null ? rsqrt : tf.mul(rsqrt, scale);
    const centredDot = (): tf.Tensor => tf.engine().runKernel(CHANNEL_SUMS_KERNEL, { x, dy: g, mean }, {}) as tf.Tensor;
    return {
      x: () => tf.mul(g, scaled),
      mean: () => tf.mul(tf.neg(scaled), sumOverPositions(g, channels)),
      variance: () => tf.mul(tf.mul(tf.mul(tf.mul(scaled, rsqrt), rsqrt), tf.scalar(-0.5)), centredDot()),
      scale: () => tf.mul(rsqrt, centredDot()),
      offset: () => sumOverPositions(g, channels),
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
