/** Loss of every batch, raw (faint) and smoothed by the factor the user picks (0 = only the raw line). */
import { series, withAlpha, type PanelChart } from './panelChart';
import { smoothSeries } from './smoothing';

export const batchLossChart: PanelChart = {
  id: 'batch',
  title: 'Loss per batch',
  yAxis: 'linear',
  perBatch: true,
  controls: ['logY', 'smoothing'],
  yFloor: 0,
  datasets: (state, theme, settings) => {
    const raw = state.batches.map((p) => ({ x: p.x, y: p.loss, phaseIndex: p.phaseIndex }));
    const rawLine = series('batch loss', raw.map(({ x, y }) => ({ x, y })), withAlpha(theme.train, settings.smoothing > 0 ? 0.35 : 1), { borderWidth: 1 });
    return settings.smoothing > 0 ? [rawLine, series('smoothed', smoothSeries(raw, settings.smoothing), theme.smooth)] : [rawLine];
  },
};
