/**
 * The controls a chart offers in its caption (PanelChart.controls): a "log y" checkbox and a
 * smoothing choice for the batch loss. One setting each for the whole panel: every "log y" box follows.
 */
import { checkbox } from '../controls';
import { el } from '../dom';
import type { ChartSettings, PanelChart } from './panelChart';
import { SMOOTHING_CHOICES } from './smoothing';

export function chartControls(definition: PanelChart, current: () => ChartSettings, change: (settings: ChartSettings) => void): HTMLElement | null {
  if (!definition.controls?.length) return null;
  const strip = el('span', { className: 'chart-controls' });
  if (definition.controls.includes('logY')) {
    strip.append(
      checkbox([document.createTextNode('log y')], { 'data-control': 'logY', title: 'Logarithmic loss axis' }, current().logY, false, (checked) => {
        for (const other of document.querySelectorAll<HTMLElement & { checked: boolean }>('[data-control="logY"]')) other.checked = checked;
        change({ ...current(), logY: checked });
      }),
    );
  }
  if (definition.controls.includes('smoothing')) {
    const select = el('select', { className: 'smoothing', attrs: { 'data-control': 'smoothing', 'aria-label': 'Smoothing of the batch loss', title: 'Exponential moving average of the batch loss' } });
    for (const factor of SMOOTHING_CHOICES) {
      const option = el('option', { text: factor === 0 ? 'raw' : `smooth ${factor}`, attrs: { value: String(factor) } });
      option.selected = factor === current().smoothing;
      select.append(option);
    }
    select.addEventListener('change', () => change({ ...current(), smoothing: Number(select.value) }));
    strip.append(select);
  }
  return strip;
}
