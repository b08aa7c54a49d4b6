/** Stratified, seeded train/validation split: each class is split on its own, so both sides keep the class mix. */
import { createHash } from 'node:crypto';
import { UserError } from '../../shared/userError';
import { byCodeUnits } from './scan';
import { createRandom, seedFrom, shuffled } from './random';
import type { ImageSample } from './types';

export interface SplitResult {
  readonly train: ImageSample[];
  readonly validation: ImageSample[];
  readonly splitHash: string;
}

/** Validation images taken from a class of n images: at least 1, and at least 1 left for training. */
export function validationCount(n: number, validationSplit: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * validationSplit)));
}

/**
 * Splits each class (samples grouped by label) with a shuffle seeded by (seed, class name): the same
 * seed and files give the same split, and adding images to one class leaves the others' split unchanged.
 */
export function splitStratified(
  byClass: readonly { readonly name: string; readonly folder: string; readonly samples: readonly ImageSample[] }[],
  validationSplit: number,
  seed: number,
): SplitResult {
  const train: ImageSample[] = [];
  const validation: ImageSample[] = [];
  for (const { name, folder, samples } of byClass) {
    if (samples.length < 2) {
      throw new UserError(
        `class "${name}" has ${samples.length} usable image; it needs at least 2 (one for training, one for validation).`,
        folder,
        `Add images to it (a few dozen per class work best) or remove the folder.`,
      );
    }
    const ordered = samples.slice().sort((a, b) => byCodeUnits(a.relPath, b.relPath));
    const mixed = shuffled(ordered, createRandom(seedFrom(seed, 'split', name)));
    const nVal = validationCount(mixed.length, validationSplit);
    validation.push(...mixed.slice(0, nVal));
    train.push(...mixed.slice(nVal));
  }
  const byPath = (a: ImageSample, b: ImageSample) => byCodeUnits(a.relPath, b.relPath);
  train.sort(byPath);
  validation.sort(byPath);
  return { train, validation, splitHash: splitHashOf(train, validation) };
}

/** SHA-256 of both sides' sorted relative paths. */
export function splitHashOf(train: readonly ImageSample[], validation: readonly ImageSample[]): string {
  const hash = createHash('sha256');
  for (const [side, samples] of [['train', train], ['validation', validation]] as const) {
    hash.update(`${side}\n`);
    for (const path of samples.map((s) => s.relPath).sort(byCodeUnits)) hash.update(`${path}\n`);
  }
  return hash.digest('hex');
}
