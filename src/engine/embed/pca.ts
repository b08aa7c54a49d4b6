/**
 * A 2-D PCA projection by power iteration on the covariance matrix, with deflation (pure, deterministic):
 * enough for plotting a few hundred feature vectors without a library.
 */

export interface Projection {
  /** One [x, y] per input row. */
  readonly points: readonly (readonly [number, number])[];
  /** The two principal axes (unit vectors), largest variance first. */
  readonly components: readonly (readonly number[])[];
  /** Variance along each axis. */
  readonly variances: readonly number[];
}

const ITERATIONS = 200;

/** Projects `rows` (n vectors of length d) onto their first two principal components. */
export function pca2(rows: readonly (readonly number[])[]): Projection {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  const centred = rows.map((row) => Float64Array.from(row, (v, j) => v - mean[j]));
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += a[j] * b[j];
    return sum;
  };
  // Covariance times v without forming the d x d matrix: X^T (X v) / (n - 1), O(n d) per step.
  const covTimes = (v: Float64Array): Float64Array => {
    const out = new Float64Array(d);
    for (const row of centred) {
      const along = dot(row, v) / Math.max(1, n - 1);
      for (let j = 0; j < d; j++) out[j] += along * row[j];
    }
    return out;
  };
  const components: number[][] = [];
  const variances: number[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    // A fixed, non-symmetric start so the result does not depend on a random draw.
    let v = Float64Array.from({ length: d }, (_, j) => 1 + j / d);
    let lambda = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const w = covTimes(v);
      // Deflation: stay orthogonal to the axes already found.
      for (const previous of components) {
        const along = dot(w, previous);
        for (let j = 0; j < d; j++) w[j] -= along * previous[j];
      }
      const norm = Math.sqrt(dot(w, w));
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    // Sign convention: the largest entry is positive.
    const largest = v.reduce((best, x, j) => (Math.abs(x) > Math.abs(v[best]) ? j : best), 0);
    if (v[largest] < 0) v = v.map((x) => -x);
    components.push([...v]);
    variances.push(lambda);
  }
  while (components.length < 2) {
    components.push(new Array<number>(d).fill(0));
    variances.push(0);
  }
  return { points: centred.map((row) => [dot(row, components[0]), dot(row, components[1])] as const), components, variances };
}
