/**
 * DepthwiseConv2dNativeBackpropFilter as one pass over x and dy, straight on the wasm heap:
 * dW[kh,kw,c,m] = sum over n,oh,ow of x[n, oh*sh+kh-top, ow*sw+kw-left, c] * dy[n,oh,ow,c*M+m].
 * Expressed with wasm's own kernels it needed a depthwise convolution whose filter is the whole
 * OHxOW gradient image over N*C channels (XNNPACK has no fast path for such filters: about a
 * quarter of a MobileNetV2 "everything trainable" step), plus pads, slices and transposes.
 * Sums are kept in doubles, as the cpu backend's kernel does; four output columns per step (2x faster).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './bridge';

export function depthwiseFilterGradientOnHeap(args: KernelArgs<tf.DepthwiseConv2dNativeBackpropFilterAttrs>): tf.TensorInfo {
  const { x, dy } = args.inputs;
  if (x == null || dy == null) throw new Error('depthwise filter gradient: inputs x and dy are required');
  const { strides, pad, dimRoundingMode, filterShape } = args.attrs;
  const ci = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
  const [kh, kw, channels, mult] = filterShape;
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = ci;
  const { top, left } = ci.padInfo;
  const outInfo = args.backend.makeOutput(filterShape.slice(), 'float32');
  // Views after the allocation: allocating may grow (and replace) the heap buffer.
  const out = args.backend.typedArrayFromHeap(outInfo) as Float32Array;
  const xv = args.backend.typedArrayFromHeap(x) as Float32Array;
  const g = args.backend.typedArrayFromHeap(dy) as Float32Array;
  const outChannels = channels * mult;
  const acc = new Float64Array(kh * kw * outChannels);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const dyRow = (b * oh + oy) * ow;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh + ky - top;
        if (iy < 0 || iy >= h) continue;
        const xRow = (b * h + iy) * w;
        for (let kx = 0; kx < kw; kx++) {
          // Output columns whose input column ox*sw + kx - left lies inside the image.
          const first = Math.max(0, Math.ceil((left - kx) / sw));
          const end = Math.min(ow, Math.floor((w - 1 + left - kx) / sw) + 1);
          const accBase = (ky * kw + kx) * outChannels;
          if (mult === 1) accumulateRow(acc, accBase, xv, g, xRow, dyRow, first, end, sw, kx - left, channels);
          else {
            for (let ox = first; ox < end; ox++) {
              const xBase = (xRow + ox * sw + kx - left) * channels;
              const dyBase = (dyRow + ox) * outChannels;
              for (let c = 0; c < channels; c++) {
                const xc = xv[xBase + c];
                for (let m = 0; m < mult; m++) acc[accBase + c * mult + m] += xc * g[dyBase + c * mult + m];
              }
            }
          }
        }
      }
    }
  }
  out.set(acc);
  return outInfo;
}

/**
 * acc[accBase + c] += sum over ox in [first, end) of x[xRow + ox*sw + shift, c] * dy[dyRow + ox, c],
 * four columns per step: a quarter of the accumulator loads and stores.
 */
function accumulateRow(
  acc: Float64Array, accBase: number, xv: Float32Array, g: Float32Array,
  xRow: number, dyRow: number, first: number, end: number, sw: number, shift: number, channels: number,
): void {
  let ox = first;
  const xStep = sw * channels;
  for (; ox + 4 <= end; ox += 4) {
    const x0 = (xRow + ox * sw + shift) * channels;
    const x1 = x0 + xStep;
    const x2 = x1 + xStep;
    const x3 = x2 + xStep;
    const d0 = (dyRow + ox) * channels;
    const d1 = d0 + channels;
    const d2 = d1 + channels;
    const d3 = d2 + channels;
    for (let c = 0; c < channels; c++) {
      acc[accBase + c] += xv[x0 + c] * g[d0 + c] + xv[x1 + c] * g[d1 + c] + xv[x2 + c] * g[d2 + c] + xv[x3 + c] * g[d3 + c];
    }
  }
  for (; ox < end; ox++) {
    const x0 = (xRow + ox * sw + shift) * channels;
    const d0 = (dyRow + ox) * channels;
    for (let c = 0; c < channels; c++) acc[accBase + c] += xv[x0 + c] * g[d0 + c];
  }
}
