/**
 * `openDataset`: scans an image folder, checks every file's header, splits it, and serves batches read
 * lazily (one batch decoded ahead while the caller trains on the current one).
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../shared/userError';
import type { SkippedFile } from '../../protocol/run';
import { applyAugmentation, augmentedView, copyScaled, drawAugmentation } from './augment';
import { decodeImage, errorText, probeImage, toUnitFloat } from './decode';
import { decodeFailureReason } from './readFailure';
import { IMAGE_EXTENSIONS_TEXT } from './formats';
import { pixelScaling, type PixelScaling } from './pixelRange';
import { DEFAULT_MAX_CACHED_BYTES, PixelCache } from './pixelCache';
import { mapLimit } from './mapLimit';
import { createRandom, seedFrom, shuffled } from './random';
import { scanImageFolder, type ScannedFile } from './scan';
import { balancedOrder } from './balancedSampling';
import { splitStratified, type SplitResult } from './split';
import type { BatchOptions, CacheStats, Dataset, DatasetOptions, ImageBatch, ImageChannels, ImageSample, Split, SplitBatchSource } from './types';

/** Files probed or decoded at once (sharp runs them on libuv's 4 worker threads). */
const PROBE_CONCURRENCY = 8;
const DECODE_CONCURRENCY = 4;

function sampleId(file: ScannedFile): string {
  return createHash('sha256').update(`${file.relPath}\u0000${file.size}\u0000${file.mtimeMs}`).digest('hex').slice(0, 16);
}

/** The files skipped inside `folder`, for an error thrown before the caller could see `skipped`. */
function skippedNote(skipped: readonly SkippedFile[], folder: string): string {
  const here = skipped.filter((s) => s.file.startsWith(folder + sep));
  if (here.length === 0) return '';
  const shown = here.slice(0, 3).map((s) => `${relative(folder, s.file)} ${s.reason}`);
  const more = here.length > 3 ? ` (and ${here.length - 3} more)` : '';
  return ` Skipped ${here.length} file(s): ${shown.join(' ')}${more}`;
}

function checkOptions(options: DatasetOptions): void {
  const { inputSize, validationSplit, channels = 3, sampleShape } = options;
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error(`openDataset: inputSize must be a positive integer, got ${inputSize}`);
  if (channels !== 1 && channels !== 3) throw new Error(`openDataset: channels must be 1 or 3, got ${String(channels)}`);
  if (sampleShape && sampleShape.reduce((a, b) => a * b, 1) !== inputSize * inputSize * channels) {
    throw new Error(`openDataset: sampleShape [${sampleShape.join(', ')}] does not hold ${inputSize}x${inputSize}x${channels} pixels`);
  }
  if (!(validationSplit > 0 && validationSplit < 1)) {
    throw new Error(`openDataset: validationSplit must be between 0 and 1 (exclusive), got ${validationSplit}`);
  }
  const testSplit = options.testSplit ?? 0;
  if (!(testSplit >= 0 && validationSplit + testSplit < 1)) {
    throw new Error(`openDataset: testSplit must be >= 0 with validationSplit + testSplit < 1, got ${testSplit}`);
  }
}

/** Opens an image folder with one sub-folder per class; throws UserError when it cannot be used. */
export async function openDataset(options: DatasetOptions): Promise<Dataset> {
  checkOptions(options);
  const scan = await scanImageFolder(options.folder);
  const skipped: SkippedFile[] = [...scan.skipped];
  const classes = orderClasses(scan.classes, options.classOrder, scan.folder);
  refuseWrongLevel(classes, scan.folder);
  const byClass = [];
  for (const [label, cls] of classes.entries()) {
    const problems = await mapLimit(cls.files, PROBE_CONCURRENCY, (f) => probeImage(f.file, f.size));
    const samples: ImageSample[] = [];
    cls.files.forEach((f, i) => {
      const problem = problems[i];
      if (problem) skipped.push({ file: f.file, reason: problem });
      else samples.push({ id: sampleId(f), file: f.file, relPath: f.relPath, label });
    });
    if (samples.length < 2) {
      const usable = samples.length === 0 ? 'no usable images' : `${samples.length} usable image; it needs at least 2 (one for training, one for validation)`;
      throw new UserError(
        `class "${cls.name}" has ${usable}.${skippedNote(skipped, cls.folder)}`,
        cls.folder,
        `Add ${IMAGE_EXTENSIONS_TEXT} images to it (a few dozen per class work best) or remove the folder.`,
      );
    }
    byClass.push({ name: cls.name, folder: cls.folder, samples });
  }
  const split = splitStratified(byClass, options.validationSplit, options.seed, options.testSplit ?? 0);
  return new ImageFolderDataset(options, scan.folder, classes.map((c) => c.name), split, skipped);
}

