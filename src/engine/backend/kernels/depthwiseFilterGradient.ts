/**
 * DepthwiseConv2dNativeBackpropFilter as one pass over x and dy, straight on the wasm heap:
 * dW[kh,kw,c,m] = sum over n,oh,ow of x[n, oh*sh+kh-top, ow*sw+kw-left, c] * dy[n,oh,ow,c*M+m].
 * Expressed with wasm's own kernels it needed a depthwise convolution whose filter is the whole
 * OHxOW gradient image over N*C channels (XNNPACK has no fast path for such filters: about a
 * quarter of a MobileNetV2 "everything trainable" step), plus pads, slices and transposes.
 * Sums are kept in doubles, as the cpu backend's kernel does.
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
      for (let ox = 0; ox < ow; ox++) {
        const dyBase = ((b * oh + oy) * ow + ox) * outChannels;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - top;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - left;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((b * h + iy) * w + ix) * channels;
            const accBase = (ky * kw + kx) * outChannels;
            if (mult === 1) {
              for (let c = 0; c < channels; c++) acc[accBase + c] += xv[xBase + c] * g[dyBase + c];
            } else {
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
