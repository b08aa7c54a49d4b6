/**
 * The learning-rate finder section: each phase's smoothed loss against the rate (log x axis) from
 * its lr-find.json, the suggestion a dashed vertical line, and one line of text per phase. Drawn
 * with chart.js (registered by charts/chartHost.ts); empty until `lr-find` has run.
 */
import { Chart } from 'chart.js';
import type { LrFindView } from '../src/protocol/webview';
import { formatRate } from '../src/shared/format';
import { button } from './controls';
import { el } from './dom';
import type { ChartTheme } from './theme';

type XY = { x: number; y: number };
const charts = new WeakMap<HTMLElement, Chart<'line', XY[]>>();

/** Redraws the section in `container` for `sweeps`; `use(phase)` asks the extension to write that phase's suggestion. */
export function renderLrFind(container: HTMLElement, sweeps: readonly LrFindView[], theme: ChartTheme, use: (phase: number) => void): void {
  charts.get(container)?.destroy();
  charts.delete(container);
  if (sweeps.length === 0) {
    container.replaceChildren(el('p', { className: 'empty', text: 'No learning-rate sweep yet: run "Fine-Tune: Find Learning Rate" (or finetune-guide lr-find).' }));
    return;
  }
  const canvas = el('canvas', { attrs: { 'data-chart': 'lr-find', role: 'img', 'aria-label': 'Loss against learning rate' } });
  const lines = sweeps.map((sweep) => {
    const text = `Phase ${sweep.phase} "${sweep.phaseName}": ${sweep.suggestion === null ? 'no suggestion (too few steps)' : `suggested learning rate ${formatRate(sweep.suggestion)}`} (${sweep.rates.length} steps)`;
    if (sweep.suggestion === null) return el('li', { text });
    // A themed vscode-button, as the pipeline's; secondary: the notification's is the primary way.
    const useIt = button(`Use ${formatRate(sweep.suggestion)} for phase ${sweep.phase}`, { 'data-use-phase': String(sweep.phase) }, () => use(sweep.phase));
    return el('li', {}, el('span', { text: `${text} ` }), useIt);
  });
  container.replaceChildren(el('figure', { className: 'chart-box' }, el('div', { className: 'chart-canvas' }, canvas)), el('ul', { className: 'lr-find-list' }, ...lines));
  const losses = sweeps.flatMap((sweep) => sweep.smoothedLosses);
  const [low, high] = [Math.min(...losses), Math.max(...losses)];
  const datasets = sweeps.flatMap((sweep, i) => {
    const color = theme.compared[i % theme.compared.length] ?? theme.train;
    const curve = { label: `phase ${sweep.phase} smoothed loss`, data: sweep.rates.map((x, j) => ({ x, y: sweep.smoothedLosses[j] as number })), borderColor: color, backgroundColor: color, pointRadius: 0 };
    if (sweep.suggestion === null) return [curve];
    const mark = { label: `phase ${sweep.phase} suggestion ${formatRate(sweep.suggestion)}`, data: [{ x: sweep.suggestion, y: low }, { x: sweep.suggestion, y: high }], borderColor: color, backgroundColor: color, borderDash: [6, 4], pointRadius: 0 };
    return [curve, mark];
  });
  charts.set(container, new Chart<'line', XY[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      color: theme.foreground,
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'learning rate (log scale)', color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted, callback: (value) => decadeTick(Number(value)) } },
        y: { type: 'linear', title: { display: true, text: 'smoothed training loss', color: theme.muted }, grid: { color: theme.grid }, ticks: { color: theme.muted } },
      },
      plugins: { legend: { labels: { boxHeight: 2, boxWidth: 16 } } },
    },
  }));
}

/** Powers of ten only (1e-7 ... 1e1), so the axis reads in decades. */
function decadeTick(value: number): string | null {
  const power = Math.log10(value);
  return Math.abs(power - Math.round(power)) < 1e-9 ? `1e${Math.round(power)}` : null;
}

/** What the section draws, for the Chromium tests. */
export function lrFindDatasets(container: HTMLElement): { label: string; points: number }[] {
  return (charts.get(container)?.data.datasets ?? []).map((d) => ({ label: String(d.label), points: d.data.length }));
}
