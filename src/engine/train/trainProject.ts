/** Trains a project end to end: finetune.json -> backend -> data -> prepared model -> a run folder. */
import type { TrainingEvent } from '../../protocol/run';
import type { BackendPreference } from '../../protocol/host';
import { loadProjectConfig } from '../config';
<<<<<<< HEAD
import { openDataset } from '../data';
import { classCounts, classWeights, smallClassWarnings } from '../data/classBalance';
import { dataHashOfDigests, sampleDigests } from '../data/dataHash';
import { duplicateAcrossClassesWarnings, splitLeakWarnings } from '../data/duplicates';
import { nonPortableClassWarnings } from '../data/portableNames';
import { resolveTrainable } from '../model';
import { finishProjectModel, loadProjectBase } from '../model/prepare';
=======
import { dataHashOf } from '../data/dataHash';
>>>>>>> main
import { evaluationReportHooks } from '../report';
import { prepareProjectTraining } from './projectTraining';
import { trainRun, type TrainResult } from './trainRun';
import { featureExtractionAtEnd } from '../embed/atEnd';
import { findTrainingRun } from '../../runs';
import { UserError } from '../../shared/userError';

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
<<<<<<< HEAD
  await refuseWhileTraining(project.runsDir, project.projectFile);
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
  const digests = await sampleDigests([...dataset.train, ...dataset.validation, ...dataset.test]).catch((error: unknown) => {
    base.base.dispose();
    throw error;
  });
  const duplicateWarnings = [...duplicateAcrossClassesWarnings(digests, dataset.classes), ...splitLeakWarnings(digests, dataset)];
  const prepared = finishProjectModel(base, config, project.projectDir, dataset.classes.length, project.dataDir);
=======
  const { backend, dataset, prepared, plans, setupPhase, warnings } = await prepareProjectTraining(project, { backend: options.backend, threads: options.threads, onEvent });
  const balance = config.data.balance ?? 'none';
>>>>>>> main
  try {
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
<<<<<<< HEAD
        warnings: [...duplicateWarnings, ...nonPortableClassWarnings(dataset.classes), ...balanceWarnings, ...weightsNotApplied],
=======
        warnings,
>>>>>>> main
        splitHash: dataset.splitHash,
        dataHash: dataHashOfDigests(digests),
        skipped: () => dataset.skipped,
      },
      plans,
      setupPhase,
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

/** Two trainings of one project at once would share its CPU and race for "the latest run": the second is refused. */
async function refuseWhileTraining(runsDir: string, projectFile: string): Promise<void> {
  const training = await findTrainingRun(runsDir);
  if (!training) return;
  throw new UserError(
    `is already being trained by process ${training.pid}, into ${training.runDir}.`,
    projectFile,
    `Wait for that run to finish, or stop it (Ctrl-C in its terminal, Stop Training in VS Code, or kill ${training.pid}), then train again.`,
  );
}
