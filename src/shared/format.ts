/**
 * Number formats shared by the extension's stage facts and the webview panel, so both sides show the
 * same figure the same way. Pure and dependency-free: the webview bundles it too.
 */

/** 2257984 -> "2.26 M", 12840 -> "12.8 k", 640 -> "640". */
export function formatCount(value: number): string {
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(1)} k`;
  return String(Math.round(value));
}

/** 0.9312 -> "93.1 %". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** 83.4 -> "1 min 23 s", 9.2 -> "9.2 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Learning rates span decades: 0.001 -> "1e-3", 0.0005 -> "5e-4". */
export function formatRate(rate: number): string {
  const [mantissa, exponent] = rate.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
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
