/**
 * Classifiers on fixed feature vectors, trained without touching the network: k-nearest neighbours
 * (cosine similarity) and a softmax logistic regression (full-batch gradient steps with tf, L2,
 * standardised features). They show what the pre-trained features alone reach.
 */
import * as tf from '@tensorflow/tfjs';

export interface LabelledFeatures {
  readonly features: readonly (readonly number[])[];
  readonly labels: readonly number[];
}

export interface BaselineOptions {
  readonly k?: number;
  readonly steps?: number;
  readonly learningRate?: number;
  readonly l2?: number;
}

export interface FeatureBaselines {
  readonly knn: { readonly valAccuracy: number; readonly k: number };
  readonly logistic: { readonly valAccuracy: number; readonly steps: number; readonly l2: number };
}

function unit(v: readonly number[]): number[] {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Predicted labels of `queries` by majority vote of the k most cosine-similar training vectors (ties: larger summed similarity). */
export function knnPredict(train: LabelledFeatures, queries: readonly (readonly number[])[], k = 5): number[] {
  const trainUnit = train.features.map(unit);
  const kk = Math.max(1, Math.min(k, trainUnit.length));
  return queries.map((query) => {
    const q = unit(query);
    const nearest = trainUnit
      .map((t, i) => ({ i, sim: t.reduce((s, x, j) => s + x * q[j], 0) }))
      .sort((a, b) => b.sim - a.sim || a.i - b.i)
      .slice(0, kk);
    const votes = new Map<number, { count: number; sim: number }>();
    for (const { i, sim } of nearest) {
      const label = train.labels[i];
      const vote = votes.get(label) ?? { count: 0, sim: 0 };
      votes.set(label, { count: vote.count + 1, sim: vote.sim + sim });
    }
    return [...votes.entries()].sort((a, b) => b[1].count - a[1].count || b[1].sim - a[1].sim || a[0] - b[0])[0][0];
  });
}

/** Trains a softmax regression on standardised `train` features and predicts `queries`' labels. Deterministic (zero init). */
export function logisticPredict(train: LabelledFeatures, queries: readonly (readonly number[])[], numClasses: number, options: BaselineOptions = {}): number[] {
  const steps = options.steps ?? 300;
  const l2 = options.l2 ?? 1e-3;
  const d = train.features[0]?.length ?? 0;
  const n = train.features.length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const row of train.features) row.forEach((v, j) => (mean[j] += v / n));
  for (const row of train.features) row.forEach((v, j) => (std[j] += (v - mean[j]) ** 2 / n));
  const scale = std.map((s) => (s > 1e-12 ? 1 / Math.sqrt(s) : 0));
  const standardise = (rows: readonly (readonly number[])[]): number[][] => rows.map((row) => row.map((v, j) => (v - mean[j]) * scale[j]));
  const w = tf.variable(tf.zeros([d, numClasses]), true, undefined);
  const b = tf.variable(tf.zeros([numClasses]), true, undefined);
  const optimizer = tf.train.adam(options.learningRate ?? 0.05);
  try {
    const xs = tf.tensor2d(standardise(train.features), [n, d]);
    const ys = tf.oneHot(tf.tensor1d([...train.labels], 'int32'), numClasses);
    for (let step = 0; step < steps; step++) {
      tf.tidy(() => {
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, tf.add(tf.matMul(xs, w), b)).add(tf.mul(l2, tf.sum(tf.square(w)))) as tf.Scalar);
      });
    }
    tf.dispose([xs, ys]);
    if (queries.length === 0) return [];
    return tf.tidy(() => tf.argMax(tf.add(tf.matMul(tf.tensor2d(standardise(queries), [queries.length, d]), w), b), 1).arraySync() as number[]);
  } finally {
    optimizer.dispose();
    tf.dispose([w, b]);
  }
}

function accuracy(predicted: readonly number[], labels: readonly number[]): number {
  return labels.length === 0 ? Number.NaN : predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

/** Both baselines trained on `train`, scored on `validation`. */
export function featureBaselines(train: LabelledFeatures, validation: LabelledFeatures, numClasses: number, options: BaselineOptions = {}): FeatureBaselines {
  const k = options.k ?? 5;
  const steps = options.steps ?? 300;
  const l2 = options.l2 ?? 1e-3;
  return {
    knn: { valAccuracy: accuracy(knnPredict(train, validation.features, k), validation.labels), k },
    logistic: { valAccuracy: accuracy(logisticPredict(train, validation.features, numClasses, { ...options, steps, l2 }), validation.labels), steps, l2 },
  };
}
