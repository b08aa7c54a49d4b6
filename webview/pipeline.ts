/**
 * The pipeline: one card per stage with its status, progress and numbers; clicking focuses the charts.
 * The cards sit in a CSS grid that wraps at any width; a step number (not an arrow, which would point at
 * nothing at the end of a row) gives their order.
 */
import type { StageId, StageStatus, StageView } from '../src/protocol/webview';
import { button } from './controls';
import { el } from './dom';

/** The codicon for each status (VS Code's own marks for passed, failed, skipped, stopped, paused). */
export const STATUS_ICON: Record<StageStatus, string> = {
  pending: 'circle-large-outline',
  running: 'loading',
  done: 'pass',
  skipped: 'circle-slash',
  failed: 'error',
  cancelled: 'debug-stop',
  interrupted: 'debug-pause',
};

export interface PipelineHandlers {
  focus(stage: StageId | null): void;
  open(path: string): void;
}

function statusLine(status: StageStatus): HTMLElement {
  const spin = status === 'running' ? ' codicon-modifier-spin' : '';
  return el(
    'span',
    { className: 'stage-status' },
    el('span', { className: `codicon codicon-${STATUS_ICON[status]}${spin}`, attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'stage-status-word', text: status }),
  );
}

function stageBox(stage: StageView, step: number, focused: boolean, handlers: PipelineHandlers): HTMLElement {
  const box = el('button', {
    className: `stage status-${stage.status}${focused ? ' focused' : ''}`,
    attrs: { type: 'button', 'data-stage': stage.id, 'data-status': stage.status, 'aria-pressed': String(focused) },
  });
  const heading = el('span', { className: 'stage-heading' }, el('span', { className: 'stage-step', text: String(step), attrs: { 'aria-hidden': 'true' } }), el('span', { className: 'stage-title', text: stage.title }));
  box.append(heading);
  if (stage.subtitle) box.append(el('span', { className: 'stage-subtitle', text: stage.subtitle }));
  box.append(statusLine(stage.status));
  if (stage.progress != null) {
    const bar = el('progress', { className: 'stage-progress', attrs: { max: '1', value: String(stage.progress) } });
    box.append(bar, el('span', { className: 'stage-percent', text: `${Math.round(stage.progress * 100)}%` }));
  }
  const facts = el('dl', { className: 'facts' });
  for (const fact of stage.facts) {
    const attrs: Record<string, string> = { 'data-fact': fact.label };
    if (fact.exact) attrs.title = fact.exact;
    facts.append(el('dt', { text: fact.label }), el('dd', { className: fact.path ? 'path' : '', text: fact.value, attrs }));
  }
  box.append(facts);
  box.addEventListener('click', () => handlers.focus(focused ? null : stage.id));
  const wrapper = el('div', { className: 'stage-cell', attrs: { role: 'listitem' } }, box);
  if (stage.path) {
    const target = stage.path;
    wrapper.append(button('Reveal in Explorer', { class: 'stage-open', 'data-open': stage.id }, () => handlers.open(target)));
  }
  return wrapper;
}

export function renderPipeline(container: HTMLElement, stages: readonly StageView[], focus: StageId | null, handlers: PipelineHandlers): void {
  const grid = el('div', { className: 'pipeline', attrs: { role: 'list' } });
  stages.forEach((stage, index) => grid.append(stageBox(stage, index + 1, stage.id === focus, handlers)));
  container.replaceChildren(grid);
}
