/**
 * What training a project needs before its first phase, built the same way for `train` and
 * `lr-find`: the backend, the data, the prepared model, every phase's plan and the phase setups
 * (backend per phase, frozen-prefix cache, class-weighted loss).
 */
import type { TrainingEvent } from '../../protocol/run';
import type { BackendPreference } from '../../protocol/host';
import { initBackend, type BackendInfo } from '../backend';
import type { LoadedProject } from '../config';
import { openDataset, type Dataset } from '../data';
import { classCounts, classWeights, smallClassWarnings } from '../data/classBalance';
import { resolveTrainable } from '../model';
import { finishProjectModel, loadProjectBase, type PreparedModel, type ProjectBase } from '../model/prepare';
import { datasetPhaseSetup } from './datasetSetup';
import { planPhases, type PhasePlan } from './phasePlan';
import type { PhaseSetupFactory } from './types';

export interface ProjectTraining {
  readonly backend: BackendInfo;
  readonly base: ProjectBase;
  readonly dataset: Dataset;
  /** The caller disposes `prepared.model`. */
  readonly prepared: PreparedModel;
  readonly plans: readonly PhasePlan[];
  readonly setupPhase: PhaseSetupFactory;
  /** Per class, the training images. */
  readonly counts: readonly number[];
  /** Known before training: a small class, class weights that do not apply. */
  readonly warnings: readonly string[];
}

export interface ProjectTrainingOptions {
  readonly backend?: BackendPreference;
  readonly threads?: number;
  readonly onEvent: (event: TrainingEvent) => void;
}

/** Loads everything a project's phases train on; see the file comment. */
export async function prepareProjectTraining(project: LoadedProject, options: ProjectTrainingOptions): Promise<ProjectTraining> {
  const { config } = project;
  const { onEvent } = options;
  const backend = await initBackend(options.backend ?? config.backend ?? 'auto', {
    threads: options.threads,
    log: (message) => onEvent({ type: 'log', level: 'info', message }),
  });
  const base = await loadProjectBase(config, project.projectDir);
  const dataset = await openDataset({
    folder: project.dataDir,
    inputSize: base.layout.size,
    channels: base.layout.channels,
    sampleShape: base.layout.sampleShape,
    pixelRange: base.preprocessing.scale,
    ...(base.classOrder ? { classOrder: { names: base.classOrder, otherwise: `set "head.keepClassifier" to false in ${project.projectFile} to train a new head.` } } : {}),
    validationSplit: config.data.validationSplit,
    testSplit: config.data.testSplit ?? 0,
    balance: config.data.balance ?? 'none',
    seed: config.data.seed,
    augmentation: config.augmentation,
    onSkip: (files) => {
      onEvent({ type: 'warning', message: `${files.length} image(s) could not be decoded and were skipped.`, files });
    },
  }).catch((error: unknown) => {
    base.base.dispose();
    throw error;
  });
  const balance = config.data.balance ?? 'none';
  const counts = classCounts(dataset.train.map((s) => s.label), dataset.classes.length);
  const prepared = finishProjectModel(base, config, project.projectDir, dataset.classes.length, project.dataDir);
  try {
    // Every phase's plan is resolved up front, so a bad layer name fails before any training.
    const plans = planPhases(prepared.model, config.phases, (phase, index) =>
      resolveTrainable(prepared.layers, phase.trainable, { file: project.projectFile, field: `phases[${index}].trainable` }),
    project.projectFile);
    // A kept one-unit sigmoid head trains on binary cross-entropy, which scaled targets would not weight.
    const weighted = balance === 'weights' && prepared.training?.targets !== 'secondClass';
    const weightsNotApplied = balance === 'weights' && !weighted ? ['data.balance "weights" does not apply to a kept one-unit sigmoid classifier; use "sampling" instead.'] : [];
    const setupPhase = datasetPhaseSetup(dataset, backend.name, async (event) => onEvent(event), { augmentation: config.augmentation, pixelRange: base.preprocessing.scale }, prepared.training, weighted ? classWeights(counts) : undefined);
    return { backend, base, dataset, prepared, plans, setupPhase, counts, warnings: [...smallClassWarnings(dataset.classes, counts, balance), ...weightsNotApplied] };
  } catch (error) {
    prepared.model.dispose();
    throw error;
  }
}