/** At least this many class folders, most with under 2 images, look like a folder one level too high. */
const WRONG_LEVEL_MIN_CLASSES = 10;

/**
 * Told from the scan alone, before thousands of headers are read: many class folders, most holding fewer than
 * 2 images (a photo library with one folder per day, a data set's parent folder) mean data.folder is one level off.
 */
function refuseWrongLevel(classes: readonly { readonly name: string; readonly files: readonly unknown[] }[], folder: string): void {
  const small = classes.filter((c) => c.files.length < 2);
  if (classes.length < WRONG_LEVEL_MIN_CLASSES || small.length * 2 <= classes.length) return;
  throw new UserError(
    `has ${classes.length} sub-folders, and ${small.length} of them hold fewer than 2 images (e.g. ${small.slice(0, 3).map((c) => `"${c.name}"`).join(', ')}); every sub-folder becomes a class, so this looks like the wrong folder.`,
    folder,
    'Point data.folder at the folder whose sub-folders are the classes (data/cat, data/dog), with at least 2 images in each.',
  );
}

/** The classes in `order` (a kept classifier's labels); a folder the order does not name is a UserError. */
function orderClasses<C extends { readonly name: string }>(classes: readonly C[], order: DatasetOptions['classOrder'], folder: string): C[] {
  if (!order) return [...classes];
  const unknown = classes.filter((c) => !order.names.includes(c.name)).map((c) => `"${c.name}"`);
  if (unknown.length > 0) {
    throw new UserError(
      `has class folder(s) ${unknown.join(', ')} that are not labels of the model (${order.names.map((n) => `"${n}"`).join(', ')}).`,
      folder,
      `Name each class folder after one of the model's labels, or ${order.otherwise}`,
    );
  }
  return order.names.flatMap((name) => classes.filter((c) => c.name === name));
}

