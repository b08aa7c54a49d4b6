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
  const cov = new Float64Array(d * d);
  for (const row of centred) {
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = 0; j < d; j++) cov[i * d + j] += (ri * row[j]) / Math.max(1, n - 1);
    }
  }
  const components: number[][] = [];
  const variances: number[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    // A fixed, non-symmetric start so the result does not depend on a random draw.
    let v = Float64Array.from({ length: d }, (_, j) => 1 + j / d);
    let lambda = 0;
    for (let it = 0; it < ITERATIONS; it++) {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let sum = 0;
        for (let j = 0; j < d; j++) sum += cov[i * d + j] * v[j];
        w[i] = sum;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    // Sign convention: the largest entry is positive.
    const largest = v.reduce((best, x, j) => (Math.abs(x) > Math.abs(v[best]) ? j : best), 0);
    if (v[largest] < 0) v = v.map((x) => -x);
    components.push([...v]);
    variances.push(lambda);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= lambda * v[i] * v[j];
  }
  while (components.length < 2) {
    components.push(new Array<number>(d).fill(0));
    variances.push(0);
  }
  const dot = (a: Float64Array, b: readonly number[]): number => a.reduce((s, x, j) => s + x * b[j], 0);
  return { points: centred.map((row) => [dot(row, components[0]), dot(row, components[1])] as const), components, variances };
}
