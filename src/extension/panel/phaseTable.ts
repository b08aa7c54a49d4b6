/**
 * The phase comparison table: one column per phase with its numbers, from phase summaries when a
 * phase has ended and from the metrics seen so far while it runs. Pure.
 */
import type { PhaseColumn, PhaseColumnStatus } from '../../protocol/webview';
import { bestOf, describeKeptWeights } from '../../shared/keptWeights';
import type { RunRecord } from './runRecord';

/** The status of one phase, from its summary, from what has streamed, or from how the run ended. */
export function phaseStatus(record: RunRecord, phaseIndex: number): PhaseColumnStatus {
  const summary = record.phaseSummaries.get(phaseIndex);
  if (summary) return summary.status;
  if (record.startedPhases.has(phaseIndex)) {
    // A later phase only starts after this one ended (summary.json may be missing after a crash).
    if ([...record.startedPhases].some((index) => index > phaseIndex)) return 'done';
    if (record.live || record.status === 'running') return 'running';
    if (record.status === 'cancelled' || record.status === 'interrupted') return record.status;
    return 'failed';
  }
  // A completed run that never started this phase skipped it; otherwise it was never reached.
  return record.status === 'completed' ? 'skipped' : 'pending';
}

/** The first epoch with the lowest finite validation loss (the phase loop's "improved" is strict too). */
function lowestLoss<T extends { readonly valLoss: number }>(epochs: readonly T[]): T | undefined {
  return epochs.filter((point) => Number.isFinite(point.valLoss)).reduce<T | undefined>((a, b) => (a === undefined || b.valLoss < a.valLoss ? b : a), undefined);
}

/** Seconds a phase has run so far: from the previous phase's last row (or the run start) to its own last row. */
function liveSeconds(record: RunRecord, phaseIndex: number): number | null {
  const seen = record.phaseSeconds.get(phaseIndex);
  if (!seen) return null;
  const start = phaseIndex === 0 ? 0 : (record.phaseSeconds.get(phaseIndex - 1)?.last ?? seen.first);
  return Math.max(0, seen.last - start);
}

/** One column for a phase that has ended (summary known) or is still running / pending. */
function column(record: RunRecord, phaseIndex: number): Omit<PhaseColumn, 'deltaPoints'> {
  const summary = record.phaseSummaries.get(phaseIndex);
  const plan = record.plans[phaseIndex];
  const name = summary?.name ?? record.phaseNames.get(phaseIndex) ?? plan?.name ?? `phase ${phaseIndex + 1}`;
  const status = phaseStatus(record, phaseIndex);
  if (summary) {
    return {
      phaseIndex,
      name,
      status,
      trainableParams: summary.trainableParams,
      totalParams: summary.totalParams,
      epochsRun: summary.epochsRun,
      epochsPlanned: summary.epochsPlanned,
      bestValAccuracy: bestOf(summary).accuracy,
      bestValLoss: bestOf(summary).loss,
      keptWeights: describeKeptWeights(summary),
      finalValAccuracy: summary.finalValAccuracy,
      finalValLoss: summary.finalValLoss,
      seconds: summary.seconds,
      imagesPerSecond: summary.imagesPerSecond,
    };
  }
  const epochs = record.epochs.filter((point) => point.phaseIndex === phaseIndex);
  const last = epochs.at(-1);
  const bestEpoch = lowestLoss(epochs);
  const lastRow = record.lastEpochRows.get(phaseIndex);
  return {
    phaseIndex,
    name,
    status,
    trainableParams: plan?.trainableParams ?? null,
    totalParams: plan?.totalParams ?? null,
    epochsRun: record.epochsDone(phaseIndex),
    epochsPlanned: plan?.epochs ?? lastRow?.epochs ?? null,
    // The best epoch is the one with the lowest validation loss, as in the phase summary.
    bestValAccuracy: bestEpoch?.valAccuracy ?? null,
    bestValLoss: bestEpoch?.valLoss ?? null,
    keptWeights: null,
    finalValAccuracy: last?.valAccuracy ?? null,
    finalValLoss: last?.valLoss ?? null,
    seconds: liveSeconds(record, phaseIndex),
    imagesPerSecond: lastRow?.imagesPerSecond ?? null,
  };
}

/** All phase columns in order, each with its change in best validation accuracy against the previous phase. */
export function buildPhaseColumns(record: RunRecord): PhaseColumn[] {
  const columns: PhaseColumn[] = [];
  for (let index = 0; index < record.phaseCount(); index++) {
    const current = column(record, index);
    const previous = columns.at(-1);
    const deltaPoints =
      previous?.bestValAccuracy != null && current.bestValAccuracy != null
        ? (current.bestValAccuracy - previous.bestValAccuracy) * 100
        : null;
    columns.push({ ...current, deltaPoints });
  }
  return columns;
}