class ImageFolderDataset implements Dataset {
  readonly inputSize: number;
  readonly channels: ImageChannels;
  private readonly sampleShape: readonly number[];
  private readonly scaling: PixelScaling;
  private readonly cache: PixelCache;
  readonly train: readonly ImageSample[];
  readonly validation: readonly ImageSample[];
  readonly test: readonly ImageSample[];
  readonly splitHash: string;
  /** Ids of samples that failed to decode after the up-front checks; left out from then on. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly options: DatasetOptions,
    readonly folder: string,
    readonly classes: readonly string[],
    split: SplitResult,
    readonly skipped: SkippedFile[],
  ) {
    this.train = split.train;
    this.validation = split.validation;
    this.test = split.test;
    this.splitHash = split.splitHash;
    this.inputSize = options.inputSize;
    this.channels = options.channels ?? 3;
    this.sampleShape = options.sampleShape ?? [this.inputSize, this.inputSize, this.channels];
    this.scaling = pixelScaling(options.pixelRange ?? '0..1');
    this.cache = new PixelCache(options.maxCachedBytes ?? DEFAULT_MAX_CACHED_BYTES);
  }

  private usable(split: Split): ImageSample[] {
    return (split === 'train' ? this.train : split === 'test' ? this.test : this.validation).filter((s) => !this.failed.has(s.id));
  }

  size(split: Split): number {
    return this.usable(split).length;
  }

  batchCount(split: Split, batchSize: number): number {
    return Math.ceil(this.size(split) / batchSize);
  }

  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  async pixels(sample: ImageSample): Promise<Float32Array | null> {
    const [loaded] = await this.load([sample]);
    return loaded.pixels ? toUnitFloat(loaded.pixels) : null;
  }

  source(split: Split, batchSize: number, options: Omit<BatchOptions, 'epoch'> = {}): SplitBatchSource {
    // Getters: a file that fails to decode later shrinks the split.
    const sizeNow = () => this.size(split);
    const batchesNow = () => this.batchCount(split, batchSize);
    return {
      get size() {
        return sizeNow();
      },
      get batchesPerEpoch() {
        return batchesNow();
      },
      batches: (epoch: number) => this.batches(split, batchSize, { ...options, epoch }),
    };
  }

  async *batches(split: Split, batchSize: number, options: BatchOptions = {}): AsyncGenerator<ImageBatch> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batches: batchSize must be a positive integer, got ${batchSize}`);
    const epoch = options.epoch ?? 0;
    const augment = options.augment ?? split === 'train';
    if (augment && split !== 'train') throw new Error('batches: augmentation applies to the training split only');
    const shuffle = options.shuffle ?? split === 'train';
    const samples = this.usable(split);
    const order = !shuffle
      ? samples
      : split === 'train' && this.options.balance === 'sampling'
        ? balancedOrder(samples, this.classes.length, this.options.seed, epoch)
        : shuffled(samples, createRandom(seedFrom(this.options.seed, 'shuffle', split, epoch)));
    const chunks: ImageSample[][] = [];
    for (let i = 0; i < order.length; i += batchSize) chunks.push(order.slice(i, i + batchSize));

    let pending = chunks.length > 0 ? this.load(chunks[0]) : undefined;
    try {
      for (let i = 0; i < chunks.length; i++) {
        const loaded = await pending!;
        pending = i + 1 < chunks.length ? this.load(chunks[i + 1]) : undefined;
        const ready = loaded.filter((l): l is { sample: ImageSample; pixels: Uint8Array } => l.pixels !== null);
        if (ready.length === 0) continue;
        yield this.toBatch(ready, augment, epoch);
      }
    } finally {
      // An abandoned generator must not leave an unobserved rejection behind.
      pending?.catch(() => undefined);
    }
  }

  private toBatch(ready: readonly { sample: ImageSample; pixels: Uint8Array }[], augment: boolean, epoch: number): ImageBatch {
    const size = this.inputSize;
    const imageLength = size * size * this.channels;
    const xs = new Float32Array(ready.length * imageLength);
    const ys = new Float32Array(ready.length * this.classes.length);
    const ids: string[] = [];
    ready.forEach(({ sample, pixels }, i) => {
      // An augmented view is its own sample for the frozen-prefix cache: it gets its own id.
      const view = augment ? augmentedView(this.options.augmentation, this.options.seed, epoch, sample.relPath) : null;
      ids.push(view === null ? sample.id : `${sample.id}#view${view}`);
      if (augment) {
        // Keyed by the relative path, not the id (which holds the file's mtime): a copied data folder augments alike.
        const draw = drawAugmentation(this.options.augmentation, size, this.options.seed, epoch, sample.relPath);
        applyAugmentation(pixels, size, draw, xs, i * imageLength, this.channels, this.scaling);
      } else {
        copyScaled(pixels, xs, i * imageLength, this.scaling);
      }
      ys[i * this.classes.length + sample.label] = 1;
    });
    return {
      xs: tf.tensor(xs, [ready.length, ...this.sampleShape], 'float32'),
      ys: tf.tensor2d(ys, [ready.length, this.classes.length], 'float32'),
      files: ready.map((r) => r.sample.file),
      ids,
      labels: ready.map((r) => r.sample.label),
    };
  }

  /** Decoded 8-bit pixels (from the cache when there); files that fail are recorded as skipped. */
  private async load(samples: readonly ImageSample[]): Promise<{ sample: ImageSample; pixels: Uint8Array | null }[]> {
    const newlySkipped: SkippedFile[] = [];
    const loaded = await mapLimit(samples, DECODE_CONCURRENCY, async (sample) => {
      if (this.failed.has(sample.id)) return { sample, pixels: null };
      const cached = this.cache.get(sample.id);
      if (cached) return { sample, pixels: cached };
      try {
        const pixels = await decodeImage(sample.file, this.inputSize, this.channels);
        this.cache.set(sample.id, pixels);
        return { sample, pixels };
      } catch (error) {
        this.failed.add(sample.id);
        newlySkipped.push({ file: sample.file, reason: await decodeFailureReason(sample.file, errorText(error)) });
        return { sample, pixels: null };
      }
    });
    if (newlySkipped.length > 0) {
      this.skipped.push(...newlySkipped);
      this.options.onSkip?.(newlySkipped);
    }
    return loaded;
  }
}
