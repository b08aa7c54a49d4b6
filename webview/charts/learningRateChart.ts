/**
 * The learning rate every batch used (metrics' per-batch `lr`: a schedule's curve, warmup, the head's
 * rate with discriminative rates); a run with no batch points yet shows a step per epoch.
 */
import { series, type PanelChart } from './panelChart';

export const learningRateChart: PanelChart = {
  id: 'lr',
  title: 'Learning rate per batch',
  yAxis: 'rate',
  perBatch: false,
  datasets: (state, theme) => [
    series(
      'learning rate',
      state.batches.length > 0
        ? state.batches.map((p) => ({ x: p.x, y: p.lr }))
        : state.epochs.flatMap((p) => [{ x: p.x - 1, y: p.lr }, { x: p.x, y: p.lr }]),
      theme.lr,
      { pointRadius: 0 },
    ),
  ],
};
