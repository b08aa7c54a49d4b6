/**
 * Glue for kernels written with tf ops: wrap a kernel's TensorInfo inputs as Tensors and hand a
 * Tensor back as the kernel's output, keeping the wasm backend's reference counts balanced.
 */
import * as tf from '@tensorflow/tfjs';

/** What our kernels use of tfjs-backend-wasm's BackendWasm (typed loosely on purpose: internals). */
export interface WasmBackendHandle {
  incRef(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

export interface KernelArgs<A> {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: WasmBackendHandle;
  readonly attrs: A;
}

/** Registers `impl` as the `wasm` kernel `name`, replacing any existing one; returns the previous config. */
export function registerWasmKernel<A>(
  name: string,
  impl: (args: KernelArgs<A>) => tf.TensorInfo | tf.TensorInfo[],
  setupFunc?: tf.KernelConfig['setupFunc'],
): tf.KernelConfig | undefined {
  const previous = tf.getKernel(name, 'wasm');
  if (previous) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) =>
      impl({ inputs, backend: backend as WasmBackendHandle, attrs: attrs as unknown as A }),
    setupFunc,
  });
  return previous;
}

/**
 * A kernel input as a Tensor usable with tf ops. The engine does not count such wrappers, but
 * disposing one decrements the backend's count, so take a reference first.
 */
export function asTensor<R extends tf.Rank>(backend: WasmBackendHandle, info: tf.TensorInfo): tf.Tensor<R> {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend) as tf.Tensor<R>;
}

/** Turns a Tensor made inside a kernel into the kernel's output: keep its data, drop our handle. */
export function asKernelOutput(backend: WasmBackendHandle, t: tf.Tensor): tf.TensorInfo {
  backend.incRef(t.dataId);
  const info = { dataId: t.dataId, shape: t.shape.slice(), dtype: t.dtype };
  t.dispose();
  return info;
}

/** Runs `compute` on the kernel's inputs as Tensors inside a tidy and returns its result as the output. */
export function viaOps<A>(args: KernelArgs<A>, compute: (input: (name: string) => tf.Tensor) => tf.Tensor): tf.TensorInfo {
  const { inputs, backend } = args;
  const out = tf.tidy(() =>
    compute((name) => {
      const info = inputs[name];
      if (info == null) throw new Error(`kernel input "${name}" missing`);
      return asTensor(backend, info);
    }),
  );
  return asKernelOutput(backend, out);
}

/** Normalises a stride/dilation attribute to [h, w]. */
export function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : value;
}
