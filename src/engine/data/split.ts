/**
 * Stratified, seeded train/validation(/test) split: each class is split on its own, so every side keeps the
 * class mix. The test images come from the end of each class's shuffled list and the validation images from
 * its start, so turning a test split on leaves the validation set as it was.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../../shared/userError';
import { byCodeUnits } from './scan';
import { createRandom, seedFrom, shuffled } from './random';
import type { ImageSample } from './types';

export interface SplitResult {
  readonly train: ImageSample[];
  readonly validation: ImageSample[];
  /** Held out for one evaluation at the end (empty when testSplit is 0). */
  readonly test: ImageSample[];
  readonly splitHash: string;
}

/** Validation images taken from a class of n images: at least 1, and at least 1 left for training. */
export function validationCount(n: number, validationSplit: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * validationSplit)));
}

/** Test images taken from a class of n images with nVal in validation: at least 1, and at least 1 left for training; 0 when testSplit is 0. */
export function testCount(n: number, nVal: number, testSplit: number): number {
  if (!(testSplit > 0)) return 0;
  return Math.min(n - nVal - 1, Math.max(1, Math.round(n * testSplit)));
}

/**
 * Splits each class (samples grouped by label) with a shuffle seeded by (seed, class name): the same
 * seed and files give the same split, and adding images to one class leaves the others' split unchanged.
 */
export function splitStratified(
  byClass: readonly { readonly name: string; readonly folder: string; readonly samples: readonly ImageSample[] }[],
  validationSplit: number,
  seed: number,
  testSplit = 0,
): SplitResult {
  const train: ImageSample[] = [];
  const validation: ImageSample[] = [];
  const test: ImageSample[] = [];
  const least = testSplit > 0 ? 3 : 2;
  for (const { name, folder, samples } of byClass) {
    if (samples.length < least) {
      throw new UserError(
        `class "${name}" has ${samples.length} usable image(s); it needs at least ${least} (one for training, one for validation${least === 3 ? ', one for the test set (data.testSplit)' : ''}).`,
        folder,
        `Add images to it (a few dozen per class work best) or remove the folder.`,
      );
    }
    const ordered = samples.slice().sort((a, b) => byCodeUnits(a.relPath, b.relPath));
    const mixed = shuffled(ordered, createRandom(seedFrom(seed, 'split', name)));
    const nVal = validationCount(mixed.length, validationSplit);
    const nTest = testCount(mixed.length, nVal, testSplit);
    validation.push(...mixed.slice(0, nVal));
    train.push(...mixed.slice(nVal, mixed.length - nTest));
    test.push(...mixed.slice(mixed.length - nTest));
  }
  const byPath = (a: ImageSample, b: ImageSample) => byCodeUnits(a.relPath, b.relPath);
  train.sort(byPath);
  validation.sort(byPath);
  test.sort(byPath);
  return { train, validation, test, splitHash: splitHashOf(train, validation, test) };
}

/** SHA-256 of every side's sorted relative paths; without a test set it is the hash of train and validation alone (as before test splits). */
export function splitHashOf(train: readonly ImageSample[], validation: readonly ImageSample[], test: readonly ImageSample[] = []): string {
  const hash = createHash('sha256');
  const sides = [['train', train], ['validation', validation], ...(test.length > 0 ? [['test', test] as const] : [])] as const;
  for (const [side, samples] of sides) {
    hash.update(`${side}\n`);
    for (const path of samples.map((s) => s.relPath).sort(byCodeUnits)) hash.update(`${path}\n`);
  }
  return hash.digest('hex');
}
