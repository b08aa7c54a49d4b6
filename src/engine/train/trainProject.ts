/** Trains a project end to end: finetune.json -> backend -> data -> prepared model -> a run folder. */
import type { SkippedFile, TrainingEvent } from '../../protocol/run';
import type { BackendPreference } from '../../protocol/host';
import { initBackend } from '../backend';
import { loadProjectConfig } from '../config';
import { openDataset } from '../data';
import { classCounts, classWeights, smallClassWarnings } from '../data/classBalance';
import { dataHashOf } from '../data/dataHash';
import { resolveTrainable } from '../model';
import { finishProjectModel, loadProjectBase } from '../model/prepare';
import { evaluationReportHooks } from '../report';
import { datasetPhaseSetup } from './datasetSetup';
import { planPhases } from './phasePlan';
import { trainRun, type TrainResult } from './trainRun';
import { featureExtractionAtEnd } from '../embed/atEnd';

export interface TrainOptions {
  /** Default: the project's `backend`, else auto. */
  readonly backend?: BackendPreference;
  /** A run folder to continue, or true for the latest unfinished run. */
  readonly resume?: string | true;
  readonly threads?: number;
  /** Abort to stop at the next batch; the run ends 'cancelled' with its checkpoint. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainingEvent) => void;
}

/** Trains `projectFile` (a finetune.json or its folder) into a new run folder. */
export async function trainProject(projectFile: string, options: TrainOptions = {}): Promise<TrainResult> {
  const onEvent = options.onEvent ?? (() => undefined);
  const project = await loadProjectConfig(projectFile);
  const { config } = project;
  const backend = await initBackend(options.backend ?? config.backend ?? 'auto', {
    threads: options.threads,
    log: (message) => onEvent({ type: 'log', level: 'info', message }),
  });
  const lateSkips: SkippedFile[] = [];
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
      lateSkips.push(...files);
      onEvent({ type: 'warning', message: `${files.length} image(s) could not be decoded and were skipped.`, files });
    },
  }).catch((error: unknown) => {
    base.base.dispose();
    throw error;
  });
  const balance = config.data.balance ?? 'none';
  const counts = classCounts(dataset.train.map((s) => s.label), dataset.classes.length);
  const balanceWarnings = smallClassWarnings(dataset.classes, counts, balance);
  const prepared = finishProjectModel(base, config, project.projectDir, dataset.classes.length, project.dataDir);
  try {
    // Every phase's plan is resolved up front, so a bad layer name fails before any training.
    const plans = planPhases(prepared.model, config.phases, (phase, index) =>
      resolveTrainable(prepared.layers, phase.trainable, { file: project.projectFile, field: `phases[${index}].trainable` }),
    project.projectFile);
    // A kept one-unit sigmoid head trains on binary cross-entropy, which scaled targets would not weight.
    const weighted = balance === 'weights' && prepared.training?.targets !== 'secondClass';
    const weightsNotApplied = balance === 'weights' && !weighted ? ['data.balance "weights" does not apply to a kept one-unit sigmoid classifier; use "sampling" instead.'] : [];
    return await trainRun({
      config,
      projectFile: project.projectFile,
      runsDir: project.runsDir,
      model: prepared.model,
      modelInfo: prepared.info,
      preprocessing: prepared.preprocessing,
      data: {
        classes: dataset.classes,
        trainImages: dataset.size('train'),
        valImages: dataset.size('validation'),
        testImages: dataset.size('test'),
        warnings: [...balanceWarnings, ...weightsNotApplied],
        splitHash: dataset.splitHash,
        dataHash: await dataHashOf([...dataset.train, ...dataset.validation, ...dataset.test]),
        skipped: () => dataset.skipped,
      },
      plans,
      setupPhase: datasetPhaseSetup(dataset, backend.name, async (event) => onEvent(event), { augmentation: config.augmentation, pixelRange: base.preprocessing.scale }, prepared.training, weighted ? classWeights(counts) : undefined),
      backend,
      resume: options.resume,
      signal: options.signal,
      onEvent,
      hooks: evaluationReportHooks(dataset, config.phases, (message) => onEvent({ type: 'warning', message }), {
        testImages: dataset.size('test'), balance, featureExtraction: (runDir) => {
          onEvent({ type: 'log', level: 'info', message: 'Feature extraction: kNN and logistic-regression baselines on the base model\'s features, and the embedding view.' });
          return featureExtractionAtEnd(runDir, config, project.projectDir, project.dataDir);
        },
      }),
    });
  } finally {
    prepared.model.dispose();
  }
}
