/**
 * The panel's pipeline stages (the shared model in src/shared/pipelineStages.ts) with their status,
 * progress and facts, derived from what a run has recorded so far. Pure.
 */
import * as path from 'node:path';
import type { PhaseColumn, StageFact, StageStatus, StageView } from '../../protocol/webview';
import { exactTooltip, formatCount, formatDuration, formatLoss, formatPercent, formatPhaseRate } from '../../shared/format';
import { describeCacheUse } from '../../shared/cacheUse';
import { distillRows, distillStageFacts } from '../../shared/distillFacts';
import { phasesOfStage, stageTitle, type TrainingStageId } from '../../shared/pipelineStages';
import type { RunRecord } from './runRecord';

/** A count fact: compact value, exact value in the tooltip when compacted. */
function countFact(label: string, value: number): StageFact {
  const exact = exactTooltip(value);
  return exact ? { label, value: formatCount(value), exact } : { label, value: formatCount(value) };
}

/** Status of the stages that happen before training: done once the model plan or any phase is known. */
function preparationStatus(record: RunRecord): StageStatus {
  if (record.model || record.plans.length > 0 || record.configModel || record.phaseCount() > 0) return 'done';
  if (record.live || record.status === 'running') return 'running';
  if (record.status === 'completed') return 'done';
  return record.status === 'cancelled' || record.status === 'interrupted' ? record.status : 'failed';
}

function baseStage(record: RunRecord): StageView {
  const facts: StageFact[] = [];
  const base = record.model?.base ?? record.configModel?.base;
  if (base) facts.push({ label: 'Model', value: base });
  if (record.model) {
    facts.push(countFact('Parameters', record.model.baseParams));
    facts.push(countFact('Layers', record.model.baseLayers));
  }
  return { id: 'base', title: stageTitle('base'), status: preparationStatus(record), progress: null, facts, phaseIndexes: [], path: null };
}

function adjustStage(record: RunRecord): StageView {
  const facts: StageFact[] = [];
  const cut = record.model?.cutLayer ?? record.configModel?.cutLayer;
  if (cut) facts.push({ label: 'Cut at', value: cut });
  if (record.model) {
    facts.push({ label: 'New head', value: record.model.headLayers.join(' → ') || 'none' });
    facts.push(countFact('Head params', record.model.headParams));
    facts.push({ label: 'Input', value: record.model.inputShape.join('×') });
  }
  if (record.classes.length > 0) facts.push(countFact('Classes', record.classes.length));
  return { id: 'adjust', title: stageTitle('adjust'), status: preparationStatus(record), progress: null, facts, phaseIndexes: [], path: null };
}

function freezeStage(record: RunRecord, first: PhaseColumn | undefined): StageView {
  const facts: StageFact[] = [];
  const plan = record.plans[0];
  if (plan) {
    facts.push({ label: 'Frozen layers', value: `${plan.totalLayers - plan.trainableLayers} of ${plan.totalLayers}` });
  } else if (record.trainableWords[0]) {
    facts.push({ label: 'Trains', value: record.trainableWords[0] });
  }
  if (first?.trainableParams != null && first.totalParams != null) {
    facts.push(countFact('Frozen params', first.totalParams - first.trainableParams));
    facts.push(countFact('Trainable', first.trainableParams));
  }
  if (plan) facts.push({ label: 'BatchNorm', value: plan.batchNorm });
  const cache = record.cache.get(0);
  if (cache) facts.push({ label: 'Frozen cache', value: describeCacheUse(cache) });
  const status = first ? preparationStatus(record) : record.status === 'completed' ? 'skipped' : 'pending';
  // Freezing shows its effect in the first phase, which trains only what is left unfrozen.
  return { id: 'freeze', title: stageTitle('freeze'), status, progress: null, facts, phaseIndexes: first ? [0] : [], path: null };
}

/** 0..1 through a running phase: finished epochs plus the fraction of the current one. */
function phaseProgress(record: RunRecord, column: PhaseColumn): number | null {
  if (column.status !== 'running' || !column.epochsPlanned) return null;
  const done = record.epochsDone(column.phaseIndex);
  const batch = record.batchProgress.get(column.phaseIndex);
  const partial = batch && batch.epoch >= done ? (batch.batch + 1) / Math.max(1, batch.batchesPerEpoch) : 0;
  return Math.min(1, (done + partial) / column.epochsPlanned);
}

function phaseFacts(record: RunRecord, column: PhaseColumn, withName: boolean): StageFact[] {
  const prefix = withName ? `${column.name}: ` : '';
  const facts: StageFact[] = [];
  if (withName) facts.push({ label: 'Phase', value: column.name });
  facts.push({ label: `${prefix}Epochs`, value: `${column.epochsRun}${column.epochsPlanned != null ? ` / ${column.epochsPlanned}` : ''}` });
  if (column.trainableParams != null) facts.push(countFact(`${prefix}Trainable`, column.trainableParams));
  const previousPlan = record.plans[column.phaseIndex - 1];
  const plan = record.plans[column.phaseIndex];
  if (plan && previousPlan && column.phaseIndex > 0) {
    facts.push({ label: `${prefix}Unfrozen layers`, value: `+${plan.trainableLayers - previousPlan.trainableLayers}` });
  } else if (column.phaseIndex > 0 && record.trainableWords[column.phaseIndex]) {
    facts.push({ label: `${prefix}Trains`, value: record.trainableWords[column.phaseIndex] });
  }
  // The recipe's rate as written: a discriminative range and a schedule show as "1e-5..1e-4 cosine".
  const rate = plan ?? record.phaseSummaries.get(column.phaseIndex);
  if (rate?.learningRate != null) facts.push({ label: `${prefix}Learning rate`, value: formatPhaseRate(rate) });
  if (column.bestValAccuracy != null) facts.push({ label: `${prefix}Best val acc`, value: formatPercent(column.bestValAccuracy) });
  if (column.bestValLoss != null) facts.push({ label: `${prefix}Best val loss`, value: formatLoss(column.bestValLoss) });
  if (column.seconds != null) facts.push({ label: `${prefix}Time`, value: formatDuration(column.seconds) });
  return facts;
}

