/** Trains a project end to end: finetune.json -> backend -> data -> prepared model -> a run folder. */
import type { TrainingEvent } from '../../protocol/run';
import type { BackendPreference } from '../../protocol/host';
import { loadProjectConfig } from '../config';
import { dataHashOfDigests, sampleDigests } from '../data/dataHash';
import { duplicateAcrossClassesWarnings, splitLeakWarnings } from '../data/duplicates';
import { nonPortableClassWarnings, nonPortableImageWarnings } from '../data/portableNames';
import { splitCountsOf } from '../data/splitCounts';
import { evaluationReportHooks } from '../report';
import { prepareProjectTraining } from './projectTraining';
import { trainRun, type TrainResult } from './trainRun';
import { featureExtractionAtEnd } from '../embed/atEnd';
import { acquireTrainingLock, findRunOfProcess, findTrainingRun, type TrainingLock } from '../../runs';
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
  const lock = await refuseWhileTraining(project.runsDir, project.projectFile);
  try {
    return await trainLocked(project, options, onEvent);
  } finally {
    await lock.release();
  }
}

async function trainLocked(project: Awaited<ReturnType<typeof loadProjectConfig>>, options: TrainOptions, onEvent: (event: TrainingEvent) => void): Promise<TrainResult> {
  const { config } = project;
  const { backend, dataset, prepared, plans, setupPhase, warnings } = await prepareProjectTraining(project, { backend: options.backend, threads: options.threads, onEvent });
  const balance = config.data.balance ?? 'none';
  try {
    const digests = await sampleDigests([...dataset.train, ...dataset.validation, ...dataset.test]);
    const duplicateWarnings = [...duplicateAcrossClassesWarnings(digests, dataset.classes), ...splitLeakWarnings(digests, dataset)];
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
        classCounts: splitCountsOf(dataset),
        warnings: [...duplicateWarnings, ...nonPortableClassWarnings(dataset.classes), ...nonPortableImageWarnings([...dataset.train, ...dataset.validation, ...dataset.test].map((sample) => sample.file), project.dataDir), ...warnings],
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

/**
 * Two trainings of one project at once would share its CPU and race for "the latest run": the second is
 * refused, by the runs folder's lock (also in the same instant) and by a confirmed running manifest.
 */
async function refuseWhileTraining(runsDir: string, projectFile: string): Promise<TrainingLock> {
  const lock = await acquireTrainingLock(runsDir);
  const holder = 'heldBy' in lock ? { pid: lock.heldBy, runDir: await findRunOfProcess(runsDir, lock.heldBy) } : await findTrainingRun(runsDir);
  if (!holder) return lock as TrainingLock;
  if (!('heldBy' in lock)) await lock.release();
  const into = holder.runDir ? `into ${holder.runDir}` : 'its run folder is being made this moment';
  throw new UserError(
    `is already being trained by process ${holder.pid} (${into}).`,
    projectFile,
    `Wait for that run to finish, or stop it (Ctrl-C in its terminal, Stop Training in VS Code, or kill ${holder.pid}), then train again.`,
  );
}
