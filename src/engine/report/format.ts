/** Number formatting shared by the report's tables, flowchart and charts. */

/** 0.8734 -> "87.3%". */
export function percent(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(100 * value).toFixed(digits)}%`;
}

/** 2257984 -> "2.26M", 12345 -> "12.3k", 640 -> "640". */
export function count(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/** 0.123456 -> "0.1235". */
export function decimal(value: number | undefined, digits = 4): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** 75.4 -> "1m 15s", 8.2 -> "8.2s". */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** Change in percentage points: 0.05 -> "+5.0 pts". */
export function points(delta: number | undefined): string {
  if (delta === undefined || !Number.isFinite(delta)) return '–';
  const value = 100 * delta;
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} pts`;
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
