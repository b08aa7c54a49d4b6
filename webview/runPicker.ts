/**
 * The project's runs: each can be shown in full, or checked to overlay its validation curves on the
 * shown run's charts.
 */
import type { ComparedRun, RunListItem } from '../src/protocol/webview';
import { el } from './dom';
import { formatPercent } from '../src/shared/format';

export interface RunPickerHandlers {
  compare(runIds: string[]): void;
  show(runId: string | null): void;
}

function link(text: string, attrs: Record<string, string>, onClick: () => void): HTMLElement {
  const anchor = el('a', { className: 'open-link', text, attrs: { href: '#', ...attrs } });
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    onClick();
  });
  return anchor;
}

export function renderRunPicker(
  container: HTMLElement,
  runs: readonly RunListItem[],
  shownRunId: string | null,
  pinned: boolean,
  compared: readonly ComparedRun[],
  handlers: RunPickerHandlers,
): void {
  const children: HTMLElement[] = [];
  if (pinned) children.push(el('p', {}, link('Back to the latest run', { 'data-show-run': 'latest' }, () => handlers.show(null))));
  if (runs.length <= 1) {
    children.push(el('p', { className: 'empty', text: 'No earlier runs to compare with.' }));
    container.replaceChildren(...children);
    return;
  }
  const selected = new Set(compared.map((run) => run.runId));
  const list = el('ul', { className: 'run-list' });
  const boxes: HTMLInputElement[] = [];
  for (const run of runs) {
    const shown = run.runId === shownRunId;
    const box = el('input', { attrs: { type: 'checkbox', value: run.runId, 'data-run': run.runId, 'aria-label': `Overlay ${run.runId}` } });
    box.checked = selected.has(run.runId) && !shown;
    box.disabled = shown;
    boxes.push(box);
    box.addEventListener('change', () => handlers.compare(boxes.filter((b) => b.checked).map((b) => b.value)));
    const accuracy = run.valAccuracy != null ? formatPercent(run.valAccuracy) : '—';
    const label = el('label', {}, box, el('span', { className: 'run-id', text: run.runId }), el('span', { className: 'run-meta', text: `${run.status}, best val ${accuracy}, ${run.epochs} epochs` }));
    const action = shown ? el('span', { className: 'run-meta', text: '(shown above)' }) : link('Show', { 'data-show-run': run.runId }, () => handlers.show(run.runId));
    list.append(el('li', {}, label, action));
  }
  children.push(list);
  container.replaceChildren(...children);
}
