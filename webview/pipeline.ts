/** The pipeline row: one box per stage with its status, progress and numbers; clicking focuses the charts. */
import type { StageId, StageStatus, StageView } from '../src/protocol/webview';
import { button } from './controls';
import { el } from './dom';

const STATUS_LABEL: Record<StageStatus, string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};
const STATUS_MARK: Record<StageStatus, string> = {
  pending: '○',
  running: '◐',
  done: '✓',
  skipped: '–',
  failed: '✕',
  cancelled: '■',
  interrupted: '⏸',
};

export interface PipelineHandlers {
  focus(stage: StageId | null): void;
  open(path: string): void;
}

function stageBox(stage: StageView, focused: boolean, handlers: PipelineHandlers): HTMLElement {
  const box = el('button', {
    className: `stage status-${stage.status}${focused ? ' focused' : ''}`,
    attrs: { type: 'button', 'data-stage': stage.id, 'data-status': stage.status, 'aria-pressed': String(focused) },
  });
  box.append(
    el('span', { className: 'stage-title', text: stage.title }),
    el('span', { className: 'stage-status', text: `${STATUS_MARK[stage.status]} ${STATUS_LABEL[stage.status]}` }),
  );
  if (stage.progress != null) {
    const bar = el('progress', { className: 'stage-progress', attrs: { max: '1', value: String(stage.progress) } });
    box.append(bar, el('span', { className: 'stage-percent', text: `${Math.round(stage.progress * 100)} %` }));
  }
  const facts = el('dl', { className: 'facts' });
  for (const fact of stage.facts) {
    facts.append(el('dt', { text: fact.label }), el('dd', { text: fact.value, attrs: { 'data-fact': fact.label } }));
  }
  box.append(facts);
  box.addEventListener('click', () => handlers.focus(focused ? null : stage.id));
  const wrapper = el('div', { className: 'stage-cell' }, box);
  if (stage.path) {
    const target = stage.path;
    wrapper.append(button('Reveal in Explorer', { class: 'stage-open', 'data-open': stage.id }, () => handlers.open(target)));
  }
  return wrapper;
}

export function renderPipeline(container: HTMLElement, stages: readonly StageView[], focus: StageId | null, handlers: PipelineHandlers): void {
  const row = el('div', { className: 'pipeline', attrs: { role: 'list' } });
  stages.forEach((stage, index) => {
    if (index > 0) row.append(el('span', { className: 'arrow', text: '→', attrs: { 'aria-hidden': 'true' } }));
    const cell = stageBox(stage, stage.id === focus, handlers);
    cell.setAttribute('role', 'listitem');
    row.append(cell);
  });
  container.replaceChildren(row);
}
