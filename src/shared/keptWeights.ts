/** Which weights a phase ended with, in words, for the report, the CLI and the panel (one wording). */
import type { PhaseSummary } from '../protocol/run';
import { MISSING } from './format';

type KeptFields = Pick<PhaseSummary, 'bestEpoch' | 'keptWeights' | 'keptEpoch'>;

/** "best (epoch 3)", "last (epoch 5)", or MISSING for a run written before summaries said so; epochs 1-based. */
export function describeKeptWeights(summary: KeptFields): string {
  if (!summary.keptWeights || summary.keptEpoch === undefined || summary.keptEpoch < 0) return MISSING;
  return `${summary.keptWeights} (epoch ${summary.keptEpoch + 1})`;
}

/** The best epoch's numbers, falling back to the kept weights' for summaries written before `bestValLoss` existed. */
export function bestOf(summary: Pick<PhaseSummary, 'bestValLoss' | 'bestValAccuracy' | 'valLoss' | 'valAccuracy'>): { loss: number; accuracy: number } {
  return { loss: summary.bestValLoss ?? summary.valLoss, accuracy: summary.bestValAccuracy ?? summary.valAccuracy };
}
