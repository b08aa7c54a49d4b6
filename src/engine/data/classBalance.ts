/**
 * Class balance of the training images: the counts, the inverse-frequency weights `data.balance: "weights"`
 * puts in the loss, and the warning for a class far smaller than the largest (one rule for CLI, panel and report).
 */

import { SMALL_CLASS_FRACTION } from '../../shared/dataFlags';

export { SMALL_CLASS_FRACTION };

/** Training images per class (index = label). */
export function classCounts(labels: readonly number[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const label of labels) counts[label] += 1;
  return counts;
}

/**
 * Inverse-frequency weights, w_c = N / (K * n_c), so the mean weight over the N training images is 1
 * (the loss keeps its scale and the learning rate keeps its meaning); a class without images gets 0.
 */
export function classWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? total / (present * n) : 0));
}

/** One warning per class with fewer than 10% of the largest class's training images. */
export function smallClassWarnings(classes: readonly string[], counts: readonly number[], balance: string): string[] {
  const largest = Math.max(0, ...counts);
  const fix = balance === 'none' ? ' Add images to it, or set "data.balance" to "weights" or "sampling" in finetune.json.' : ` data.balance is "${balance}".`;
  return classes.flatMap((name, i) =>
    counts[i] < SMALL_CLASS_FRACTION * largest
      ? [`Class "${name}" has ${counts[i]} training image(s), under ${SMALL_CLASS_FRACTION * 100}% of the largest class's ${largest}: the accuracy can look high while this class is missed.${fix}`]
      : [],
  );
}
