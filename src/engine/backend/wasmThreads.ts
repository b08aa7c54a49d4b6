/**
 * Multi-threaded tfjs-backend-wasm under Node. tfjs-backend-wasm 4.22 turns threads off in Node
 * (WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs issue 3830) and would hand Emscripten `blob:`
 * URLs that `worker_threads` cannot load. We re-register the `wasm` backend factory with our own
 * init: the threaded-SIMD Emscripten glue is loaded from its real file, its pthread worker script
 * is written to a temporary file, and the glue's own path is passed as `mainScriptUrlOrBlob`.
 * The C++ side caps threads at `emscripten_num_logical_cores()/2` (= os.cpus().length/2 in Node)
 * in a static initializer, so while the module instantiates, `os.cpus()` reports 2x the threads.
 * Kernels registered for `wasm` stay valid: they are keyed by backend name.
 */
import * as fs from 'node:fs';
import type * as NodeOs from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { nodeRequire } from './nodeRequire';

// The Emscripten glue calls require('os').cpus(): patch that very object, not an ES namespace copy.
const os = nodeRequire('node:os') as typeof NodeOs;

/** The subset of the Emscripten module that tfjs' BackendWasm reads, plus the pthread pool. */
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number | void;
  tfjs?: Record<string, unknown>;
  PThread?: { terminateAllThreads(): void };
}
type ModuleFactory = (config: {
  locateFile(file: string, prefix: string): string;
  mainScriptUrlOrBlob: string;
}) => Promise<ThreadedModule>;

/** Folder of the Emscripten outputs; resolved at run time so it works from the esbuild bundle too. */
export function wasmOutDir(): string {
  return path.join(path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

let workerFile: string | null = null;

function writeWorkerScript(outDir: string): string {
  if (workerFile) return workerFile;
  // Loaded lazily: the file is large and only needed for threads.
  const { wasmWorkerContents } = nodeRequire(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const file = path.join(os.tmpdir(), `finetune-guide-wasm-worker-${process.pid}.js`);
  // Same escaping tfjs applies before its Blob: the template literal turned "\n" escapes into newlines.
  fs.writeFileSync(file, wasmWorkerContents.replace(/\n/g, '\\n'));
  process.once('exit', () => fs.rmSync(file, { force: true }));
  workerFile = file;
  return file;
}

async function instantiateThreaded(threads: number): Promise<ThreadedModule> {
  const outDir = wasmOutDir();
  const mainScript = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const binary = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const worker = writeWorkerScript(outDir);
  const factory = nodeRequire(mainScript) as ModuleFactory;
  const realCpus = os.cpus;
  const reported = 2 * threads;
  os.cpus = () => {
    const cpus = realCpus.call(os);
    while (cpus.length < reported) cpus.push(cpus[0]);
    return cpus.slice(0, reported);
  };
  let module: ThreadedModule;
  try {
    module = await factory({
      locateFile: (file, prefix) => (file.endsWith('.worker.js') ? worker : file.endsWith('.wasm') ? binary : prefix + file),
      mainScriptUrlOrBlob: mainScript,
    });
  } finally {
    os.cpus = realCpus;
  }
  // The same bridge tfjs' own init() builds (backend_wasm.js).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * Makes the next `tf.setBackend('wasm')` create a backend with `threads` XNNPACK threads.
 * With 1 thread the stock single-threaded SIMD module is used.
 */
export function registerWasmBackend(threads: number): void {
  wasmBackend.setThreadsCount(threads);
  if (threads <= 1) return;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await instantiateThreaded(threads);
      return new wasmBackend.BackendWasm(module as unknown as ConstructorParameters<typeof wasmBackend.BackendWasm>[0]);
    },
    2,
  );
}

/** Threads the initialised wasm backend really uses. */
export function wasmThreadsInUse(): number {
  return wasmBackend.getThreadsCount();
}

/** Ends the pthread workers so the process can exit; safe to call when wasm never started. */
export function terminateWasmThreads(): void {
  // Read the registry directly: tf.findBackend would start a backend that was never used.
  const backend = tf.engine().registry['wasm'] as { wasm?: ThreadedModule } | undefined;
  backend?.wasm?.PThread?.terminateAllThreads();
}
