/**
 * What one panel chart is: an id, a caption, how its axes behave and how it turns the panel state
 * into line datasets. A new chart is one file exporting a PanelChart plus one line in registry.ts.
 */
import type { ChartDataset } from 'chart.js';
import type { PanelState } from '../state';
import type { ChartTheme } from '../theme';

export type XY = { x: number; y: number };

/** What the user set on the charts: log y for the charts that offer it, the batch-loss smoothing factor. */
export interface ChartSettings {
  readonly logY: boolean;
  readonly smoothing: number;
}

/** A control a chart offers in its caption. */
export type ChartControl = 'logY' | 'smoothing';
export type LineDataset = ChartDataset<'line', XY[]>;

export interface PanelChart {
  /** `data-chart` attribute of its canvas; the tests' `datasets(id)`. */
  readonly id: string;
  /** Caption and accessible label. */
  readonly title: string;
  /** 'rate': a logarithmic axis labelled 1e-4, 2e-4, 5e-4 (values that span decades). */
  readonly yAxis: 'linear' | 'rate';
  /** One point per batch: no markers, min-max decimation, and the x range follows the running phase. */
  readonly perBatch: boolean;
  /** Controls shown in the chart's caption (none when absent). */
  readonly controls?: readonly ChartControl[];
  /** The lowest value the y axis may show (0 for losses and accuracies); the headroom never goes below it. */
  readonly yFloor?: number;
  datasets(state: PanelState, theme: ChartTheme, settings: ChartSettings): LineDataset[];
}

/** A line in one colour. */
export function series(label: string, data: XY[], color: string, extra: Partial<LineDataset> = {}): LineDataset {
  return { label, data, borderColor: color, backgroundColor: color, ...extra };
}

/** Each compared run's validation curve, dashed, in the comparison colours. */
export function comparedSeries(state: PanelState, theme: ChartTheme, suffix: string, pick: (valLoss: number, valAccuracy: number) => number): LineDataset[] {
  return state.compared.map((other, index) => ({
    label: `${other.runId} ${suffix}`,
    data: other.points.map((p) => ({ x: p.x, y: pick(p.valLoss, p.valAccuracy) })),
    borderColor: theme.compared[index % theme.compared.length],
    backgroundColor: theme.compared[index % theme.compared.length],
    borderDash: [6, 4],
    pointRadius: 0,
  }));
}

/** `#rrggbb` -> rgba with alpha; other colour forms are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match) return color;
  const value = parseInt(match[1], 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
