/**
 * The learning-rate finder's chart: loss against rate on a log x axis (one tick per power of ten),
 * the raw batch losses faint, the smoothed loss bold, the suggestion a dashed line with its value.
 * SVG text rasterised by sharp, in the report charts' colours (report/lineChart.ts).
 */
import sharp from 'sharp';
import { writeFileAtomic } from '../../runs/atomicFile';
import { formatRate } from '../../shared/format';
import { CHART_COLORS, niceTicks } from '../report/lineChart';

export interface LrFindChartSpec {
  readonly rates: readonly number[];
  readonly losses: readonly number[];
  readonly smoothedLosses: readonly number[];
  readonly suggestion: number | null;
  readonly title: string;
}

const SIZE = { width: 960, height: 420 } as const;
const MARGIN = { top: 56, right: 24, bottom: 56, left: 72 };
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const SUGGESTION_COLOR = '#c2410c';

/** The chart as an SVG document. */
export function lrFindChartSvg(spec: LrFindChartSpec): string {
  const plot = { x: MARGIN.left, y: MARGIN.top, w: SIZE.width - MARGIN.left - MARGIN.right, h: SIZE.height - MARGIN.top - MARGIN.bottom };
  const logs = spec.rates.map(Math.log10);
  const [x0, x1] = logs.length > 0 ? [Math.floor(Math.min(...logs)), Math.ceil(Math.max(...logs))] : [-7, 1];
  // The lowest loss sets the bottom, the smoothed curve the top: raw spikes above it (the divergence) are clipped to the edge.
  const finite = spec.smoothedLosses.filter(Number.isFinite);
  const lowest = [...finite, ...spec.losses.filter(Number.isFinite)];
  const [lo, hi] = finite.length > 0 ? [Math.min(...lowest), Math.max(...finite)] : [0, 1];
  const ticks = niceTicks(lo, hi > lo ? hi : lo + 1, 5);
  const [y0, y1] = [ticks[0] ?? lo, ticks[ticks.length - 1] ?? hi];
  const sx = (rate: number): number => plot.x + ((Math.log10(rate) - x0) / (x1 - x0 || 1)) * plot.w;
  const sy = (loss: number): number => plot.y + plot.h - ((Math.min(Math.max(loss, y0), y1) - y0) / (y1 - y0 || 1)) * plot.h;
  const path = (values: readonly number[]): string =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${f(sx(spec.rates[i] as number))},${f(sy(v))}`).join(' ');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE.width}" height="${SIZE.height}" viewBox="0 0 ${SIZE.width} ${SIZE.height}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="${CHART_COLORS.background}"/>`,
    text(MARGIN.left, 28, spec.title, 18, 'start', CHART_COLORS.text, true),
  ];
  for (const tick of ticks) {
    out.push(`<line x1="${plot.x}" y1="${f(sy(tick))}" x2="${plot.x + plot.w}" y2="${f(sy(tick))}" stroke="${CHART_COLORS.grid}"/>`);
    out.push(text(plot.x - 8, sy(tick) + 4, formatLoss(tick), 12, 'end', CHART_COLORS.muted));
  }
  for (let power = x0; power <= x1; power++) {
    const x = sx(10 ** power);
    out.push(`<line x1="${f(x)}" y1="${plot.y}" x2="${f(x)}" y2="${plot.y + plot.h}" stroke="${CHART_COLORS.grid}"/>`);
    out.push(text(x, plot.y + plot.h + 18, `1e${power}`, 12, 'middle', CHART_COLORS.muted));
  }
  out.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="${CHART_COLORS.boundary}"/>`);
  out.push(text(plot.x + plot.w / 2, SIZE.height - 12, 'learning rate (log scale)', 13, 'middle', CHART_COLORS.text));
  out.push(`<text x="18" y="${f(plot.y + plot.h / 2)}" font-size="13" fill="${CHART_COLORS.text}" text-anchor="middle" transform="rotate(-90 18 ${f(plot.y + plot.h / 2)})">training loss</text>`);
  if (spec.rates.length > 0) {
    out.push(`<path d="${path(spec.losses)}" fill="none" stroke="${CHART_COLORS.train}" stroke-width="1.2" opacity="0.6"/>`);
    out.push(`<path d="${path(spec.smoothedLosses)}" fill="none" stroke="${CHART_COLORS.validation}" stroke-width="2.5" stroke-linejoin="round"/>`);
  }
  if (spec.suggestion !== null) {
    const x = sx(spec.suggestion);
    out.push(`<line x1="${f(x)}" y1="${plot.y}" x2="${f(x)}" y2="${plot.y + plot.h}" stroke="${SUGGESTION_COLOR}" stroke-width="2" stroke-dasharray="6 4"/>`);
    const right = x > plot.x + plot.w * 0.75;
    out.push(text(right ? x - 6 : x + 6, plot.y + 16, `suggested ${formatRate(spec.suggestion)}`, 13, right ? 'end' : 'start', SUGGESTION_COLOR, true));
  }
  out.push(...legend(SIZE.width - MARGIN.right));
  out.push('</svg>');
  return out.join('\n');
}

/** Writes the chart as a PNG file. */
export async function writeLrFindChart(file: string, spec: LrFindChartSpec): Promise<void> {
  await writeFileAtomic(file, await sharp(Buffer.from(lrFindChartSvg(spec))).png().toBuffer());
}

function legend(right: number): string[] {
  const items = [{ label: 'batch loss', color: CHART_COLORS.train, width: 1.2 }, { label: 'smoothed', color: CHART_COLORS.validation, width: 2.5 }];
  const out: string[] = [];
  let x = right;
  for (const item of [...items].reverse()) {
    x -= 34 + item.label.length * 7.5;
    out.push(`<line x1="${f(x)}" y1="24" x2="${f(x + 24)}" y2="24" stroke="${item.color}" stroke-width="${item.width}"/>`);
    out.push(text(x + 30, 28, item.label, 13, 'start', CHART_COLORS.text));
    x -= 12;
  }
  return out;
}

function text(x: number, y: number, content: string, size: number, anchor: 'start' | 'middle' | 'end', color: string, bold = false): string {
  const safe = content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<text x="${f(x)}" y="${f(y)}" font-size="${size}" fill="${color}" text-anchor="${anchor}"${bold ? ' font-weight="bold"' : ''}>${safe}</text>`;
}

function formatLoss(value: number): string {
  return Math.abs(value) >= 10 ? value.toFixed(0) : value.toFixed(2);
}

function f(n: number): string {
  return n.toFixed(1);
}
