/**
 * Convolution gradients for the wasm backend, written as convolutions, pads and transposes that
 * wasm already runs through XNNPACK. Three are missing from tfjs-backend-wasm 4.22
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput);
 * its Conv2DBackpropInput exists but is a plain loop nest, so we replace it too. The depthwise
 * filter gradient is a loop on the wasm heap instead (depthwiseFilterGradient.ts).
 * NHWC with dilation 1 is computed here; anything else runs the cpu kernel (cpuFallback.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { type KernelArgs, pair, viaOps } from './bridge';
import { runOnCpu } from './cpuFallback';
import { depthwiseFilterGradientOnHeap } from './depthwiseFilterGradient';

type Conv2DInfo = tf.backend_util.Conv2DInfo;
type Filter4 = [number, number, number, number];

function isDilated(d: number | [number, number] | undefined): boolean {
  if (d == null) return false;
  const [h, w] = pair(d);
  return h !== 1 || w !== 1;
}

/**
 * wasm's BatchMatMul and Transpose are naive loops when an operand is transposed or tall; a 2-D
 * transpose of a tall [M, C] matrix in blocks of B rows ([M/B,B,C] -> [M/B,C,B] -> [C,M/B,B]) is
 * 3-5x faster than one element loop over the whole matrix.
 */
function transposeTall(a: tf.Tensor2D): tf.Tensor2D {
  const [m, c] = a.shape;
  const block = [64, 32, 16, 8].find((b) => m % b === 0 && m / b > 1);
  if (block == null) return tf.transpose(a);
  const t = tf.transpose(a.reshape([m / block, block, c]), [0, 2, 1]);
  return tf.transpose(t, [1, 0, 2]).reshape([c, m]);
}

/**
 * A convolution's input with the padding it needs, the padding given as the next convolution's
 * explicit padding (XNNPACK pads on the fly) rather than copied by a PadV2: rows or columns the
 * window never reaches (negative padding) are sliced off instead.
 */
interface PaddedInput {
  readonly input: tf.Tensor4D;
  readonly pad: tf.backend_util.ExplicitPadding;
}

function explicitPadding(x: tf.Tensor4D, rows: number, cols: number, top: number, left: number, bottom: number, right: number): PaddedInput {
  if (top < 0 || left < 0) throw new Error('conv gradient: padding larger than the kernel is not supported');
  const input = bottom < 0 || right < 0 ? tf.slice(x, [0, 0, 0, 0], [-1, rows + Math.min(bottom, 0), cols + Math.min(right, 0), -1]) : x;
  return { input, pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]] };
}

/** `x` (rows 1 and 2) padded or trimmed to exactly the rows and columns the convolution reads. */
function windowPadding(x: tf.Tensor4D, ci: Conv2DInfo): PaddedInput {
  const { top, left } = ci.padInfo;
  const needH = (ci.outHeight - 1) * ci.strideHeight + ci.filterHeight;
  const needW = (ci.outWidth - 1) * ci.strideWidth + ci.filterWidth;
  return explicitPadding(x, x.shape[1], x.shape[2], top, left, needH - x.shape[1] - top, needW - x.shape[2] - left);
}

/**
 * For gradients with respect to a convolution's input (a transposed convolution): insert stride-1
 * zeros between dy's pixels and pad by (kernel - 1 - pad), so that a stride-1 correlation with the
 * 180-degree-rotated filter yields exactly the input's height and width.
 */
function dilateAndPad(dy: tf.Tensor4D, ci: Conv2DInfo, inputShape: Filter4): PaddedInput {
  const [n, h, w] = inputShape;
  const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = ci;
  const channels = dy.shape[3];
  let d = dy;
  if (sh > 1 || sw > 1) {
    d = tf
      .pad(dy.reshape([n, oh, 1, ow, 1, channels]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]])
      .reshape([n, oh * sh, ow * sw, channels]);
  }
  const top = kh - 1 - ci.padInfo.top;
  const left = kw - 1 - ci.padInfo.left;
  return explicitPadding(d, oh * sh, ow * sw, top, left, h + kh - 1 - top - oh * sh, w + kw - 1 - left - ow * sw);
}

