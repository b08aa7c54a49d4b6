/**
 * The data pipeline: an image folder (one sub-folder per class) -> classes, a stratified seeded split,
 * and lazily decoded, optionally augmented batches. Choices a user can notice:
 * - class names are the sub-folder names sorted by code unit; images are found at any depth below them;
 *   hidden and system entries (`.DS_Store`, `.git`, Thumbs.db, `__MACOSX`, `@eaDir`) are ignored; links are followed, a link loop is a UserError;
 * - a file that cannot be used (not an image, empty, corrupt, over 67 megapixels) is skipped and
 *   listed in `dataset.skipped`; one that fails only when decoded later is also reported via `onSkip`;
 * - images are centre-cropped to a square (`fit: 'cover'`), alpha dropped, scaled to `pixelRange` (default [0, 1]).
 */
export { activeAugmentations, augmentedViewCount } from './augment';
export { openDataset } from './dataset';
export { splitCountsOf } from './splitCounts';
export { MAX_INPUT_PIXELS } from './decode';
export { IMAGE_EXTENSIONS } from './formats';
export { rgbToGrey } from './grey';
export { inputLayoutOf, type InputLayout } from './inputLayout';
export { DEFAULT_MAX_CACHED_BYTES } from './pixelCache';
export { describePixelRange, isPixelRange, PIXEL_RANGES, pixelBounds, pixelScaling, type PixelScaling } from './pixelRange';
export type { BatchOptions, CacheStats, Dataset, DatasetOptions, ImageBatch, ImageChannels, ImageSample, Split, SplitBatchSource } from './types';
