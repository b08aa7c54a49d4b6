/** Earlier runs of the project with a checkbox each; the checked ones are overlaid on the charts. */
import type { ComparedRun, RunListItem } from '../src/protocol/webview';
import { el } from './dom';
import { formatPercent } from './format';

export function renderRunPicker(
  container: HTMLElement,
  runs: readonly RunListItem[],
  shownRunId: string | null,
  compared: readonly ComparedRun[],
  onSelect: (runIds: string[]) => void,
): void {
  const others = runs.filter((run) => run.runId !== shownRunId);
  if (others.length === 0) {
    container.replaceChildren(el('p', { className: 'empty', text: 'No earlier runs to compare with.' }));
    return;
  }
  const selected = new Set(compared.map((run) => run.runId));
  const list = el('ul', { className: 'run-list' });
  const boxes: HTMLInputElement[] = [];
  for (const run of others) {
    const box = el('input', { attrs: { type: 'checkbox', value: run.runId, 'data-run': run.runId } });
    box.checked = selected.has(run.runId);
    boxes.push(box);
    box.addEventListener('change', () => onSelect(boxes.filter((b) => b.checked).map((b) => b.value)));
    const accuracy = run.valAccuracy != null ? formatPercent(run.valAccuracy) : '—';
    const label = el('label', {}, box, el('span', { className: 'run-id', text: run.runId }), el('span', { className: 'run-meta', text: `${run.status}, best val ${accuracy}, ${run.epochs} epochs` }));
    list.append(el('li', {}, label));
  }
  container.replaceChildren(list);
}
