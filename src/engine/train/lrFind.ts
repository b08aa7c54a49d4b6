/**
 * `lr-find`: the learning-rate range test on one phase of a project. The project is loaded and
 * prepared as `train` does (prepareProjectTraining), the phase's plan applied and its setup built
 * (its backend, the frozen-prefix cache when it applies), then lrFindSweep.ts trains about 100
 * batches with a growing rate and puts the weights back. The valley rule (lrFindValley.ts) picks
 * the suggestion; lr-find.json and a chart go to `<runs folder>/lr-find/phase-<n>/`. No run folder
 * is created and finetune.json is never written. It runs on the model as the project prepares it
 * (a later phase's head is then untrained, as it is before phase 1).
 */
import type { LrFindFile } from '../../protocol/lrFind';
import type { BackendPreference } from '../../protocol/host';
import type { TrainingEvent } from '../../protocol/run';
import { LR_FIND_FILES, lrFindPaths, writeLrFindFile } from '../../runs';
import { formatRate } from '../../shared/format';
import { UserError } from '../../shared/userError';
import { loadProjectConfig, type LoadedProject } from '../config';
import { makeGroupedOptimizer } from './groupedOptimizer';
import { headRateOf } from './learningRates';
import { writeLrFindChart } from './lrFindChart';
import { LR_FIND_DEFAULTS, valleySuggestion } from './lrFindCurve';
import { sweepLearningRates, type SweepResult, type SweepStep } from './lrFindSweep';
import { makeOptimizer } from './optimizers';
import { phaseLoss } from './phaseLoss';
import { applyPhasePlan } from './phasePlan';
import { prepareProjectTraining } from './projectTraining';

export interface LrFindOptions {
  /** 1-based; default 1. */
  readonly phase?: number;
  readonly backend?: BackendPreference;
  readonly threads?: number;
  /** Steps of the sweep (default 100). */
  readonly steps?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainingEvent) => void;
  readonly onStep?: (step: SweepStep) => void;
}

export type LrFindOutcome =
  | { readonly status: 'done'; readonly result: LrFindFile; readonly file: string; readonly chart: string }
  | { readonly status: 'cancelled' };

/** Runs the sweep on one phase of `projectFile` (a finetune.json or its folder); see the file comment. */
export async function lrFindProject(projectFile: string, options: LrFindOptions = {}): Promise<LrFindOutcome> {
  const project = await loadProjectConfig(projectFile);
  const phaseNumber = options.phase ?? 1;
  checkPhaseNumber(project, phaseNumber);
  const phaseIndex = phaseNumber - 1;
  const onEvent = options.onEvent ?? (() => undefined);
  const training = await prepareProjectTraining(project, { backend: options.backend, threads: options.threads, onEvent });
  const { prepared } = training;
  let sweep: SweepResult;
  let setupFacts: { backend: string; cacheUsed: boolean };
  const plan = training.plans[phaseIndex];
  try {
    if (!plan) throw new Error(`No plan for phase ${phaseNumber}.`);
    applyPhasePlan(prepared.model, plan);
    const setup = await training.setupPhase({ phaseIndex, phase: plan.phase, model: prepared.model });
    setupFacts = { backend: setup.backend, cacheUsed: setup.cache.used };
    try {
      // The phase loop's optimizer (phaseRunner.ts); the sweep sets its rate before every step.
      const optimizer = plan.rateGroups
        ? makeGroupedOptimizer(plan.phase.optimizer, setup.model, plan.rateGroups)
        : makeOptimizer(plan.phase.optimizer, headRateOf(plan.phase));
      try {
        setup.model.compile({ optimizer, loss: phaseLoss(setup.loss ?? 'categoricalCrossentropy', plan.phase.labelSmoothing) });
        sweep = await sweepLearningRates({
          model: setup.model, fullModel: prepared.model, optimizer, train: setup.train, steps: options.steps,
          seed: project.config.data.seed, phaseIndex, signal: options.signal, onStep: options.onStep,
        });
      } finally {
        optimizer.dispose();
      }
    } finally {
      setup.dispose?.();
    }
  } finally {
    prepared.model.dispose();
  }
  if (sweep.stoppedBy === 'cancelled') return { status: 'cancelled' };
  const raw = valleySuggestion(sweep.rates, sweep.smoothedLosses, sweep.plannedSteps);
  // Rounded as printed, so the CLI, lr-find.json and finetune.json say the same number.
  const suggestion = raw === null ? null : Number(formatRate(raw));
  const result: LrFindFile = {
    phase: phaseNumber,
    phaseName: plan.phase.name,
    rates: sweep.rates,
    losses: sweep.losses,
    smoothedLosses: sweep.smoothedLosses,
    suggestion,
    stoppedBy: sweep.stoppedBy,
    startRate: LR_FIND_DEFAULTS.startRate,
    endRate: LR_FIND_DEFAULTS.endRate,
    batchSize: plan.phase.batchSize,
    backend: setupFacts.backend,
    cacheUsed: setupFacts.cacheUsed,
    chart: LR_FIND_FILES.chart,
    createdAt: new Date().toISOString(),
  };
  const file = await writeLrFindFile(project.runsDir, result);
  const { chart } = lrFindPaths(project.runsDir, phaseNumber);
  await writeLrFindChart(chart, { ...result, title: `Learning-rate finder, phase ${phaseNumber} "${plan.phase.name}"` });
  return { status: 'done', result, file, chart };
}

/** A phase number that finetune.json has, checked before anything loads. */
function checkPhaseNumber(project: LoadedProject, phase: number): void {
  const count = project.config.phases.length;
  if (Number.isInteger(phase) && phase >= 1 && phase <= count) return;
  const names = project.config.phases.map((p, i) => `${i + 1} "${p.name}"`).join(', ');
  throw new UserError(
    `has no phase ${phase} (--phase counts from 1; the project has ${count}: ${names}).`,
    project.projectFile,
    `Use --phase 1${count > 1 ? ` to ${count}` : ''}.`,
    'phases',
  );
}
