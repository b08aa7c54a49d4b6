/**
 * Backend choice for training: tfjs-node when it loads, else wasm (threads + our training kernels),
 * else the pure-JS cpu backend. Everything that runs tfjs in the engine calls `initBackend` first.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../../protocol/host';
import { UserError } from '../../shared/userError';
import { registerWasmTrainingKernels } from './kernels';
import { nodeRequire } from './nodeRequire';
import { registerWasmBackend, terminateWasmThreads, wasmThreadsInUse } from './wasmThreads';

/** A backend that runs (what `auto` resolves to). */
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface BackendInfo {
  readonly name: BackendName;
  /** Threads the backend computes with (1 for cpu). */
  readonly threads: number;
}

export interface BackendOptions {
  /** Upper bound on threads; default: all logical cores. */
  readonly threads?: number;
  readonly log?: (msg: string) => void;
  /**
   * Our wasm kernels: `all` (default) = missing conv gradients + faster replacements; `missing` =
   * only the conv gradients; `none` = stock tfjs-backend-wasm (for the benchmark's comparison row).
   */
  readonly wasmKernels?: 'all' | 'missing' | 'none';
}

/** Kernels that wasm lacks in tfjs 4.22 and that training a conv layer needs. */
export const CONV_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

/** Where the preference comes from, for error messages. */
const SETTING = 'backend setting (finetuneGuide.backend / --backend)';

let current: BackendInfo | null = null;

/**
 * Picks and starts the backend. `auto`: tfjs-node if it can be loaded, else wasm, else cpu (with a
 * warning). An explicit preference that cannot be satisfied throws a UserError. Starting twice
 * returns the first result: tfjs keeps one wasm module per process, its thread count is fixed.
 */
export async function initBackend(preference: BackendPreference, opts: BackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? (() => undefined);
  if (current && (preference === 'auto' || preference === current.name)) return current;
  const threads = threadLimit(opts.threads);
  const info = await chooseBackend(preference, threads, opts.wasmKernels ?? 'all', log);
  log(`backend: ${info.name}, ${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  current = info;
  return info;
}

async function chooseBackend(
  preference: BackendPreference,
  threads: number,
  kernels: 'all' | 'missing' | 'none',
  log: (msg: string) => void,
): Promise<BackendInfo> {
  switch (preference) {
    case 'tensorflow': {
      const failure = await tryTensorflow();
      if (failure == null) return { name: 'tensorflow', threads: os.availableParallelism() };
      throw new UserError(
        `the "tensorflow" backend needs @tensorflow/tfjs-node, which cannot be loaded here (${failure}).`,
        SETTING,
        'Install it with `npm install @tensorflow/tfjs-node@4.22.0`, or choose "auto" or "wasm".',
      );
    }
    case 'wasm': {
      const failure = await tryWasm(threads, kernels);
      if (failure == null) return { name: 'wasm', threads: wasmThreadsInUse() };
      throw new UserError(`the "wasm" backend could not start (${failure}).`, SETTING, 'Choose "auto" or "cpu".');
    }
    case 'cpu':
      await startCpu();
      return { name: 'cpu', threads: 1 };
    case 'auto': {
      const tfFailure = await tryTensorflow();
      if (tfFailure == null) return { name: 'tensorflow', threads: os.availableParallelism() };
      log(`@tensorflow/tfjs-node is not available (${tfFailure}); trying wasm`);
      const wasmFailure = await tryWasm(threads, kernels);
      if (wasmFailure == null) return { name: 'wasm', threads: wasmThreadsInUse() };
      log(
        `warning: falling back to the pure-JavaScript cpu backend because wasm could not start (${wasmFailure}). ` +
          'It is about 100x slower than native code (1000x when conv layers train): expect long runs.',
      );
      await startCpu();
      return { name: 'cpu', threads: 1 };
    }
    default: {
      const unknown: never = preference;
      throw new UserError(`unknown backend "${String(unknown)}".`, SETTING, 'Use one of auto, tensorflow, wasm, cpu.');
    }
  }
}

function threadLimit(requested: number | undefined): number {
  const cores = os.availableParallelism();
  if (requested == null) return cores;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new UserError(`threads must be a whole number of at least 1, got ${requested}.`, 'threads setting (--threads)', `Use 1 to ${cores}.`);
  }
  return Math.min(requested, cores);
}

/** Loads tfjs-node (optional dependency) lazily; returns why it failed, or null on success. */
async function tryTensorflow(): Promise<string | null> {
  try {
    nodeRequire('@tensorflow/tfjs-node');
  } catch (error) {
    return firstLine(error);
  }
  return (await tf.setBackend('tensorflow')) ? null : 'tf.setBackend("tensorflow") returned false';
}

async function tryWasm(threads: number, kernels: 'all' | 'missing' | 'none'): Promise<string | null> {
  try {
    if (kernels !== 'none') registerWasmTrainingKernels({ fast: kernels === 'all' });
    registerWasmBackend(threads);
    if (!(await tf.setBackend('wasm'))) return 'tf.setBackend("wasm") returned false';
    await tf.ready();
    return null;
  } catch (error) {
    return firstLine(error);
  }
}

async function startCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
  await tf.ready();
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** Whether `name` can train the model: wasm needs our conv gradient kernels when conv layers train. */
export function backendCanTrain(name: BackendName, needsConvGradients: boolean): boolean {
  if (name !== 'wasm' || !needsConvGradients) return true;
  return CONV_GRADIENT_KERNELS.every((kernel) => tf.getKernel(kernel, 'wasm') != null);
}

/** The backend started by `initBackend`, or null. */
export function currentBackend(): BackendInfo | null {
  return current;
}

/** Stops wasm worker threads so the process can exit (call at the end of a CLI run or test file). */
export function shutdownBackend(): void {
  terminateWasmThreads();
}

export { planPhaseExecution, type PhaseExecution, type PhaseExecutionOptions } from './phaseExecution';
export type { SampleBatch, SampleBatchSource, TrainBatchSource } from './prefixCache';
export { registerWasmTrainingKernels } from './kernels';
