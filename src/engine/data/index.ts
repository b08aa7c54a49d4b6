/** The data pipeline: image folder -> classes, seeded split, lazily decoded (and augmented) batches. */
export { openDataset } from './dataset';
export { decodeImageFloat, MAX_INPUT_PIXELS } from './decode';
export { IMAGE_EXTENSIONS } from './formats';
export { DEFAULT_MAX_CACHED_BYTES } from './pixelCache';
export type { BatchOptions, CacheStats, Dataset, DatasetOptions, ImageBatch, ImageSample, Split, SplitBatchSource } from './types';
