/**
 * Draws the registered panel charts (registry.ts) with chart.js (only the parts registered below are
 * bundled): one global epoch axis across all phases with phase boundaries marked; per-batch charts
 * are decimated so 50,000 points stay responsive and follow the running phase.
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
  type Plugin,
} from 'chart.js';
import type { PhaseBoundary } from '../../src/protocol/webview';
import type { PanelState } from '../state';
import type { ChartTheme } from '../theme';
import { epochTick, evenTicks, logRange, yRange } from './axes';
import type { ChartSettings, LineDataset, PanelChart, XY } from './panelChart';
import { DEFAULT_SMOOTHING } from './smoothing';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation);

type LineChart = Chart<'line', XY[]>;

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


function createChart(canvas: HTMLCanvasElement, definition: PanelChart): LineChart {
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
        // Epochs are whole numbers: no "1.5" tick (precision 0 makes the steps whole, the callback drops the rest).
        x: { type: 'linear', title: { display: true, text: 'epoch (all phases)' }, ticks: { precision: 0, callback: (value) => epochTick(Number(value)) } },
        y: yScale(definition, false),
      },
      plugins: {
        // min-max keeps spikes; it only acts on datasets longer than the chart is wide.
        decimation: { enabled: definition.perBatch, algorithm: 'min-max' },
        legend: { labels: { boxHeight: 2, boxWidth: 16 } },
        tooltip: { enabled: true },
      },
      elements: { point: { radius: definition.perBatch ? 0 : 2 }, line: { borderWidth: 2 } },
    },
  });
}

/**
 * The y axis: rates on a log axis labelled 1e-4, 2e-4, 5e-4 (they span decades); a chart with the
 * log-y control on a log axis when it is on; else linear. Min and max are set per update (headroom).
 */
function yScale(definition: PanelChart, logY: boolean) {
  if (definition.yAxis === 'rate') return { type: 'logarithmic' as const, ticks: { callback: (value: number | string) => rateTick(Number(value)) } };
  if (logY && definition.controls?.includes('logY')) return { type: 'logarithmic' as const, ticks: { callback: (value: number | string) => logTick(Number(value)) } };
  return { type: 'linear' as const, afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
    const kept = new Set(evenTicks(scale.ticks.map((tick) => tick.value)));
    scale.ticks = scale.ticks.filter((tick) => kept.has(tick.value));
  } };
}

export class Charts {
  private readonly charts = new Map<string, { chart: LineChart; definition: PanelChart }>();
  private settings: ChartSettings = { logY: false, smoothing: DEFAULT_SMOOTHING };
  private theme: ChartTheme;

  /** One chart per definition, on the canvas with the same id. */
  constructor(definitions: readonly PanelChart[], canvases: ReadonlyMap<string, HTMLCanvasElement>, theme: ChartTheme) {
    this.theme = theme;
    for (const definition of definitions) {
      const canvas = canvases.get(definition.id);
      if (canvas) this.charts.set(definition.id, { chart: createChart(canvas, definition), definition });
    }
    this.applyTheme(theme);
  }

  /** The user's chart settings; the log-y switch rebuilds the y axes (chart.js swaps the scale on update). */
  setSettings(settings: ChartSettings): void {
    const logChanged = settings.logY !== this.settings.logY;
    this.settings = settings;
    if (!logChanged) return;
    for (const { chart, definition } of this.charts.values()) if (chart.options.scales) chart.options.scales.y = yScale(definition, settings.logY);
    this.applyTheme(this.theme);
  }

  chartSettings(): ChartSettings {
    return this.settings;
  }

  applyTheme(theme: ChartTheme): void {
    this.theme = theme;
    for (const { chart } of this.charts.values()) {
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
    const lines = state.run?.boundaries ?? [];
    const focused = focusRange(state);
    const range = focused ?? fullRange(state);
    const batchRange = focused ?? runningPhaseRange(state) ?? range;
    for (const { chart, definition } of this.charts.values()) {
      chart.data.datasets = definition.datasets(state, theme, this.settings);
      boundaries.set(chart, { lines, theme });
      const x = chart.options.scales?.x;
      const y = chart.options.scales?.y;
      const shown = definition.perBatch ? batchRange : range;
      if (x) {
        x.min = shown?.min;
        x.max = shown?.max;
      }
      if (y) {
        // Headroom over what is shown, so no curve runs along the top border.
        const values = chart.data.datasets.flatMap((dataset) => dataset.data.filter((p) => shown == null || (p.x >= shown.min && p.x <= shown.max)).map((p) => p.y));
        const bounds = y.type === 'logarithmic' ? logRange(values) : yRange(values, definition.yFloor ?? null);
        y.min = bounds?.min;
        y.max = bounds?.max;
      }
      chart.update('none');
    }
  }

  /** Read-only view of the datasets, for tests (window.__finetunePanel). */
  datasets(id: string): { label: string; points: XY[] }[] {
    const chart = this.charts.get(id)?.chart;
    // With decimation on, chart.js keeps the full data in `_data`; report what we gave it.
    return (chart?.data.datasets ?? []).map((dataset) => {
      const full = (dataset as LineDataset & { _data?: XY[] })._data ?? dataset.data;
      return { label: dataset.label ?? '', points: full.map((p) => ({ x: p.x, y: p.y })) };
    });
  }

  /** The y range and axis type a chart shows (for tests). */
  yAxis(id: string): { min: number; max: number; type: string } | null {
    const scale = this.charts.get(id)?.chart.scales.y;
    return scale ? { min: scale.min, max: scale.max, type: scale.type } : null;
  }

  /** The x tick labels drawn (for tests: whole epochs only). */
  xTicks(id: string): string[] {
    const scale = this.charts.get(id)?.chart.scales.x;
    return (scale?.ticks ?? []).map((tick) => String(tick.label ?? '')).filter((label) => label !== '');
  }

  /** The x range the charts show (for tests and the focus feature). */
  xRange(id: string): { min: number; max: number } | null {
    const scale = this.charts.get(id)?.chart.scales.x;
    return scale ? { min: scale.min, max: scale.max } : null;
  }

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

/** A log loss axis: labels at 1, 2 and 5 times a power of ten, in plain decimals (0.05, 0.2, 1). */
function logTick(value: number): string | null {
  return rateTick(value) === null ? null : String(Number(value.toPrecision(1)));
}

/** Labels only 1, 2 and 5 times a power of ten (others would round to duplicates such as two "2e-4"). */
function rateTick(value: number): string | null {
  const mantissa = value / 10 ** Math.floor(Math.log10(value));
  const rounded = Math.round(mantissa);
  return [1, 2, 5].includes(rounded) && Math.abs(mantissa - rounded) < 0.01 ? value.toExponential(0) : null;
}
