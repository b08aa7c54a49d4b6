/** The learning rate each epoch used, as a step per epoch so a phase's change of rate shows. */
import { series, type PanelChart } from './panelChart';

export const learningRateChart: PanelChart = {
  id: 'lr',
  title: 'Learning rate per phase',
  yAxis: 'rate',
  perBatch: false,
  datasets: (state, theme) => [
    series('learning rate', state.epochs.flatMap((p) => [{ x: p.x - 1, y: p.lr }, { x: p.x, y: p.lr }]), theme.lr, { pointRadius: 0 }),
  ],
};