/** dW = x2d^T . dy2d for 1x1 stride-1 filters; otherwise a convolution of x^T with dy^T as the filter. */
export function conv2DBackpropFilter(args: KernelArgs<tf.Conv2DBackpropFilterAttrs>): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs;
  if (dataFormat === 'NCHW') return runOnCpu(tf.Conv2DBackpropFilter, args.inputs, args.backend, args.attrs);
  return viaOps(args, (input) => {
    const x = input('x') as tf.Tensor4D;
    const dy = input('dy') as tf.Tensor4D;
    const ci = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw, cin, cout] = filterShape;
    if (kh === 1 && kw === 1 && ci.strideHeight === 1 && ci.strideWidth === 1 && ci.padInfo.top === 0 && ci.padInfo.left === 0) {
      const m = x.shape[0] * ci.outHeight * ci.outWidth;
      // Materialise one operand transposed: wasm's BatchMatMul uses XNNPACK only when neither is.
      // Transpose the smaller one (the other is only packed by XNNPACK, which is cheaper per element).
      const x2 = x.reshape([m, cin]) as tf.Tensor2D;
      const dy2 = dy.reshape([m, cout]) as tf.Tensor2D;
      if (cin > cout) return tf.transpose(tf.matMul(transposeTall(dy2), x2)).reshape(filterShape);
      return tf.matMul(transposeTall(x2), dy2).reshape(filterShape);
    }
    // dW[kh,kw,ci,co] = sum_{n,oh,ow} xp[n, oh*s+kh, ow*s+kw, ci] * dy[n,oh,ow,co]: a conv of
    // xp^T [Cin,Hp,Wp,N] with dy^T [OH,OW,N,Cout] as filter, dilated by the stride -> [Cin,KH,KW,Cout].
    const { input: xs, pad: windowPad } = windowPadding(x, ci);
    const xt = tf.transpose(xs, [3, 1, 2, 0]);
    const f = tf.transpose(dy, [1, 2, 0, 3]);
    // The padding moves with the transpose: x's rows and columns are xt's dims 1 and 2 too.
    const o = tf.conv2d(xt, f, 1, windowPad, 'NHWC', [ci.strideHeight, ci.strideWidth]);
    return tf.transpose(o, [1, 2, 0, 3]);
  });
}

/** 1x1 stride-1: dy . W^T; otherwise the transposed convolution as a conv on the dilated, padded dy. */
export function conv2DBackpropInput(args: KernelArgs<tf.Conv2DBackpropInputAttrs>): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs;
  if (dataFormat === 'NCHW') return runOnCpu(tf.Conv2DBackpropInput, args.inputs, args.backend, args.attrs);
  return viaOps(args, (input) => {
    const dy = input('dy') as tf.Tensor4D;
    const filter = input('filter') as tf.Tensor4D;
    const ci = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const swapped = tf.transpose(filter, [0, 1, 3, 2]); // [KH,KW,Cout,Cin]
    const pointwise = filter.shape[0] === 1 && filter.shape[1] === 1 && ci.strideHeight === 1 && ci.strideWidth === 1;
    if (pointwise && ci.padInfo.top === 0 && ci.padInfo.left === 0 && ci.outHeight === inputShape[1] && ci.outWidth === inputShape[2]) {
      return tf.conv2d(dy, swapped, 1, 'valid');
    }
    const { input: d, pad: border } = dilateAndPad(dy, ci, inputShape);
    return tf.conv2d(d, tf.reverse(swapped, [0, 1]), 1, border);
  });
}

/** Depthwise filter gradient: one pass over x and dy (depthwiseFilterGradient.ts). */
export function depthwiseBackpropFilter(args: KernelArgs<tf.DepthwiseConv2dNativeBackpropFilterAttrs>): tf.TensorInfo {
  const { dilations } = args.attrs;
  const floats = args.inputs['x']?.dtype === 'float32' && args.inputs['dy']?.dtype === 'float32';
  if (isDilated(dilations) || !floats) return runOnCpu(tf.DepthwiseConv2dNativeBackpropFilter, args.inputs, args.backend, args.attrs);
  return depthwiseFilterGradientOnHeap(args);
}

/** Depthwise input gradient: depthwise conv of the dilated, padded dy with the rotated filter, per multiplier. */
export function depthwiseBackpropInput(args: KernelArgs<tf.DepthwiseConv2dNativeBackpropInputAttrs>): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs;
  if (isDilated(dilations)) return runOnCpu(tf.DepthwiseConv2dNativeBackpropInput, args.inputs, args.backend, args.attrs);
  return viaOps(args, (input) => {
    const dy = input('dy') as tf.Tensor4D;
    const filter = input('filter') as tf.Tensor4D;
    const ci = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
    const [, , c, mult] = filter.shape;
    const n = inputShape[0];
    const { input: d, pad: border } = dilateAndPad(dy, ci, inputShape);
    const rotated = tf.reverse(filter, [0, 1]) as tf.Tensor4D;
    if (mult === 1) return tf.depthwiseConv2d(d, rotated, 1, border);
    // Channel c's input gradient sums the contributions of its `mult` output channels.
    const perMultiplier = d.reshape([n, d.shape[1], d.shape[2], c, mult]);
    let sum: tf.Tensor4D | null = null;
    for (let m = 0; m < mult; m++) {
      const dm = tf.slice(perMultiplier, [0, 0, 0, 0, m], [-1, -1, -1, -1, 1]).reshape([n, d.shape[1], d.shape[2], c]) as tf.Tensor4D;
      const fm = tf.slice(rotated, [0, 0, 0, m], [-1, -1, -1, 1]);
      const r = tf.depthwiseConv2d(dm, fm, 1, border);
      sum = sum == null ? r : tf.add<tf.Tensor4D>(sum, r);
    }
    if (sum == null) throw new Error('depthwise gradient: channel multiplier 0');
    return sum;
  });
}
