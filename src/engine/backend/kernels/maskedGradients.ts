/**
 * Gradients of ReLU and of ClipByValue (tfjs-layers' ReLU(maxValue: 6) is relu then clip) pass dy
 * where the input lies in a range and 0 elsewhere. tfjs builds that mask from 3-5 elementwise
 * kernels (GreaterEqual, LessEqual, LogicalAnd, Select, ZerosLike / Step, Cast, Multiply), each a
 * full pass over a large activation; on wasm they are single-threaded loops and took about a
 * quarter of a MobileNetV2 training step. One pass over x and dy does the same.
 * The gradients are registered globally; on other backends they keep tfjs' own formulas.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './bridge';

export const MASKED_GRADIENT_KERNEL = 'FinetuneGuideMaskedGradient';

interface MaskAttrs {
  /** dy passes where lower < x (or lower <= x when inclusive) and x <= upper. */
  readonly lower: number;
  readonly lowerInclusive: boolean;
  readonly upper: number;
}

/**
 * The wasm kernel: out[i] = dy[i] * (x[i] in range ? 1 : 0), NaN where x is NaN for ReLU (as tfjs'
 * Step gives). Like tfjs' ReLU gradient (dy * step(x)), a non-finite dy outside the range gives NaN.
 */
export function maskedGradient(args: KernelArgs<MaskAttrs>): tf.TensorInfo {
  const { x, dy } = args.inputs;
  if (x == null || dy == null) throw new Error('masked gradient: inputs x and dy are required');
  const { lower, lowerInclusive, upper } = args.attrs;
  const outInfo = args.backend.makeOutput(dy.shape.slice(), 'float32');
  // Views after the allocation: allocating may grow (and replace) the heap buffer.
  const out = args.backend.typedArrayFromHeap(outInfo);
  const xv = args.backend.typedArrayFromHeap(x);
  const g = args.backend.typedArrayFromHeap(dy);
  const n = out.length;
  // Branch-free masks (a comparison as 0/1): on ReLU inputs the in-range test is a coin flip,
  // and a mispredicted branch per element made this loop 3-4x slower.
  if (lowerInclusive) {
    for (let i = 0; i < n; i++) {
      const v = xv[i];
      out[i] = g[i] * (+(v >= lower) & +(v <= upper));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = xv[i];
      out[i] = v === v ? g[i] * (+(v > lower) & +(v <= upper)) : Number.NaN;
    }
  }
  return outInfo;
}

function sameFloatShape(x: tf.Tensor, dy: tf.Tensor): boolean {
  return x.dtype === 'float32' && dy.dtype === 'float32' && x.size === dy.size;
}

function viaKernel(x: tf.Tensor, dy: tf.Tensor, attrs: MaskAttrs): tf.Tensor {
  return tf.engine().runKernel(MASKED_GRADIENT_KERNEL, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

const onWasm = (): boolean => tf.getBackend() === 'wasm' && tf.getKernel(MASKED_GRADIENT_KERNEL, 'wasm') != null;

/** Replaces the Relu and ClipByValue gradients (see the file comment). */
export function registerMaskedGradients(): void {
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      return {
        x: () => (onWasm() && sameFloatShape(x, g) ? viaKernel(x, g, { lower: 0, lowerInclusive: false, upper: Infinity }) : tf.mul(g, tf.cast(tf.step(x), 'float32'))),
      };
    },
  });
  tf.registerGradient({
    kernelName: tf.ClipByValue,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      const { clipValueMin, clipValueMax } = attrs as unknown as tf.ClipByValueAttrs;
      return {
        x: () =>
          onWasm() && sameFloatShape(x, g)
            ? viaKernel(x, g, { lower: clipValueMin, lowerInclusive: true, upper: clipValueMax })
            : tf.where(tf.logicalAnd(tf.greaterEqual(x, clipValueMin), tf.lessEqual(x, clipValueMax)), g, tf.zerosLike(g)),
      };
    },
  });
}
