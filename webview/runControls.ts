/** The run header's buttons (Start / Stop / Resume / Export / Open finetune.json), chosen by the run's state. */
import type { RunAction, RunInfo } from '../src/protocol/webview';
import { runControls } from '../src/shared/runControls';
import { button } from './controls';
import { el } from './dom';

/** Actions that start or end a run; Export and Open finetune.json can be clicked again at once. */
const CHANGES_STATE: ReadonlySet<RunAction> = new Set(['start', 'stop', 'resume']);
const REENABLE_MS = 5000;

/** The toolbar for the shown run (null: no run yet, one call to action). */
export function runControlBar(info: RunInfo | null, act: (action: RunAction) => void): HTMLElement {
  const state = info ? { status: info.status, live: info.live, resumable: info.resumable === true } : null;
  const bar = el('div', { className: 'run-controls', attrs: { role: 'toolbar', 'aria-label': 'Run controls' } });
  for (const control of runControls(state)) {
    const attrs = { icon: control.icon, 'data-action': control.action, title: control.label };
    const item = button(control.label, attrs, () => {
      act(control.action);
      if (!CHANGES_STATE.has(control.action)) return;
      // One click, one run: the new state redraws the bar. Should nothing change (training refused
      // in Restricted Mode, say), the button comes back.
      item.disabled = true;
      setTimeout(() => (item.disabled = false), REENABLE_MS);
    }, !control.primary);
    bar.append(item);
  }
  return bar;
}
