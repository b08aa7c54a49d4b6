/** The summary of a phase as it ended: the result its kept weights have, and what it cost. */
import type { PhaseStatus, PhaseSummary } from '../../protocol/run';
import { restoresBestWeights, type PhaseRecord } from './callbacks';
import type { PhasePlan } from './phasePlan';

export function phaseSummary(plan: PhasePlan, record: PhaseRecord, status: PhaseStatus, stoppedEarly: boolean, backend: string): PhaseSummary {
  const { phase, info } = plan;
  const { best, last, epochsDone } = record;
  // The best epoch when early stopping restores its weights, else the last epoch.
  const kept = restoresBestWeights(phase) && best ? { loss: best.valLoss, accuracy: best.valAccuracy, epoch: best.epoch } : last && { ...last, epoch: epochsDone - 1 };
  return {
    name: phase.name,
    status,
    epochsRun: epochsDone,
    epochsPlanned: phase.epochs,
    valAccuracy: kept?.accuracy ?? Number.NaN,
    valLoss: kept?.loss ?? Number.NaN,
    finalValAccuracy: last?.accuracy ?? Number.NaN,
    finalValLoss: last?.loss ?? Number.NaN,
    bestEpoch: kept?.epoch ?? -1,
    stoppedEarly,
    trainableParams: info.trainableParams,
    totalParams: info.totalParams,
    learningRate: phase.learningRate,
    seconds: record.phaseSeconds,
    imagesPerSecond: record.imagesPerSecond,
    backend,
  };
}
