/** Public types of the data pipeline: an image folder with one sub-folder per class. */
import type * as tf from '@tensorflow/tfjs';
import type { AugmentationConfig, DataBalance, PixelRange } from '../../protocol/config';
import type { SkippedFile } from '../../protocol/run';

/** Colour channels images are decoded to: 3 = RGB, 1 = grey (BT.601 luma, as Keras' grayscale mode). */
export type ImageChannels = 1 | 3;

/** Which side of the train/validation/test split. */
export type Split = 'train' | 'validation' | 'test';

/** One image of the data set. */
export interface ImageSample {
  /**
   * Stable id: a hash of the path relative to the data folder, the file size and its modification
   * time, so a cache keyed on it (decoded pixels, frozen-prefix activations) is dropped when the file changes.
   */
  readonly id: string;
  /** Absolute path. */
  readonly file: string;
  /** Path relative to the data folder, with `/` separators (e.g. `cat/001.jpg`). */
  readonly relPath: string;
  /** Index into `Dataset.classes`. */
  readonly label: number;
}

export interface DatasetOptions {
  /** The image folder: one sub-folder per class. */
  readonly folder: string;
  /** Square side in pixels that every image is resized to. */
  readonly inputSize: number;
  /** Decode to RGB (3, the default) or grey (1), for a model whose input has one channel or none. */
  readonly channels?: ImageChannels;
  /**
   * Shape of one sample in a batch (`inputLayoutOf(model input).sampleShape`): e.g. [28, 28] or [784]
   * for a channel-less model. Default [inputSize, inputSize, channels].
   */
  readonly sampleShape?: readonly number[];
  /** The range batches are scaled to (`model.pixelRange`); default `0..1` (bytes / 255). */
  readonly pixelRange?: PixelRange;
  /**
   * Class order to use instead of the sorted folder names (the labels of a kept classifier), and the
   * other way out a message offers; a folder not in `names` is a UserError.
   */
  readonly classOrder?: { readonly names: readonly string[]; readonly otherwise: string };
  /** Fraction of each class kept for validation, 0 < f < 1. */
  readonly validationSplit: number;
  /** Fraction of each class held out as a test set (`data.testSplit`), 0 <= f < 1 - validationSplit; default 0. */
  readonly testSplit?: number;
  /** `sampling`: each training epoch draws every class equally often (balancedSampling.ts); default `none`. */
  readonly balance?: DataBalance;
  /** Seeds the split, the shuffling and the augmentation. */
  readonly seed: number;
  readonly augmentation: AugmentationConfig;
  /** Byte budget of the decoded-pixel cache (default 256 MiB); 0 disables it. */
  readonly maxCachedBytes?: number;
  /** Called when an image that passed the up-front checks fails to decode later (it is then left out). */
  readonly onSkip?: (files: readonly SkippedFile[]) => void;
}

export interface BatchOptions {
  /** Epoch number: seeds shuffling and augmentation (same seed + epoch -> same batches). Default 0. */
  readonly epoch?: number;
  /** Apply the project's augmentation. Default: true for `train`; not allowed for `validation`. */
  readonly augment?: boolean;
  /** Shuffle the order. Default: true for `train`, false for `validation`. */
  readonly shuffle?: boolean;
}

/** One batch; the caller disposes `xs` and `ys`. */
export interface ImageBatch {
  /** [n, size, size, channels] (or [n, ...sampleShape]), float32 in the pixel range (default [0, 1]). */
  readonly xs: tf.Tensor;
  /** [n, classes], one-hot. */
  readonly ys: tf.Tensor2D;
  /** Absolute paths of the n images, in batch order. */
  readonly files: string[];
  /** Sample ids, in batch order. */
  readonly ids: string[];
  /** Class indices, in batch order. */
  readonly labels: number[];
}

/** Batches of one split epoch by epoch (the shape the phase runner consumes). */
export interface SplitBatchSource {
  readonly size: number;
  readonly batchesPerEpoch: number;
  batches(epoch: number): AsyncGenerator<ImageBatch>;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
}

export interface Dataset {
  readonly folder: string;
  /** Sorted class (sub-folder) names (or in `classOrder`); a label is an index into this list. */
  readonly classes: readonly string[];
  readonly inputSize: number;
  readonly channels: ImageChannels;
  readonly train: readonly ImageSample[];
  readonly validation: readonly ImageSample[];
  /** Held out for one evaluation at the end (`data.testSplit`); empty when there is none. Never in a training or validation batch. */
  readonly test: readonly ImageSample[];
  /** SHA-256 over the sorted relative paths of each split: equal hashes mean the same split. */
  readonly splitHash: string;
  /** Files left out (not an image, corrupt, empty, too large...); grows if a later decode fails. */
  readonly skipped: readonly SkippedFile[];
  /** Number of usable images in a split (excludes files that failed to decode). */
  size(split: Split): number;
  /** Number of batches of one epoch. */
  batchCount(split: Split, batchSize: number): number;
  /** The batches of one epoch, read lazily (one batch decoded ahead). */
  batches(split: Split, batchSize: number, options?: BatchOptions): AsyncGenerator<ImageBatch>;
  /** Adapter for the phase runner: `batches(epoch)` with this split's default options. */
  source(split: Split, batchSize: number, options?: Omit<BatchOptions, 'epoch'>): SplitBatchSource;
  /**
   * Un-augmented pixels of one sample: HWC float32 in [0, 1], length size*size*channels (cached).
   * Null when the file fails to decode (it is then added to `skipped`).
   */
  pixels(sample: ImageSample): Promise<Float32Array | null>;
  cacheStats(): CacheStats;
}
