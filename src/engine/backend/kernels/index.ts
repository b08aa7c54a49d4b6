/**
 * Registers our wasm kernels: the three conv gradients wasm lacks (so conv layers can train) and
 * faster replacements for slow kernels of the backward pass. Idempotent.
 */
import * as tf from '@tensorflow/tfjs';
import { CHANNEL_SUMS_KERNEL, channelSums, registerBatchNormGradient } from './batchNormGradient';
import { registerWasmKernel } from './bridge';
import { conv2DBackpropFilter, conv2DBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from './convGradients';
import { callOriginal, fusedBatchNorm, identity, leadingAxesReduce, slice, tile } from './fastKernels';
import { MASKED_GRADIENT_KERNEL, maskedGradient, registerMaskedGradients } from './maskedGradients';
import { fuseRelu6Layers } from './relu6Layer';

export interface WasmKernelOptions {
  /** Also replace slow existing kernels (Conv2DBackpropInput, Tile, Slice, FusedBatchNorm, Sum, Mean, Identity) the ReLU/clip/BatchNorm gradients, and ReLU(6) layers as one Relu6. Default true. */
  readonly fast?: boolean;
}

const originals = new Map<string, tf.KernelConfig>();
let registered: 'missing' | 'all' | null = null;

/** Registers the missing conv gradient kernels (and, unless `fast: false`, the faster replacements) for wasm. */
export function registerWasmTrainingKernels(options: WasmKernelOptions = {}): void {
  const fast = options.fast ?? true;
  if (registered === 'all' || (registered === 'missing' && !fast)) return;
  registerWasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
  registerWasmKernel(tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter);
  registerWasmKernel(tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput);
  registered = 'missing';
  if (!fast) return;
  registerWasmKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
  registerWasmKernel(tf.FusedBatchNorm, fusedBatchNorm);
  const original = (name: string): tf.KernelConfig => {
    const config = originals.get(name) ?? tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`tfjs-backend-wasm has no ${name} kernel to wrap`);
    originals.set(name, config);
    return config;
  };
  // These fall back to the package's kernel for the cases they do not speed up, so keep its setup.
  for (const kind of ['Sum', 'Mean'] as const) {
    const config = original(kind);
    registerWasmKernel(kind, leadingAxesReduce(kind, callOriginal(config)), config.setupFunc);
  }
  const identityConfig = original(tf.Identity);
  registerWasmKernel(tf.Identity, identity(callOriginal(identityConfig)), identityConfig.setupFunc);
  const tileConfig = original(tf.Tile);
  registerWasmKernel(tf.Tile, tile(callOriginal(tileConfig)), tileConfig.setupFunc);
  const sliceConfig = original(tf.Slice);
  registerWasmKernel(tf.Slice, slice(callOriginal(sliceConfig)), sliceConfig.setupFunc);
  registerWasmKernel(MASKED_GRADIENT_KERNEL, maskedGradient);
  registerMaskedGradients();
  registerWasmKernel(CHANNEL_SUMS_KERNEL, channelSums);
  registerBatchNormGradient();
  fuseRelu6Layers();
  registered = 'all';
}
