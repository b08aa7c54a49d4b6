/** Loss of every batch, raw (faint) and smoothed. */
import { series, withAlpha, type PanelChart } from './panelChart';

export const batchLossChart: PanelChart = {
  id: 'batch',
  title: 'Loss per batch (smoothed)',
  yAxis: 'linear',
  perBatch: true,
  datasets: (state, theme) => [
    series('batch loss', state.batches.map((p) => ({ x: p.x, y: p.loss })), withAlpha(theme.train, 0.35), { borderWidth: 1 }),
    series('smoothed', state.batches.map((p) => ({ x: p.x, y: p.smoothLoss })), theme.smooth),
  ],
};
