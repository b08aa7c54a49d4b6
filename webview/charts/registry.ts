/** The panel's charts, in the order they are laid out. Register a new chart here (one line). */
import { accuracyChart } from './accuracyChart';
import { batchLossChart } from './batchLossChart';
import { learningRateChart } from './learningRateChart';
import { lossChart } from './lossChart';
import type { PanelChart } from './panelChart';

export const PANEL_CHARTS: readonly PanelChart[] = [lossChart, accuracyChart, batchLossChart, learningRateChart];
