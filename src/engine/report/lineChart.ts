/**
 * A small line chart drawn as SVG text (pure, no DOM): epochs on x, one line per series, phase
 * regions shaded with their names. Neutral colours on white so it reads on light and dark themes.
 */

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly ChartPoint[];
}

/** A phase spans epochs [from, to] on the x axis (inclusive). */
export interface ChartRegion {
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly regions: readonly ChartRegion[];
  /** Fixed y range, e.g. [0, 1] for accuracy; default: from the data. */
  readonly yRange?: readonly [number, number];
  readonly formatY: (value: number) => string;
  readonly width: number;
  readonly height: number;
}

export const CHART_COLORS = {
  background: '#ffffff',
  text: '#333333',
  muted: '#6e7781',
  grid: '#e4e7eb',
  regionA: '#f6f8fa',
  regionB: '#ffffff',
  boundary: '#9aa4ae',
  train: '#8c959f',
  validation: '#2f6fba',
} as const;

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
const MARGIN = { top: 64, right: 24, bottom: 56, left: 72 };

/** The chart as an SVG document. */
export function lineChartSvg(spec: LineChartSpec): string {
  const plot = { x: MARGIN.left, y: MARGIN.top, w: spec.width - MARGIN.left - MARGIN.right, h: spec.height - MARGIN.top - MARGIN.bottom };
  const all = spec.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xMax = Math.max(1, ...all.map((p) => p.x), ...spec.regions.map((r) => r.to));
  const [yMin, yMax] = spec.yRange ?? dataRange(all.map((p) => p.y));
  const yTicks = niceTicks(yMin, yMax, 5);
  const [y0, y1] = [Math.min(yMin, yTicks[0]), Math.max(yMax, yTicks[yTicks.length - 1])];
  // Epoch e sits in the middle of its slot, so a one-epoch phase is still visible.
  const sx = (x: number): number => plot.x + ((x - 0.5) / xMax) * plot.w;
  const sy = (y: number): number => plot.y + plot.h - ((y - y0) / (y1 - y0 || 1)) * plot.h;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="${CHART_COLORS.background}"/>`,
    text(MARGIN.left, 28, spec.title, { size: 18, weight: 'bold' }),
  ];
  spec.regions.forEach((r, i) => {
    const left = sx(r.from - 0.5);
    const right = sx(r.to + 0.5);
    out.push(`<rect x="${f(left)}" y="${plot.y}" width="${f(right - left)}" height="${plot.h}" fill="${i % 2 === 0 ? CHART_COLORS.regionA : CHART_COLORS.regionB}"/>`);
    if (i > 0) out.push(`<line x1="${f(left)}" y1="${plot.y}" x2="${f(left)}" y2="${plot.y + plot.h}" stroke="${CHART_COLORS.boundary}" stroke-dasharray="4 4"/>`);
    // Above the plot, so no line can run through the phase name.
    out.push(text((left + right) / 2, plot.y - 8, r.label, { size: 12, anchor: 'middle', color: CHART_COLORS.muted }));
  });
  for (const tick of yTicks) {
    out.push(`<line x1="${plot.x}" y1="${f(sy(tick))}" x2="${plot.x + plot.w}" y2="${f(sy(tick))}" stroke="${CHART_COLORS.grid}"/>`);
    out.push(text(plot.x - 8, sy(tick) + 4, spec.formatY(tick), { size: 12, anchor: 'end', color: CHART_COLORS.muted }));
  }
  for (const tick of xTicks(xMax)) {
    out.push(text(sx(tick), plot.y + plot.h + 18, String(tick), { size: 12, anchor: 'middle', color: CHART_COLORS.muted }));
  }
  out.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="${CHART_COLORS.boundary}"/>`);
  out.push(text(plot.x + plot.w / 2, spec.height - 12, spec.xLabel, { size: 13, anchor: 'middle' }));
  out.push(text(18, plot.y + plot.h / 2, spec.yLabel, { size: 13, anchor: 'middle', rotate: true }));
  for (const s of spec.series) out.push(...seriesSvg(s, sx, sy));
  out.push(...legend(spec.series, spec.width - MARGIN.right));
  out.push('</svg>');
  return out.join('\n');
}

function seriesSvg(s: ChartSeries, sx: (x: number) => number, sy: (y: number) => number): string[] {
  const points = s.points.filter((p) => Number.isFinite(p.y));
  if (points.length === 0) return [];
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(sx(p.x))},${f(sy(p.y))}`).join(' ');
  const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
  return [
    `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"${dash}/>`,
    ...points.map((p) => `<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="3.5" fill="${s.color}"/>`),
  ];
}

function legend(series: readonly ChartSeries[], right: number): string[] {
  const out: string[] = [];
  let x = right;
  for (const s of [...series].reverse()) {
    const width = 34 + s.label.length * 7.5;
    x -= width;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<line x1="${f(x)}" y1="24" x2="${f(x + 24)}" y2="24" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
    out.push(text(x + 30, 28, s.label, { size: 13 }));
    x -= 12;
  }
  return out;
}

function text(
  x: number,
  y: number,
  content: string,
  o: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; color?: string; rotate?: boolean },
): string {
  const rotate = o.rotate ? ` transform="rotate(-90 ${f(x)} ${f(y)})"` : '';
  const weight = o.weight ? ` font-weight="${o.weight}"` : '';
  return `<text x="${f(x)}" y="${f(y)}" font-size="${o.size}" fill="${o.color ?? CHART_COLORS.text}" text-anchor="${o.anchor ?? 'start'}"${weight}${rotate}>${escapeXml(content)}</text>`;
}

/** Round ticks (1, 2 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, target: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The round step whose tick count is closest to the target.
  const step = [1, 2, 5, 10]
    .map((m) => m * power)
    .reduce((best, s) => (Math.abs((max - min) / s - target) < Math.abs((max - min) / best - target) ? s : best));
  const ticks: number[] = [];
  for (let t = Math.floor(min / step + 1e-9) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toFixed(10)));
  return ticks;
}

function xTicks(xMax: number): number[] {
  const step = Math.max(1, Math.ceil(xMax / 15));
  const ticks: number[] = [];
  for (let t = 1; t <= xMax; t += step) ticks.push(t);
  return ticks;
}

function dataRange(values: readonly number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? [min - 0.5, max + 0.5] : [Math.min(0, min), max];
}

function f(n: number): string {
  return n.toFixed(1);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
