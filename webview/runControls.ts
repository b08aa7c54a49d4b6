/** The run header's buttons (Start / Stop / Resume / Export / Open finetune.json), chosen by the run's state. */
import type { RunAction, RunInfo } from '../src/protocol/webview';
import { runControls } from '../src/shared/runControls';
import { button } from './controls';
import { el } from './dom';

/** The toolbar for the shown run (null: no run yet, one call to action). */
export function runControlBar(info: RunInfo | null, act: (action: RunAction) => void): HTMLElement {
  const state = info ? { status: info.status, live: info.live, resumable: info.resumable === true } : null;
  const bar = el('div', { className: 'run-controls', attrs: { role: 'toolbar', 'aria-label': 'Run controls' } });
  for (const control of runControls(state)) {
    const attrs = { icon: control.icon, 'data-action': control.action, title: control.label };
    const item = button(control.label, attrs, () => {
      // One click, one command: the next state redraws the bar with the buttons that then apply.
      item.disabled = true;
      act(control.action);
    }, !control.primary);
    bar.append(item);
  }
  return bar;
}
