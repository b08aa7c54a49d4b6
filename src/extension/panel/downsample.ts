/**
 * Keeps long batch series small enough to send and draw: min-max bucketing keeps the first and last
 * point and, per bucket, the points with the lowest and highest loss, so spikes stay visible. Pure.
 */
import type { BatchPoint } from '../../protocol/webview';

/** At most about `maxPoints` points of `points` (sorted by x), or `points` itself when already short. */
export function downsampleBatches(points: readonly BatchPoint[], maxPoints: number): readonly BatchPoint[] {
  if (points.length <= maxPoints || maxPoints < 4) return points;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const size = (points.length - 2) / buckets;
  const kept: BatchPoint[] = [points[0]];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = 1 + Math.floor(bucket * size);
    const end = Math.min(points.length - 1, 1 + Math.floor((bucket + 1) * size));
    let low = start;
    let high = start;
    for (let index = start; index < end; index++) {
      if (points[index].loss < points[low].loss) low = index;
      if (points[index].loss > points[high].loss) high = index;
    }
    // Keep the pair in x order so the line does not double back.
    if (low === high) kept.push(points[low]);
    else kept.push(points[Math.min(low, high)], points[Math.max(low, high)]);
  }
  kept.push(points[points.length - 1]);
  return kept;
}
