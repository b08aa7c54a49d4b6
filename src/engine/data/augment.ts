/**
 * Training-time augmentation on decoded pixels (plain arrays, no tensors): a horizontal flip, a shift
 * of up to `shift` x side pixels each way (edges repeated, as Keras' fill_mode 'nearest'), and a
 * brightness offset of up to +-`brightness` (clamped to [0, 1], as tf.image.random_brightness).
 * The random draw depends only on (seed, epoch, the image's path in the data folder), not on batch order.
 * With `views` K > 0, each image has K fixed draws (seed, view, path) and each epoch picks one of them:
 * the same K augmented images recur, so their frozen-prefix outputs can be cached.
 */
import type { AugmentationConfig } from '../../protocol/config';
import { pixelScaling, type PixelScaling } from './pixelRange';
import { createRandom, seedFrom } from './random';

/** bytes / 255: the range augmentation works in (brightness is a fraction of it). */
const UNIT = pixelScaling('0..1');

export interface AugmentDraw {
  readonly flip: boolean;
  readonly dx: number;
  readonly dy: number;
  readonly delta: number;
}

/** Names the augmentations that are on ("horizontal flip", "shift 0.1"...); empty when none is. */
export function activeAugmentations(config: AugmentationConfig): string[] {
  return [config.horizontalFlip ? 'horizontal flip' : '', config.shift > 0 ? `shift ${config.shift}` : '', config.brightness > 0 ? `brightness ${config.brightness}` : ''].filter(Boolean);
}

/** How many fixed augmented versions each training image has; 0 when every epoch draws afresh (or nothing is augmented). */
export function augmentedViewCount(config: AugmentationConfig): number {
  return activeAugmentations(config).length > 0 ? Math.max(0, Math.floor(config.views ?? 0)) : 0;
}

/** Which of the image's augmented versions an epoch uses; null when every epoch draws afresh. */
export function augmentedView(config: AugmentationConfig, seed: number, epoch: number, imagePath: string): number | null {
  const views = augmentedViewCount(config);
  if (views === 0) return null;
  return Math.floor(createRandom(seedFrom(seed, 'view', epoch, imagePath))() * views);
}

/** The augmentation chosen for one sample in one epoch (in its view, when views are on). */
export function drawAugmentation(config: AugmentationConfig, size: number, seed: number, epoch: number, imagePath: string): AugmentDraw {
  const view = augmentedView(config, seed, epoch, imagePath);
  const random = createRandom(view === null ? seedFrom(seed, 'augment', epoch, imagePath) : seedFrom(seed, 'augment-view', view, imagePath));
  const maxShift = Math.floor(Math.min(0.5, Math.max(0, config.shift)) * size);
  const shift = () => Math.floor(random() * (2 * maxShift + 1)) - maxShift;
  const flip = config.horizontalFlip && random() < 0.5;
  const dx = maxShift > 0 ? shift() : 0;
  const dy = maxShift > 0 ? shift() : 0;
  const delta = config.brightness > 0 ? (random() * 2 - 1) * Math.min(1, config.brightness) : 0;
  return { flip, dx, dy, delta };
}

/**
 * Writes the augmented float pixels of an 8-bit HWC image (RGB, or grey with `channels` 1) into `out`
 * at `offset`, scaled with `scaling` (default bytes / 255): brightness acts on [0, 1], then the range is applied.
 */
export function applyAugmentation(src: Uint8Array, size: number, draw: AugmentDraw, out: Float32Array, offset: number, channels = 3, scaling: PixelScaling = UNIT): void {
  // Per-image tables keep the inner loop to two lookups per value (it runs size*size*3 times per image).
  const level = new Float32Array(256);
  for (let v = 0; v < 256; v++) level[v] = Math.min(255, Math.max(0, v + 255 * draw.delta)) * scaling.scale + scaling.offset;
  const last = size - 1;
  const sourceX = new Int32Array(size);
  for (let x = 0; x < size; x++) {
    const shiftedX = Math.min(last, Math.max(0, x - draw.dx));
    sourceX[x] = (draw.flip ? last - shiftedX : shiftedX) * channels;
  }
  for (let y = 0; y < size; y++) {
    const rowStart = Math.min(last, Math.max(0, y - draw.dy)) * size * channels;
    let to = offset + y * size * channels;
    for (let x = 0; x < size; x++) {
      const from = rowStart + sourceX[x];
      for (let c = 0; c < channels; c++) out[to++] = level[src[from + c]];
    }
  }
}

/** Writes un-augmented float pixels (byte * scale + offset, default bytes / 255) into `out` at `offset`. */
export function copyScaled(src: Uint8Array, out: Float32Array, offset: number, scaling: PixelScaling = UNIT): void {
  const { scale, offset: shift } = scaling;
  for (let i = 0; i < src.length; i++) out[offset + i] = src[i] * scale + shift;
}
