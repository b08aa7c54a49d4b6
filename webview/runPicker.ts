/**
 * The project's runs: each can be shown in full, or checked to overlay its validation curves on the
 * shown run's charts.
 */
import type { ComparedRun, RunListItem } from '../src/protocol/webview';
import { formatPercent } from '../src/shared/format';
import { button, checkbox } from './controls';
import { el } from './dom';

export interface RunPickerHandlers {
  compare(runIds: string[]): void;
  show(runId: string | null): void;
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
  if (pinned) children.push(el('p', {}, button('Back to the latest run', { 'data-show-run': 'latest' }, () => handlers.show(null), false)));
  if (runs.length <= 1) {
    children.push(el('p', { className: 'empty', text: 'No earlier runs to compare with.' }));
    container.replaceChildren(...children);
    return;
  }
  const selected = new Set(compared.map((run) => run.runId));
  const list = el('ul', { className: 'run-list' });
  const picked = new Set([...selected].filter((runId) => runId !== shownRunId));
  for (const run of runs) {
    const shown = run.runId === shownRunId;
    const accuracy = formatPercent(run.valAccuracy);
    const label = [el('span', { className: 'run-id', text: run.runId }), el('span', { className: 'run-meta', text: `${run.status}, best val ${accuracy}, ${run.epochs} epochs` })];
    const box = checkbox(label, { 'data-run': run.runId, 'aria-label': `Overlay ${run.runId}` }, picked.has(run.runId), shown, (checked) => {
      if (checked) picked.add(run.runId);
      else picked.delete(run.runId);
      // In list order, as the person sees them.
      handlers.compare(runs.map((r) => r.runId).filter((runId) => picked.has(runId)));
    });
    const action = shown ? el('span', { className: 'run-meta', text: '(shown above)' }) : button('Show', { 'data-show-run': run.runId }, () => handlers.show(run.runId));
    list.append(el('li', {}, box, action));
  }
  children.push(list);
  container.replaceChildren(...children);
}
