/** Number formats for the panel (the same as the extension's stage facts, src/extension/panel/format.ts). */

export function formatCount(value: number): string {
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(1)} k`;
  return String(Math.round(value));
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Change in percentage points: 6.8 -> "+6.8 points", -1.25 -> "−1.3 points". */
export function formatPoints(points: number): string {
  const sign = points > 0 ? '+' : points < 0 ? '−' : '±';
  return `${sign}${Math.abs(points).toFixed(1)} points`;
}

/** "—" for numbers a phase has not produced yet. */
export function orDash<T>(value: T | null, format: (value: T) => string): string {
  return value == null ? '—' : format(value);
}
