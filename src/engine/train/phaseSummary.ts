/**
 * The summary of a phase as it ended: its best epoch (lowest validation loss, early stopping on or
 * off), the weights it kept (the best epoch's when early stopping restores them, else the last
 * epoch's) and their result, and what it cost.
 */
import type { PhaseStatus, PhaseSummary } from '../../protocol/run';
import { restoresBestWeights, type PhaseRecord } from './callbacks';
import { headRateOf } from './learningRates';
import type { PhasePlan } from './phasePlan';

export function phaseSummary(plan: PhasePlan, record: PhaseRecord, status: PhaseStatus, stoppedEarly: boolean, backend: string): PhaseSummary {
  const { phase, info } = plan;
  const { best, last, epochsDone } = record;
  const keptWeights = restoresBestWeights(phase) && best ? 'best' : 'last';
  const kept = keptWeights === 'best' && best ? { loss: best.valLoss, accuracy: best.valAccuracy, epoch: best.epoch } : last && { ...last, epoch: epochsDone - 1 };
  return {
    name: phase.name,
    status,
    epochsRun: epochsDone,
    epochsPlanned: phase.epochs,
    valAccuracy: kept?.accuracy ?? Number.NaN,
    valLoss: kept?.loss ?? Number.NaN,
    finalValAccuracy: last?.accuracy ?? Number.NaN,
    finalValLoss: last?.loss ?? Number.NaN,
    bestEpoch: best?.epoch ?? -1,
    bestValLoss: best?.valLoss ?? Number.NaN,
    bestValAccuracy: best?.valAccuracy ?? Number.NaN,
    keptWeights,
    keptEpoch: kept?.epoch ?? -1,
    stoppedEarly,
    trainableParams: info.trainableParams,
    totalParams: info.totalParams,
    learningRate: headRateOf(phase),
    ...(info.learningRateFrom !== undefined ? { learningRateFrom: info.learningRateFrom } : {}),
    ...(info.schedule ? { schedule: info.schedule } : {}),
    seconds: record.phaseSeconds,
    imagesPerSecond: record.imagesPerSecond,
    backend,
  };
}
