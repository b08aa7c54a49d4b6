/**
 * The one set of number formats for the CLI, the panel (extension and webview) and the report, one
 * function per kind of number, so the same figure reads the same everywhere. Pure and dependency-free:
 * the webview bundles it too. A value that is missing or not finite reads as MISSING.
 */

/** What every format shows for a number that is not there (null, undefined, NaN, Infinity). */
export const MISSING = '—';

type Maybe = number | null | undefined;

function known(value: Maybe): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Whole numbers with thousands separators: 2562 -> "2,562". */
export function formatInteger(value: Maybe): string {
  return known(value) ? Math.round(value).toLocaleString('en-US') : MISSING;
}

/**
 * Every count the panel shows (parameters, images, batches, layers): exact below ten thousand
 * ("6,405"), compact above ("12.8k", "887.0k", "2.26M"). Where a count is compacted, its exact value
 * (formatInteger) goes in the tooltip: see exactTooltip.
 */
export function formatCount(value: Maybe): string {
  if (!known(value)) return MISSING;
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return formatInteger(value);
}

/** Parameter counts are counts: the same format (kept as a name the report and CLI use). */
export const formatParams = formatCount;

/** The tooltip for a compacted count: "2,257,984" when formatCount shortened it, else null. */
export function exactTooltip(value: Maybe): string | null {
  if (!known(value)) return null;
  return formatCount(value) === formatInteger(value) ? null : formatInteger(value);
}

/** Fractions as percentages with one decimal: 0.9312 -> "93.1%". */
export function formatPercent(fraction: Maybe): string {
  return known(fraction) ? `${(fraction * 100).toFixed(1)}%` : MISSING;
}

/** A change of a fraction in percentage points: 0.068 -> "+6.8 pts", -0.0125 -> "−1.3 pts". */
export function formatPoints(deltaFraction: Maybe): string {
  if (!known(deltaFraction)) return MISSING;
  const points = deltaFraction * 100;
  const rounded = Math.abs(points).toFixed(1);
  const sign = rounded === '0.0' ? '±' : points > 0 ? '+' : '−';
  return `${sign}${rounded} pts`;
}

/** Elapsed time: 8.2 -> "8.2s", 75.4 -> "1m 15s", 3900 -> "1h 5m". */
export function formatDuration(seconds: Maybe): string {
  if (!known(seconds)) return MISSING;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** A countdown redrawn in place (the CLI's time left): 75 -> "1:15", 3725 -> "1:02:05"; unknown -> "--:--". */
export function formatClock(seconds: Maybe): string {
  if (!known(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Learning rates span decades: 0.001 -> "1e-3", 0.00025 -> "2.5e-4". */
export function formatRate(rate: Maybe): string {
  if (!known(rate)) return MISSING;
  const [mantissa, exponent] = rate.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
}

/** A phase's rate as the recipe has it: "1e-2", "1e-5..1e-4 cosine". */
export function formatPhaseRate(rate: { readonly learningRate: number; readonly learningRateFrom?: number; readonly schedule?: string }): string {
  const range = rate.learningRateFrom !== undefined ? `${formatRate(rate.learningRateFrom)}..${formatRate(rate.learningRate)}` : formatRate(rate.learningRate);
  return rate.schedule ? `${range} ${rate.schedule}` : range;
}

/** Losses with four decimals: 0.48 -> "0.4800". */
export function formatLoss(loss: Maybe): string {
  return known(loss) ? loss.toFixed(4) : MISSING;
}

/** Scores in [0, 1] such as F1, precision in tables: 0.91234 -> "0.912". */
export function formatScore(score: Maybe): string {
  return known(score) ? score.toFixed(3) : MISSING;
}

/** Throughput in images per second: 212.43 -> "212.4". */
export function formatSpeed(imagesPerSecond: Maybe): string {
  return known(imagesPerSecond) ? imagesPerSecond.toFixed(1) : MISSING;
}
