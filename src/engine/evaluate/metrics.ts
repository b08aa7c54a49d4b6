/**
 * Classification metrics from predicted probabilities: pure arithmetic, no tfjs, so they are easy to
 * check by hand. Conventions follow scikit-learn with `zero_division=0`: a class that is never
 * predicted has precision 0, a class with no samples has recall 0 (never NaN).
 */
import type { AveragedMetrics, ClassMetrics, EvaluatedImage, Evaluation, Misclassified, TopKAccuracy } from '../../protocol/evaluation';

export interface PredictionSet {
  /** Index into `classes` of each sample's true class. */
  readonly labels: readonly number[];
  /** One row of class probabilities per sample. */
  readonly probabilities: readonly (readonly number[])[];
  readonly classes: readonly string[];
  /** Source file of each sample (same order as `labels`). */
  readonly files: readonly string[];
}

export interface EvaluationOptions {
  /** How many of the most confident mistakes to keep (default 24). */
  readonly maxWorst?: number;
}

const DEFAULT_MAX_WORST = 24;
const MAX_TOP_K = 5;

/** Computes the confusion matrix, per-class and averaged metrics, top-k accuracy and worst mistakes. */
export function computeEvaluation(set: PredictionSet, options: EvaluationOptions = {}): Evaluation {
  checkShapes(set);
  const n = set.classes.length;
  const confusion = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const ranks: number[] = [];
  const mistakes: Misclassified[] = [];
  const images: EvaluatedImage[] = [];
  set.labels.forEach((label, i) => {
    const row = set.probabilities[i];
    const predicted = argMax(row);
    confusion[label][predicted] += 1;
    images.push({ file: set.files[i], trueIndex: label, predictedIndex: predicted, confidence: row[predicted] });
    ranks.push(rankOf(row, label));
    if (predicted !== label) {
      mistakes.push({
        file: set.files[i],
        trueClass: set.classes[label],
        predictedClass: set.classes[predicted],
        confidence: row[predicted],
        trueClassProbability: row[label],
      });
    }
  });
  const perClass = set.classes.map((className, c) => classMetrics(className, c, confusion));
  const samples = set.labels.length;
  const correct = confusion.reduce((sum, row, c) => sum + row[c], 0);
  return {
    classes: [...set.classes],
    samples,
    accuracy: ratio(correct, samples),
    topK: topKAccuracies(ranks, Math.min(MAX_TOP_K, n)),
    confusion,
    perClass,
    macro: average(perClass, () => 1),
    weighted: average(perClass, (m) => m.support),
    worst: mostConfident(mistakes, options.maxWorst ?? DEFAULT_MAX_WORST),
    images,
  };
}

function checkShapes(set: PredictionSet): void {
  const n = set.classes.length;
  if (set.probabilities.length !== set.labels.length || set.files.length !== set.labels.length) {
    throw new Error(
      `computeEvaluation: ${set.labels.length} labels, ${set.probabilities.length} probability rows and ${set.files.length} files must match`,
    );
  }
  set.labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= n) {
      throw new Error(`computeEvaluation: label ${label} of sample ${i} is not a class index 0..${n - 1}`);
    }
    if (set.probabilities[i].length !== n) {
      throw new Error(`computeEvaluation: sample ${i} has ${set.probabilities[i].length} probabilities for ${n} classes`);
    }
  });
}

/** Index of the largest value; the first one wins a tie (as tf.argMax). */
function argMax(row: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** 0-based position of `label` when classes are sorted by probability, ties broken as argMax does. */
function rankOf(row: readonly number[], label: number): number {
  let rank = 0;
  for (let j = 0; j < row.length; j++) {
    if (row[j] > row[label] || (row[j] === row[label] && j < label)) rank += 1;
  }
  return rank;
}

function classMetrics(className: string, c: number, confusion: readonly (readonly number[])[]): ClassMetrics {
  const truePositives = confusion[c][c];
  const predicted = confusion.reduce((sum, row) => sum + row[c], 0);
  const support = confusion[c].reduce((sum, count) => sum + count, 0);
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, support);
  return { className, precision, recall, f1: harmonicMean(precision, recall), support };
}

function topKAccuracies(ranks: readonly number[], maxK: number): TopKAccuracy[] {
  const result: TopKAccuracy[] = [];
  for (let k = 1; k <= maxK; k++) {
    result.push({ k, accuracy: ratio(ranks.filter((rank) => rank < k).length, ranks.length) });
  }
  return result;
}

function average(perClass: readonly ClassMetrics[], weightOf: (m: ClassMetrics) => number): AveragedMetrics {
  const total = perClass.reduce((sum, m) => sum + weightOf(m), 0);
  const mean = (pick: (m: ClassMetrics) => number): number =>
    ratio(perClass.reduce((sum, m) => sum + weightOf(m) * pick(m), 0), total);
  return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) };
}

function mostConfident(mistakes: Misclassified[], limit: number): Misclassified[] {
  return mistakes
    .sort((a, b) => b.confidence - a.confidence || a.file.localeCompare(b.file))
    .slice(0, Math.max(0, limit));
}

/** a / b, or 0 when there is nothing to divide by. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function harmonicMean(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}
