/** Train and validation accuracy per epoch, in percent (and compared runs' validation accuracy). */
import { comparedSeries, series, type PanelChart } from './panelChart';

export const accuracyChart: PanelChart = {
  id: 'accuracy',
  title: 'Accuracy per epoch (%)',
  yAxis: 'linear',
  perBatch: false,
  yFloor: 0,
  datasets: (state, theme) => [
    series('train accuracy', state.epochs.map((p) => ({ x: p.x, y: p.accuracy * 100 })), theme.train),
    series('val accuracy', state.epochs.map((p) => ({ x: p.x, y: p.valAccuracy * 100 })), theme.val),
    ...comparedSeries(state, theme, 'val accuracy', (_, accuracy) => accuracy * 100),
  ],
};
