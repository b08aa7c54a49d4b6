/**
 * The four charts (chart.js, only the parts registered below are bundled): loss and accuracy per
 * epoch across all phases on one global epoch axis with phase boundaries marked, per-batch loss
 * (raw and smoothed, decimated so 50,000 points stay responsive) and the learning rate per phase.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import type { PhaseBoundary } from '../src/protocol/webview';
import type { PanelState } from './state';
import type { ChartTheme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation);

export type ChartId = 'loss' | 'accuracy' | 'batch' | 'lr';
export const CHART_IDS: readonly ChartId[] = ['loss', 'accuracy', 'batch', 'lr'];
type XY = { x: number; y: number };
type LineChart = Chart<'line', XY[]>;
type LineDataset = ChartDataset<'line', XY[]>;

/** Boundaries drawn by the plugin below; kept per chart so every chart draws the same ones. */
const boundaries = new WeakMap<Chart, { lines: readonly PhaseBoundary[]; theme: ChartTheme }>();

/** Dashed vertical lines where a phase starts, with the phase's name beside it. */
const phaseBoundaryPlugin: Plugin<'line'> = {
  id: 'phaseBoundaries',
  afterDatasetsDraw(chart) {
    const marks = boundaries.get(chart);
    const x = chart.scales.x;
    if (!marks || !x) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = marks.theme.boundary;
    ctx.fillStyle = marks.theme.muted;
    ctx.font = `11px ${marks.theme.fontFamily}`;
    ctx.setLineDash([4, 4]);
    for (const mark of marks.lines) {
      if (mark.x < x.min || mark.x > x.max) continue;
      const px = x.getPixelForValue(mark.x);
      if (mark.phaseIndex > 0) {
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
      }
      ctx.fillText(mark.name, px + 4, chartArea.top + 12);
    }
    ctx.restore();
  },
};


function createChart(canvas: HTMLCanvasElement, id: ChartId): LineChart {
  return new Chart<'line', XY[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    plugins: [phaseBoundaryPlugin],
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'epoch (all phases)' } },
        // Rates span decades: a log axis with labels like 1e-4.
        y: id === 'lr' ? { type: 'logarithmic', ticks: { callback: (value) => rateTick(Number(value)) } } : { type: 'linear' },
      },
      plugins: {
        // min-max keeps spikes; it only acts on datasets longer than the chart is wide.
        decimation: { enabled: id === 'batch', algorithm: 'min-max' },
        legend: { labels: { boxHeight: 2, boxWidth: 16 } },
        tooltip: { enabled: true },
      },
      elements: { point: { radius: id === 'batch' ? 0 : 2 }, line: { borderWidth: 2 } },
    },
  });
}

export class Charts {
  private readonly charts = new Map<ChartId, LineChart>();

  constructor(canvases: Record<ChartId, HTMLCanvasElement>, theme: ChartTheme) {
    for (const id of CHART_IDS) this.charts.set(id, createChart(canvases[id], id));
    this.applyTheme(theme);
  }

  applyTheme(theme: ChartTheme): void {
    for (const chart of this.charts.values()) {
      const options = chart.options;
      options.color = theme.foreground;
      options.font = { family: theme.fontFamily };
      for (const scale of [options.scales?.x, options.scales?.y]) {
        if (!scale) continue;
        scale.grid = { color: theme.grid };
        scale.ticks = { ...scale.ticks, color: theme.muted };
        if ('title' in scale && scale.title) scale.title.color = theme.muted;
      }
    }
  }

  /** Rebuilds every dataset from the state (O(points), fine at 250 ms intervals) and redraws without animation. */
  update(state: PanelState, theme: ChartTheme): void {
    const run = state.run;
    const lines = run?.boundaries ?? [];
    const epochs = state.epochs;
    const dashed = [6, 4];
    const compared = (pick: (valLoss: number, valAccuracy: number) => number, suffix: string): LineDataset[] =>
      state.compared.map((other, index) => ({
        label: `${other.runId} ${suffix}`,
        data: other.points.map((p) => ({ x: p.x, y: pick(p.valLoss, p.valAccuracy) })),
        borderColor: theme.compared[index % theme.compared.length],
        backgroundColor: theme.compared[index % theme.compared.length],
        borderDash: dashed,
        pointRadius: 0,
      }));
    const series = (label: string, data: XY[], color: string, extra: Partial<LineDataset> = {}): LineDataset => ({
      label,
      data,
      borderColor: color,
      backgroundColor: color,
      ...extra,
    });

    this.setData('loss', [
      series('train loss', epochs.map((p) => ({ x: p.x, y: p.loss })), theme.train),
      series('val loss', epochs.map((p) => ({ x: p.x, y: p.valLoss })), theme.val),
      ...compared((loss) => loss, 'val loss'),
    ]);
    this.setData('accuracy', [
      series('train accuracy', epochs.map((p) => ({ x: p.x, y: p.accuracy * 100 })), theme.train),
      series('val accuracy', epochs.map((p) => ({ x: p.x, y: p.valAccuracy * 100 })), theme.val),
      ...compared((_, accuracy) => accuracy * 100, 'val accuracy'),
    ]);
    this.setData('batch', [
      series('batch loss', state.batches.map((p) => ({ x: p.x, y: p.loss })), withAlpha(theme.train, 0.35), { borderWidth: 1 }),
      series('smoothed', state.batches.map((p) => ({ x: p.x, y: p.smoothLoss })), theme.smooth),
    ]);
    this.setData('lr', [
      series('learning rate', learningRateSteps(state), theme.lr, { pointRadius: 0 }),
    ]);

    const focused = focusRange(state);
    const range = focused ?? fullRange(state);
    const batchRange = focused ?? runningPhaseRange(state) ?? range;
    for (const [id, chart] of this.charts) {
      boundaries.set(chart, { lines, theme });
      const x = chart.options.scales?.x;
      const shown = id === 'batch' ? batchRange : range;
      if (x) {
        x.min = shown?.min;
        x.max = shown?.max;
      }
      chart.update('none');
    }
  }

