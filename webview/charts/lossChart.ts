/** Train and validation loss per epoch across all phases (and compared runs' validation loss). */
import { comparedSeries, series, type PanelChart } from './panelChart';

export const lossChart: PanelChart = {
  id: 'loss',
  title: 'Loss per epoch',
  yAxis: 'linear',
  perBatch: false,
  controls: ['logY'],
  yFloor: 0,
  datasets: (state, theme) => [
    series('train loss', state.epochs.map((p) => ({ x: p.x, y: p.loss })), theme.train),
    series('val loss', state.epochs.map((p) => ({ x: p.x, y: p.valLoss })), theme.val),
    ...comparedSeries(state, theme, 'val loss', (loss) => loss),
  ],
};
