/** The data rules the engine warns by and the panel flags by (one source for both). */

/** A class with fewer training images than this fraction of the largest class's is flagged. */
export const SMALL_CLASS_FRACTION = 0.1;

/** Below this many training images a class is "tiny": too few to learn it reliably. */
export const TINY_CLASS_IMAGES = 10;

/** What is wrong with a class's counts, in words (none: empty). */
export function classFlags(counts: { readonly train: number; readonly validation: number }, largestTrain: number): string[] {
  const flags: string[] = [];
  if (counts.train < TINY_CLASS_IMAGES) flags.push(`tiny: ${counts.train} training image${counts.train === 1 ? '' : 's'}`);
  if (counts.train < SMALL_CLASS_FRACTION * largestTrain) flags.push(`under ${SMALL_CLASS_FRACTION * 100}% of the largest class (${largestTrain})`);
  if (counts.validation === 0) flags.push('no validation images: its accuracy is not measured');
  return flags;
}
