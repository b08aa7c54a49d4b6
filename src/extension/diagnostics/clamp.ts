/** The value a number out of its range is clamped to, for the quick fix. Pure. */
import type { NumberBounds } from '../../engine/config/messages';

/**
 * `value` moved to the nearest allowed number, or undefined when there is none to pick: an exclusive
 * bound of a non-integer (learningRate > 0 has no nearest allowed value; the user must choose one).
 */
export function clampIntoBounds(value: number, bounds: NumberBounds): number | undefined {
  const step = bounds.integer ? 1 : undefined;
  const low = bounds.minimum ?? (bounds.exclusiveMinimum !== undefined && step ? bounds.exclusiveMinimum + step : undefined);
  const high = bounds.maximum ?? (bounds.exclusiveMaximum !== undefined && step ? bounds.exclusiveMaximum - step : undefined);
  let clamped = bounds.integer ? Math.round(value) : value;
  if (low !== undefined && clamped < low) clamped = low;
  if (high !== undefined && clamped > high) clamped = high;
  const allowed =
    (bounds.exclusiveMinimum === undefined || clamped > bounds.exclusiveMinimum) &&
    (bounds.exclusiveMaximum === undefined || clamped < bounds.exclusiveMaximum) &&
    (bounds.minimum === undefined || clamped >= bounds.minimum) &&
    (bounds.maximum === undefined || clamped <= bounds.maximum);
  return allowed && clamped !== value ? clamped : undefined;
}
