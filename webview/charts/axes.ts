/**
 * Axis rules the panel charts share, pure so the webview tests check them: epochs are whole numbers
 * (no "1.5" tick), and the y range leaves headroom so no curve runs along the chart's top border.
 */

/** A label only for whole epochs; chart.js drops ticks whose label is null. */
export function epochTick(value: number): string | null {
  return Math.abs(value - Math.round(value)) < 1e-9 ? String(Math.round(value)) : null;
}

/** Share of the data's span added above (and below, unless the floor is 0) the data. */
export const HEADROOM = 0.08;

/**
 * The y range for the given values: HEADROOM of their span above the highest (and below the lowest,
 * never under `floor`). A flat curve still gets a span. Null without finite values (chart.js decides).
 */
export function yRange(values: readonly number[], floor: number | null = null): { min: number; max: number } | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const span = high - low || Math.abs(high) || 1;
  const min = floor != null ? Math.max(floor, low - span * HEADROOM) : low - span * HEADROOM;
  return { min, max: high + span * HEADROOM };
}

/** On a log axis the headroom is a factor: a tenth of a decade above, the same below. */
export function logRange(values: readonly number[]): { min: number; max: number } | null {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return null;
  const factor = 10 ** 0.1;
  return { min: Math.min(...positive) / factor, max: Math.max(...positive) * factor };
}

/**
 * With min and max set for headroom, chart.js adds both as ticks ("105.3" over "90"): keep only ticks
 * on the step the inner ticks use, so the axis reads 30, 40, ... 100.
 */
export function evenTicks(values: readonly number[]): number[] {
  if (values.length < 4) return [...values];
  const step = values[2] - values[1];
  const onStep = (v: number) => Math.abs(v / step - Math.round(v / step)) < 1e-6;
  return values.filter((v, i) => (i > 0 && i < values.length - 1) || onStep(v));
}
