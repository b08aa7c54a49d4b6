/**
 * How a phase runs, given its freeze plan: when the layers before the first trainable layer are
 * frozen, train only the rest (a suffix model sharing the full model's layers) on the prefix's
 * output: cached once per image (once per augmented view, with augmentation.views), else recomputed
 * every step with BatchNorm folded into the frozen convolutions. Validation inputs are never augmented,
 * so their prefix output is always cached. Returns what the phase runner's `PhaseSetup` needs.
 */
import * as os from 'node:os';
import type * as tf from '@tensorflow/tfjs';
import type { AugmentationConfig } from '../../protocol/config';
import type { PrefixCacheUse } from '../../protocol/run';
import { activeAugmentations, augmentedViewCount } from '../data';
import { isBatchNormInference } from '../model';
import { modelGraph, type ModelGraph } from './graph';
import {
  cachedSource, prefixFingerprint, PrefixCacheRegistry, prefixSignature, type PrefixState, recomputedSource, sameSignature, type SampleBatchSource, type TrainBatchSource,
} from './prefixCache';
import { findPrefixCut, type PrefixCut } from './prefixCut';
import { buildPrefixExecutor, type PrefixExecutor } from './prefixExecutor';
import { buildSuffixModel } from './suffixModel';

export interface PhaseExecutionOptions {
  /** The full model with this phase's freeze plan applied (trainable flags, BatchNorm mode). */
  readonly model: tf.LayersModel;
  /** Training batches as the phase trains on them (augmented when augmentation is on), with sample ids. */
  readonly train: SampleBatchSource;
  /** Validation batches (never augmented), with sample ids. */
  readonly val: SampleBatchSource;
  /** The project's augmentation; an active one turns the training cache off unless it has fixed views. */
  readonly augmentation: AugmentationConfig;
  /** Describes the input pipeline (input size, preprocessing, data split): a change invalidates the cache. */
  readonly pipelineKey: string;
  /** Folder for the cache's spill file (the run folder); default: the OS temp folder. */
  readonly spillDir?: string;
  /** Bytes of activations kept in memory before spilling (default 512 MiB). */
  readonly memoryBudgetBytes?: number;
  /** false: never cache (recompute the prefix every step); for measuring. Default true. */
  readonly cache?: boolean;
  readonly backend?: string;
  readonly log?: (msg: string) => void;
}

export interface PhaseExecution {
  /** The model the phase trains and validates: a suffix sharing the full model's layers, or the full model. */
  readonly model: tf.LayersModel;
  readonly train: TrainBatchSource;
  readonly val: TrainBatchSource;
  /** Whether training reads cached prefix activations, and why (not). */
  readonly cache: PrefixCacheUse;
  readonly backend: string;
  /** The cut, when there is one: the prefix's last layer, how many conv+BN pairs were folded. */
  readonly prefix: { readonly lastLayer: string; readonly layers: number; readonly folded: number } | null;
  /** Frees the suffix model's nodes, folded weights and the cache; never the full model. */
  dispose(): void;
}

