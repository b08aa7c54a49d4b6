/**
 * Batch sources that feed a suffix model: from cached prefix activations (computed once per image)
 * or from the prefix recomputed every step. Both take the data set's batches (with sample ids) in
 * the order the data pipeline chose, so training sees the same batches either way.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ActivationStore } from './activationStore';
import type { ModelGraph } from './graph';
import type { PrefixExecutor } from './prefixExecutor';

/** A batch as the data pipeline gives it: inputs, one-hot labels and the samples' stable ids. */
export interface SampleBatch {
  readonly xs: tf.Tensor;
  readonly ys: tf.Tensor;
  readonly ids: readonly string[];
}

/** One split's batches, epoch by epoch (the data module's `Dataset.source(...)` fits). */
export interface SampleBatchSource {
  readonly size: number;
  readonly batchesPerEpoch: number;
  batches(epoch: number): AsyncIterable<SampleBatch>;
}

/** What the phase runner consumes: `xs` and `ys` per batch, which it disposes. */
export interface TrainBatchSource {
  readonly size: number;
  readonly batchesPerEpoch: number;
  batches(epoch: number): AsyncIterable<{ readonly xs: tf.Tensor; readonly ys: tf.Tensor }>;
}

/** The prefix as currently valid: `current()` re-checks the fingerprint and rebuilds when it changed. */
export interface PrefixState {
  current(): { executor: PrefixExecutor; store: ActivationStore };
}

/**
 * Identity of what the cached activations depend on: the input pipeline, the prefix layers (names,
 * classes, trainable flags) and every prefix weight's values. Any change means a new cache.
 */
export function prefixFingerprint(graph: ModelGraph, lastIndex: number, boundary: tf.SymbolicTensor, pipelineKey: string, fold: boolean): string {
  const hash = createHash('sha256');
  hash.update(`${pipelineKey}|${JSON.stringify(graph.inputs.map((t) => t.shape))}|fold=${fold}|${boundary.name}`);
  for (const node of graph.nodes.slice(0, lastIndex + 1)) {
    const { layer } = node;
    hash.update(`|${layer.name}:${layer.getClassName()}:${layer.trainable}`);
    for (const weight of layer.weights) {
      const values = weight.read().dataSync();
      hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
  }
  return hash.digest('hex');
}

/**
 * A cheap stand-in for the fingerprint between epochs: tfjs replaces a variable's data object on
 * every write (Variable.assign), so unchanged data objects and flags mean unchanged prefix weights.
 */
export function prefixSignature(graph: ModelGraph, lastIndex: number): unknown[] {
  return graph.nodes.slice(0, lastIndex + 1).flatMap(({ layer }) => [layer.trainable, ...layer.weights.map((w) => w.read().dataId)]);
}

export function sameSignature(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Holds activation stores across phases, so a later phase with the same prefix reuses them. */
export class PrefixCacheRegistry {
  private readonly stores = new Map<string, ActivationStore>();

  constructor(
    /** Folder for spill files (the run folder). */
    readonly dir: string,
    /** Bytes of activations kept in memory per store before spilling. */
    readonly memoryBudgetBytes: number = 512 * 1024 * 1024,
  ) {}

  /** The store for a fingerprint; other stores are dropped (only one prefix is live at a time). */
  storeFor(fingerprint: string, featureSize: number): ActivationStore {
    const existing = this.stores.get(fingerprint);
    if (existing && existing.featureSize === featureSize) return existing;
    this.dispose();
    const store = new ActivationStore(featureSize, this.memoryBudgetBytes, path.join(this.dir, `prefix-cache-${fingerprint.slice(0, 16)}.bin`));
    this.stores.set(fingerprint, store);
    return store;
  }

  /** Drops every store and deletes spill files. */
  dispose(): void {
    for (const store of this.stores.values()) store.clear();
    this.stores.clear();
  }
}

/**
 * A source whose batches keep their labels and replace their images by `inputsFor(batch)`, made once
 * per epoch by `startEpoch`. The images are always freed; the labels too when the replacement fails.
 */
function replacingInputs(inner: SampleBatchSource, startEpoch: () => (batch: SampleBatch) => Promise<tf.Tensor> | tf.Tensor): TrainBatchSource {
  return {
    // Getters, as the dataset's own: a file that fails to load later shrinks the split.
    get size() {
      return inner.size;
    },
    get batchesPerEpoch() {
      return inner.batchesPerEpoch;
    },
    async *batches(epoch: number) {
      const inputsFor = startEpoch();
      for await (const batch of inner.batches(epoch)) {
        let xs: tf.Tensor;
        try {
          xs = await inputsFor(batch);
        } catch (error) {
          batch.ys.dispose();
          throw error;
        } finally {
          batch.xs.dispose();
        }
        yield { xs, ys: batch.ys };
      }
    },
  };
}

/** Batches of cached prefix activations; misses are computed (in one call per batch) and stored. */
export function cachedSource(inner: SampleBatchSource, prefix: PrefixState, boundaryShape: readonly number[]): TrainBatchSource {
  return replacingInputs(inner, () => {
    const { executor, store } = prefix.current();
    return async (batch) => {
      const missing = batch.ids.flatMap((id, row) => (store.has(id) ? [] : [row]));
      if (missing.length > 0) {
        const acts = tf.tidy(() => executor.run(missing.length === batch.ids.length ? batch.xs : tf.gather(batch.xs, missing)));
        const values = (await acts.data()) as Float32Array;
        acts.dispose();
        const size = store.featureSize;
        missing.forEach((row, j) => store.put(batch.ids[row], values.subarray(j * size, (j + 1) * size)));
      }
      return tf.tensor(store.gather(batch.ids), [batch.ids.length, ...boundaryShape]);
    };
  });
}

/** Batches of prefix activations recomputed every step (for augmented inputs). */
export function recomputedSource(inner: SampleBatchSource, prefix: PrefixState): TrainBatchSource {
  return replacingInputs(inner, () => {
    const { executor } = prefix.current();
    return (batch) => executor.run(batch.xs);
  });
}
