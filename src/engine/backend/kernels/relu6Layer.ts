/**
 * tfjs-layers' ReLU layer with maxValue 6 (MobileNetV2's activation) runs relu and then
 * clipByValue: two passes forward and two masked passes backward over every activation of a
 * trainable block. min(max(x, 0), 6) is one Relu6 kernel, and its gradient (dy where 0 < x <= 6,
 * the same mask the two-step chain applies) one masked pass. On wasm only; elsewhere the layer
 * runs as tfjs wrote it. The patch is on the layer class, so models loaded from disk use it too.
 */
import * as tf from '@tensorflow/tfjs';
import { MASKED_GRADIENT_KERNEL } from './maskedGradients';

interface ReluLayer {
  maxValue?: number;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

let patched = false;

/** Makes ReLU(maxValue: 6) layers compute relu6 in one kernel on wasm; idempotent. */
export function fuseRelu6Layers(): void {
  if (patched) return;
  const proto = Object.getPrototypeOf(tf.layers.reLU({ maxValue: 6 })) as ReluLayer;
  const original = proto.call;
  proto.call = function (this: ReluLayer, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const single = !Array.isArray(inputs) || inputs.length === 1;
    if (this.maxValue !== 6 || !single || x.dtype !== 'float32' || tf.getBackend() !== 'wasm') return original.call(this, inputs, kwargs);
    return tf.relu6(x);
  };
  tf.registerGradient({
    kernelName: tf.Relu6,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      const onWasm = tf.getBackend() === 'wasm' && tf.getKernel(MASKED_GRADIENT_KERNEL, 'wasm') != null && x.dtype === 'float32' && g.size === x.size;
      return {
        x: () =>
          onWasm
            ? (tf.engine().runKernel(MASKED_GRADIENT_KERNEL, { x, dy: g }, { lower: 0, lowerInclusive: false, upper: 6 }) as tf.Tensor)
            : tf.mul(g, tf.cast(tf.mul(tf.lessEqual(x, 6), tf.step(x)), 'float32')),
      };
    },
  });
  patched = true;
}