/** Plans the phase; see the file comment. Falls back to the full model (and says why) rather than fail. */
export function planPhaseExecution(options: PhaseExecutionOptions): PhaseExecution {
  const { model, train, val } = options;
  const log = options.log ?? (() => undefined);
  const backend = options.backend ?? 'unknown';
  const wholeModel = (why: string): PhaseExecution => {
    const reason = `off: ${why}; the whole model runs every step`;
    log(`frozen-prefix cache ${reason}`);
    return { model, train, val, cache: { used: false, reason }, backend, prefix: null, dispose: () => undefined };
  };
  try {
    const graph = modelGraph(model);
    if (graph.inputs.length !== 1) return wholeModel(`the model has ${graph.inputs.length} inputs (the cache handles one)`);
    const cut = findPrefixCut(graph, isBatchNormInference);
    if (cut.kind === 'none') return rebuiltWithFolding(options, graph, cut.reason, log, backend) ?? wholeModel(cut.reason);
    return planWithCut(options, graph, cut, log, backend);
  } catch (error) {
    // An optimisation must never stop training: an unexpected graph trains as a whole.
    return wholeModel(`the model could not be split (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

/**
 * No frozen prefix, but conv + inference-mode BatchNorm pairs in the trainable part: the whole
 * model rebuilt with each pair as one layer (same weights), or null when there is no such pair.
 */
function rebuiltWithFolding(options: PhaseExecutionOptions, graph: ModelGraph, why: string, log: (msg: string) => void, backend: string): PhaseExecution | null {
  const input = graph.inputs[0];
  const inputIndex = graph.nodes.findIndex((n) => n.layer.getClassName() === 'InputLayer' && n.outputs[0]?.id === input.id);
  if (inputIndex !== 0) return null;
  const rebuilt = buildSuffixModel(graph, inputIndex, input, options.model.name, isBatchNormInference);
  if (rebuilt.foldedPairs === 0) {
    rebuilt.detach();
    return null;
  }
  const reason = `off: ${why}; the whole model runs every step (${rebuilt.foldedPairs} conv + BatchNorm pairs as one layer each)`;
  log(`frozen-prefix cache ${reason}`);
  return { model: rebuilt.model, train: options.train, val: options.val, cache: { used: false, reason }, backend, prefix: null, dispose: () => rebuilt.detach() };
}

function planWithCut(
  options: PhaseExecutionOptions,
  graph: ModelGraph,
  cut: Extract<PrefixCut, { kind: 'cut' }>,
  log: (msg: string) => void,
  backend: string,
): PhaseExecution {
  const { model, train, val } = options;
  // BatchNorm is always folded into the frozen convolutions before it (the same outputs, fewer kernels).
  const fold = true;
  const registry = new PrefixCacheRegistry(options.spillDir ?? os.tmpdir(), options.memoryBudgetBytes);
  const boundaryShape = cut.boundary.shape.slice(1) as number[];
  const featureSize = boundaryShape.reduce((a, b) => a * b, 1);
  let fingerprint = '';
  let signature: unknown[] = [];
  let executor: PrefixExecutor | null = null;
  const prefix: PrefixState = {
    // Checked at the start of every epoch: a changed base weight or freeze flag starts a new cache.
    // Hashing the weights takes tens of ms, so it only runs when their data objects changed.
    current() {
      const nowSignature = prefixSignature(graph, cut.lastIndex);
      const unchanged = executor != null && sameSignature(nowSignature, signature);
      const now = unchanged ? fingerprint : prefixFingerprint(graph, cut.lastIndex, cut.boundary, options.pipelineKey, fold);
      signature = nowSignature;
      if (now !== fingerprint || executor == null) {
        if (executor != null) log('frozen prefix changed (weights, freeze plan or input pipeline): its cache starts over');
        executor?.dispose();
        executor = buildPrefixExecutor(graph, cut.lastIndex, cut.boundary, { fold });
        fingerprint = now;
      }
      return { executor, store: registry.storeFor(fingerprint, featureSize) };
    },
  };
  const first = prefix.current();
  const lastLayer = graph.nodes[cut.lastIndex].layer.name;
  let suffix: ReturnType<typeof buildSuffixModel>;
  try {
    suffix = buildSuffixModel(graph, cut.lastIndex, cut.boundary, model.name, isBatchNormInference);
  } catch (error) {
    first.executor.dispose();
    registry.dispose();
    throw error;
  }

  const augmentations = activeAugmentations(options.augmentation);
  const views = augmentedViewCount(options.augmentation);
  const cacheTrain = (options.cache ?? true) && (augmentations.length === 0 || views > 0);
  const cacheVal = options.cache ?? true;
  const where = `up to ${lastLayer} (${cut.lastIndex + 1} layers, ${first.executor.folded} BatchNorm layers folded; ${cut.stopReason} next)`;
  const reason = cacheTrain
    ? augmentations.length === 0
      ? `on: the frozen prefix ${where} is computed once per image, ${featureSize} floats each`
      : `on, with ${views} augmented views per image (${augmentations.join(', ')}; each epoch uses one): the frozen prefix ${where} is computed once per view, ${featureSize} floats each`
    : options.cache === false
      ? `off (disabled): the frozen prefix ${where} is recomputed every step`
      : `off: augmentation (${augmentations.join(', ')}) draws new pixels every step (augmentation.views is 0), and they pass through the frozen prefix first, ` +
        `so the prefix ${where} is recomputed every step (validation images are not augmented: theirs is cached)`;
  log(`frozen-prefix cache ${reason}`);

  return {
    model: suffix.model,
    train: cacheTrain ? cachedSource(train, prefix, boundaryShape) : recomputedSource(train, prefix),
    val: cacheVal ? cachedSource(val, prefix, boundaryShape) : recomputedSource(val, prefix),
    cache: cacheTrain && augmentations.length > 0 ? { used: true, reason, augmentedViews: views } : { used: cacheTrain, reason },
    backend,
    prefix: { lastLayer, layers: cut.lastIndex + 1, folded: first.executor.folded },
    dispose(): void {
      suffix.detach();
      executor?.dispose();
      executor = null;
      registry.dispose();
    },
  };
}