/** Combines the statuses of several phases into one stage status. */
function combinedStatus(statuses: readonly StageStatus[]): StageStatus {
  if (statuses.length === 0) return 'skipped';
  for (const wanted of ['failed', 'running', 'cancelled', 'interrupted'] as const) if (statuses.includes(wanted)) return wanted;
  if (statuses.every((status) => status === 'skipped')) return 'skipped';
  if (statuses.every((status) => status === 'done' || status === 'skipped')) return 'done';
  return 'pending';
}

/** Why a phase did not finish, and for a cancelled or interrupted one where Resume picks it up. */
function stoppedWords(record: RunRecord, column: PhaseColumn): string {
  if (column.status === 'cancelled' || column.status === 'interrupted') {
    const planned = column.epochsPlanned != null ? ` of ${column.epochsPlanned}` : '';
    return `${column.status} at epoch ${column.epochsRun}${planned} — Resume continues it`;
  }
  return record.status === 'running' ? 'failed' : record.status;
}

function trainingStage(record: RunRecord, allColumns: readonly PhaseColumn[], id: TrainingStageId): StageView {
  const columns = phasesOfStage(allColumns, id);
  // The config's phase names are what the user wrote: they title the card, the recipe step sits under them.
  const names = columns.map((column) => column.name).filter((name) => name.length > 0);
  const title = names.length > 0 ? names.join(', ') : stageTitle(id);
  const subtitle = names.length > 0 ? stageTitle(id) : undefined;
  const statuses = columns.map((column) => column.status);
  const running = columns.find((column) => column.status === 'running');
  const facts = columns.flatMap((column) => phaseFacts(record, column, columns.length > 1));
  const stopped = columns.find((column) => ['cancelled', 'interrupted', 'failed'].includes(column.status));
  if (stopped) facts.push({ label: 'Stopped', value: stoppedWords(record, stopped) });
  return {
    id,
    title,
    ...(subtitle ? { subtitle } : {}),
    status: combinedStatus(statuses),
    progress: running ? phaseProgress(record, running) : null,
    facts,
    phaseIndexes: columns.map((column) => column.phaseIndex),
    path: null,
  };
}

function exportStage(record: RunRecord): StageView {
  const facts: StageFact[] = [];
  const modelDir = record.modelDir ? path.resolve(record.runDir, record.modelDir) : null;
  if (modelDir) facts.push({ label: 'Location', value: path.relative(path.dirname(path.dirname(record.runDir)), modelDir), path: true });
  if (record.summary && Number.isFinite(record.summary.valAccuracy)) {
    facts.push({ label: 'Val accuracy', value: formatPercent(record.summary.valAccuracy) });
  }
  if (record.classes.length > 0) facts.push(countFact('Labels', record.classes.length));
  let status: StageStatus = 'pending';
  if (modelDir) status = 'done';
  else if (record.status === 'failed') status = 'failed';
  else if (record.status === 'completed') status = 'skipped';
  // A cancelled or interrupted run has not reached its export yet: Resume gets there.
  else if (record.status === 'cancelled' || record.status === 'interrupted') status = record.status;
  if (record.message && status !== 'done') facts.push({ label: 'Note', value: record.message });
  return { id: 'export', title: stageTitle('export'), status, progress: null, facts, phaseIndexes: [], path: modelDir };
}

/**
 * After the adapted model: a distill run (its summary's kind) shows teacher vs student size, speed and
 * accuracy; a training run shows the stage as still to do, with the command that does it.
 */
function distillStage(record: RunRecord): StageView {
  const rows = distillRows(record.summary);
  const facts: StageFact[] = distillStageFacts(record.summary);
  const distilling = record.plans[0]?.name === 'distill' || rows.length > 0;
  let status: StageStatus = 'pending';
  if (rows.length > 0) status = record.status === 'completed' ? 'done' : record.status;
  else if (distilling) status = record.status === 'running' ? 'running' : record.status === 'completed' ? 'done' : record.status;
  else if (record.status === 'completed') facts.push({ label: 'Next', value: 'Distill into a Smaller Model (command palette)' });
  return { id: 'distill', title: stageTitle('distill'), status, progress: null, facts, phaseIndexes: distilling ? [0] : [], path: null };
}

/** The seven stages in pipeline order. */
export function buildStages(record: RunRecord, columns: readonly PhaseColumn[]): StageView[] {
  return [
    baseStage(record),
    adjustStage(record),
    freezeStage(record, columns[0]),
    trainingStage(record, columns, 'train'),
    trainingStage(record, columns, 'finetune'),
    exportStage(record),
    distillStage(record),
  ];
}
