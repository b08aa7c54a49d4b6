/**
 * The training panel's browser entry: lays out the page, says `ready`, validates every message from
 * the extension, keeps the state and redraws the parts a message changed.
 */
import { parseExtensionMessage, type StageId } from '../src/protocol/webview';
import { Charts } from './charts/chartHost';
import { chartControls } from './charts/chartControls';
import type { ChartSettings } from './charts/panelChart';
import { PANEL_CHARTS } from './charts/registry';
import { DEFAULT_SMOOTHING } from './charts/smoothing';
import { el } from './dom';
import { renderEmbedding } from './embedding';
import { renderEvaluation } from './evaluation';
import { lrFindDatasets, renderLrFind } from './lrFind';
import { renderPhaseTable } from './phaseTable';
import { renderPipeline } from './pipeline';
import { renderRunHeader } from './runHeader';
import { renderDataSummary } from './dataSummary';
import { renderRunPicker } from './runPicker';
import { applyMessage, emptyState, type Changed } from './state';
import { readTheme, watchThemeClass } from './theme';
import { loadLocalState, saveLocalState, vscode } from './vscodeApi';

function section(title: string, body: HTMLElement, className = ''): HTMLElement {
  return el('section', { className }, el('h2', { text: title }), body);
}

function layout(root: HTMLElement) {
  const header = el('header', { className: 'run-header' });
  const pipeline = el('div', { attrs: { id: 'pipeline' } });
  const table = el('div', { attrs: { id: 'phase-table' } });
  const picker = el('div', { attrs: { id: 'run-picker' } });
  const evaluation = el('div', { attrs: { id: 'evaluation' } });
  const embedding = el('div', { attrs: { id: 'embedding' } });
  const lrFind = el('div', { attrs: { id: 'lr-find' } });
  const data = el('div', { attrs: { id: 'data' } });
  const canvases = new Map<string, HTMLCanvasElement>();
  const grid = el('div', { className: 'chart-grid' });
  for (const { id, title } of PANEL_CHARTS) {
    const canvas = el('canvas', { attrs: { 'data-chart': id, role: 'img', 'aria-label': title } });
    canvases.set(id, canvas);
    const definition = PANEL_CHARTS.find((chart) => chart.id === id);
    const controls = definition ? chartControls(definition, () => chartSettings, changeChartSettings) : null;
    grid.append(el('figure', { className: 'chart-box' }, el('figcaption', {}, el('span', { text: title }), controls), el('div', { className: 'chart-canvas' }, canvas)));
  }
  root.replaceChildren(
    header,
    section('Pipeline', pipeline, 'pipeline-section'),
    section('Data', data, 'data-section'),
    section('Charts', grid),
    section('Phase comparison', table),
    section('Evaluation on the validation images', evaluation),
    section('Embedding of the validation images', embedding),
    section('Learning-rate finder', lrFind, 'lr-find-section'),
    section('Runs of this project', picker),
  );
  return { header, pipeline, data, table, picker, evaluation, embedding, lrFind, canvases };
}

/** Log y and smoothing, as the user set them (the captions' controls read it while the page is laid out). */
let chartSettings: ChartSettings = { logY: false, smoothing: DEFAULT_SMOOTHING };
const root = document.getElementById('app') ?? document.body;
const parts = layout(root);
const state = emptyState();
state.evaluationPhase = loadLocalState().evaluationPhase;
let theme = readTheme();
const charts = new Charts(PANEL_CHARTS, parts.canvases, theme);
renderLrFind(parts.lrFind, state.lrFind, theme, useLearningRate);
let ignoredMessages = 0;
let renders = 0;
/** Milliseconds the last message took to apply and draw (reported by the tests, never asserted). */
let lastRenderMs = 0;

function changeChartSettings(settings: ChartSettings): void {
  chartSettings = settings;
  charts.setSettings(settings);
  charts.update(state, theme);
}

function useLearningRate(phase: number): void {
  vscode().postMessage({ type: 'useLearningRate', phase });
}

function focus(stage: StageId | null): void {
  state.focus = stage;
  vscode().postMessage({ type: 'focusStage', stage });
  render({ run: true, points: true, runs: false, compared: false });
}

function render(changed: Changed): void {
  const run = state.run;
  if (changed.run) {
    renderRunHeader(parts.header, run?.info ?? null, run?.batchCount ?? 0, run?.phases ?? [], (path) => vscode().postMessage({ type: 'openFile', path }), (action) =>
      vscode().postMessage({ type: 'runAction', action, runId: run?.info.runId ?? null }),
    );
    renderPipeline(parts.pipeline, run?.stages ?? [], state.focus, {
      focus,
      open: (path) => vscode().postMessage({ type: 'openFile', path }),
    });
    renderPhaseTable(parts.table, run?.phases ?? [], run?.info.featureExtraction ?? null);
    renderDataSummary(parts.data, run?.info ?? null);
  }
  if (changed.runs || changed.compared || changed.run) {
    renderRunPicker(parts.picker, state.runs, run?.info.runId ?? null, state.pinned, state.compared, {
      compare: (runIds) => vscode().postMessage({ type: 'selectRuns', runIds }),
      show: (runId) => vscode().postMessage({ type: 'showRun', runId }),
    });
  }
  if (changed.evaluation) {
    renderEmbedding(parts.embedding, state.embedding, (path) => vscode().postMessage({ type: 'openFile', path }));
    renderEvaluation(parts.evaluation, state.evaluation, state.evaluationPhase, state.reportPath, {
      selectPhase: (phase) => {
        state.evaluationPhase = phase;
        saveLocalState({ evaluationPhase: phase });
        render({ run: false, points: false, runs: false, compared: false, evaluation: true });
      },
      open: (path) => vscode().postMessage({ type: 'openFile', path }),
    }, state.testEvaluation);
  }
  if (changed.run || changed.points || changed.compared) charts.update(state, theme);
  if (changed.lrFind) renderLrFind(parts.lrFind, state.lrFind, theme, useLearningRate);
  // Before the first run the panel is its call to action (and a learning-rate sweep, if one was made).
  root.classList.toggle('no-run', run === null);
  root.classList.toggle('has-lr-find', state.lrFind.length > 0);
  renders++;
}

function refreshTheme(): void {
  theme = readTheme();
  charts.applyTheme(theme);
  charts.update(state, theme);
  renderLrFind(parts.lrFind, state.lrFind, theme, useLearningRate);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseExtensionMessage(event.data);
  if (!message) {
    ignoredMessages++;
    console.warn('Fine-Tune Guide panel ignored a malformed message', event.data);
    return;
  }
  const started = performance.now();
  if (message.type === 'theme') refreshTheme();
  else render(applyMessage(state, message));
  lastRenderMs = performance.now() - started;
});
watchThemeClass(refreshTheme);

/** Read-only hook for the Chromium tests: what is drawn, never a way to change it. */
Object.defineProperty(window, '__finetunePanel', {
  value: Object.freeze({
    datasets: (id: string) => charts.datasets(id),
    lrFindDatasets: () => lrFindDatasets(parts.lrFind),
    xRange: (id: string) => charts.xRange(id),
    yAxis: (id: string) => charts.yAxis(id),
    xTicks: (id: string) => charts.xTicks(id),
    ignoredMessages: () => ignoredMessages,
    renders: () => renders,
    lastRenderMs: () => lastRenderMs,
    focus: () => state.focus,
    chartColors: () => ({ train: theme.train, val: theme.val, foreground: theme.foreground }),
  }),
});

vscode().postMessage({ type: 'ready' });
