/**
 * Runs the cpu backend's kernel on copies of the inputs and copies the result into wasm memory.
 * Slow, but exact: used only for attribute combinations our wasm kernels do not cover (dilated
 * depthwise gradients, NCHW), which MobileNet-style models never hit.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendHandle } from './bridge';

export function runOnCpu(name: string, inputs: tf.NamedTensorInfoMap, backend: WasmBackendHandle, attrs: object): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'cpu');
  const cpu = tf.findBackend('cpu');
  if (!kernel || !cpu) throw new Error(`cpu kernel ${name} is not available for the wasm fallback`);
  const written: tf.DataId[] = [];
  const cpuInputs: tf.NamedTensorInfoMap = {};
  for (const [key, info] of Object.entries(inputs)) {
    if (info == null) continue;
    const dataId = cpu.write(backend.readSync(info.dataId), info.shape, info.dtype);
    written.push(dataId);
    cpuInputs[key] = { dataId, shape: info.shape, dtype: info.dtype };
  }
  const result = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const values = cpu.readSync(result.dataId) as Float32Array | Int32Array | Uint8Array;
  written.push(result.dataId);
  for (const dataId of written) cpu.disposeData(dataId, true);
  const out = backend.makeOutput(result.shape.slice(), result.dtype);
  backend.typedArrayFromHeap(out).set(values);
  return out;
}