  /** Read-only view of the datasets, for tests (window.__finetunePanel). */
  datasets(id: ChartId): { label: string; points: XY[] }[] {
    const chart = this.charts.get(id);
    // With decimation on, chart.js keeps the full data in `_data`; report what we gave it.
    return (chart?.data.datasets ?? []).map((dataset) => {
      const full = (dataset as LineDataset & { _data?: XY[] })._data ?? dataset.data;
      return { label: dataset.label ?? '', points: full.map((p) => ({ x: p.x, y: p.y })) };
    });
  }

  /** The x range the charts show (for tests and the focus feature). */
  xRange(id: ChartId): { min: number; max: number } | null {
    const scale = this.charts.get(id)?.scales.x;
    return scale ? { min: scale.min, max: scale.max } : null;
  }

  private setData(id: ChartId, datasets: LineDataset[]): void {
    const chart = this.charts.get(id);
    if (chart) chart.data.datasets = datasets;
  }
}

/** Each epoch's rate as a flat segment over that epoch, so a phase's rate change shows as a step. */
function learningRateSteps(state: PanelState): XY[] {
  return state.epochs.flatMap((p) => [
    { x: p.x - 1, y: p.lr },
    { x: p.x, y: p.lr },
  ]);
}

/** Unfocused: from 0 to the planned end of the run (or the data's end if that is later). */
function fullRange(state: PanelState): { min: number; max: number } | undefined {
  const run = state.run;
  if (!run) return undefined;
  const planned = run.phases.reduce((sum, phase) => sum + (phase.status === 'running' || phase.status === 'pending' ? (phase.epochsPlanned ?? phase.epochsRun) : phase.epochsRun), 0);
  // Runs picked for comparison may have run longer than this one: show their whole curves.
  const comparedEnd = state.compared.map((other) => other.points.at(-1)?.x ?? 0);
  const dataEnd = Math.max(state.epochs.at(-1)?.x ?? 0, state.batches.at(-1)?.x ?? 0, ...comparedEnd);
  const max = Math.max(planned, dataEnd);
  return max > 0 ? { min: 0, max } : undefined;
}

/** The x range of the focused stage's phases. */
function focusRange(state: PanelState): { min: number; max: number } | undefined {
  const run = state.run;
  if (!run || !state.focus) return undefined;
  const stage = run.stages.find((s) => s.id === state.focus);
  if (!stage || stage.phaseIndexes.length === 0) return undefined;
  const first = Math.min(...stage.phaseIndexes);
  const last = Math.max(...stage.phaseIndexes);
  const start = run.boundaries.find((b) => b.phaseIndex === first)?.x;
  if (start === undefined) return undefined;
  const next = run.boundaries.find((b) => b.phaseIndex === last + 1)?.x;
  // The phase's last point: its latest epoch, or its latest batch while the epoch is under way.
  const lastX = (points: readonly { phaseIndex: number; x: number }[]) => {
    for (let i = points.length - 1; i >= 0; i--) if (points[i].phaseIndex === last) return points[i].x;
    return start + 1;
  };
  const end = next ?? Math.max(lastX(state.epochs), lastX(state.batches));
  return { min: start, max: Math.max(end, start + 1) };
}

/** While a phase runs (and nothing is focused) the batch chart follows that phase. */
function runningPhaseRange(state: PanelState): { min: number; max: number } | undefined {
  const running = state.run?.phases.find((phase) => phase.status === 'running');
  const start = state.run?.boundaries.find((b) => b.phaseIndex === running?.phaseIndex)?.x;
  if (!running || start === undefined) return undefined;
  return { min: start, max: start + Math.max(1, running.epochsPlanned ?? running.epochsRun + 1) };
}

/** Labels only 1, 2 and 5 times a power of ten (others would round to duplicates such as two "2e-4"). */
function rateTick(value: number): string | null {
  const mantissa = value / 10 ** Math.floor(Math.log10(value));
  const rounded = Math.round(mantissa);
  return [1, 2, 5].includes(rounded) && Math.abs(mantissa - rounded) < 0.01 ? value.toExponential(0) : null;
}

/** `#rrggbb` -> rgba with alpha; other colour forms are returned unchanged. */
function withAlpha(color: string, alpha: number): string {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match) return color;
  const value = parseInt(match[1], 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
