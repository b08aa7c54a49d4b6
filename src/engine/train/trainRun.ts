/**
 * One training run around a prepared model: creates the run folder (or, resuming, goes on in the
 * interrupted run's own folder), writes manifest.json, streams events (and metrics.jsonl), runs the
 * phases (fresh or from a checkpoint), saves model/ and summary.json. Project loading, data and backend are the caller's (see trainProject.ts), so tests
 * drive this with tiny models.
 */
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { version_wasm as wasmVersion } from '@tensorflow/tfjs-backend-wasm';
import type { ClassSplitCount, FeatureExtractionSummary, ModelPlanInfo, PhaseSummary, RunManifest, RunSummary, SkippedFile, TrainingEvent } from '../../protocol/run';
import type { TrainResult as HostTrainResult } from '../../protocol/host';
import type { ProjectConfig } from '../../protocol/config';
import { isUserError, UserError } from '../../shared/userError';
import { disposeCheckpoint } from './checkpoint';
import { continueRunFolder, findRunToResume, openRunToResume, type OpenedRun } from './resume';
import { processStartOf } from '../../runs/liveness';
import { appendMetric, createRunDir, modelDirOf, resumePointOf, writeManifest, writeSummary } from '../../runs';
import { DEFAULT_CHECKPOINT_EVERY_SECONDS } from '../config/defaults';
import type { PhasePlan } from './phasePlan';
import { runPhases, type PhasesResult } from './runPhases';
import { saveModelFolder, type PreprocessingInfo } from './saveModel';
import type { PhaseSetupFactory } from './types';
import { configHashOf } from '../config/configHash';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../packageVersion';

export interface RunData {
  readonly classes: readonly string[];
  readonly trainImages: number;
  readonly valImages: number;
  /** Images held out as the test set (`data.testSplit`); 0 or absent: none. */
  readonly testImages?: number;
  /** Images per class and split, for the panel's data summary. */
  readonly classCounts?: readonly ClassSplitCount[];
  /** Warnings about the data known before training (a class under 10% of the largest: data/classBalance.ts; the same image in two classes: data/duplicates.ts); also in the manifest. */
  readonly warnings?: readonly string[];
  readonly splitHash: string;
  /** SHA-256 over the images' paths, sizes and contents (data/dataHash.ts); tests without files leave it out. */
  readonly dataHash?: string;
  /** Files left out so far (the list may grow while batches are decoded). */
  readonly skipped: () => readonly SkippedFile[];
}

export interface RunInput {
  readonly config: ProjectConfig;
  readonly projectFile: string;
  readonly runsDir: string;
  readonly model: tf.LayersModel;
  readonly modelInfo: ModelPlanInfo;
  readonly preprocessing: PreprocessingInfo;
  readonly data: RunData;
  /** One plan per phase of `config.phases` (`planPhases`), built before the run starts. */
  readonly plans: readonly PhasePlan[];
  readonly setupPhase: PhaseSetupFactory;
  readonly backend: { readonly name: string; readonly threads: number };
  /** A run folder to continue, or true for the latest unfinished run of `runsDir`. */
  readonly resume?: string | true;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainingEvent) => void;
  /** Evaluation and report (src/engine/report evaluationReportHooks); awaited, so they see the model between phases. */
  readonly hooks?: RunHooks;
}

/** What the end of a completed run adds to summary.json (see src/engine/report FinalEvaluation). */
export interface FinalRunResults {
  readonly testAccuracy: number | null;
  readonly warnings: readonly string[];
  readonly featureExtraction?: FeatureExtractionSummary;
}

/** Called at fixed points of a run; see `hooks` above. */
export interface RunHooks {
  /** After a phase ended 'done', with the weights it keeps in the model. */
  afterPhase?(runDir: string, phaseIndex: number, phaseName: string, model: tf.LayersModel): Promise<void>;
  /** After the last phase of a completed run, with the kept weights: the test set's accuracy and the evaluation warnings. */
  afterTraining?(runDir: string, model: tf.LayersModel): Promise<FinalRunResults>;
  /** After summary.json and manifest.json are final, before the 'done' event. */
  beforeDone?(runDir: string): Promise<void>;
}

export interface TrainResult extends HostTrainResult {
  readonly summary: RunSummary;
}

/** Runs training into a new run folder, or on in the resumed run's folder; see the file comment. */
export async function trainRun(input: RunInput): Promise<TrainResult> {
  const { config, projectFile, model } = input;
  const resumeDir = input.resume ? await findRunToResume(input.runsDir, input.resume, projectFile) : null;
  // Checked before anything is written, so a resume that cannot work changes nothing.
  const resumed = resumeDir ? await openRunToResume(resumeDir, { model, config, projectFile, splitHash: input.data.splitHash }) : undefined;
  let opened: { runId: string; runDir: string; startedAt: Date; resumes: RunManifest['resumes'] };
  try {
    opened = resumeDir && resumed ? await continueRun(resumeDir, resumed) : { ...(await createRunDir(input.runsDir, projectFile)), startedAt: new Date(), resumes: [] };
  } catch (error) {
    if (resumed) disposeCheckpoint(resumed.checkpoint);
    throw error;
  }
  const { runId, runDir, startedAt } = opened;
  // A resumed run's `seconds` go on from where its checkpoint was taken.
  const runStartedAt = Date.now() - (resumed?.checkpoint.state.runSeconds ?? 0) * 1000;
  const emit = async (event: TrainingEvent): Promise<void> => {
    // Evaluated before the phase's end is announced, so a listener finds it in evaluation.json.
    if (event.type === 'phaseEnd' && event.summary.status === 'done') {
      await input.hooks?.afterPhase?.(runDir, event.phaseIndex, event.summary.name, model);
    }
    input.onEvent?.(event);
    if (event.type === 'batch' || event.type === 'epoch') await appendMetric(runDir, event);
  };
  let manifest: RunManifest = {
    runId, status: 'running', startedAt: startedAt.toISOString(), endedAt: null, projectFile, config, seed: config.data.seed,
    splitHash: input.data.splitHash, configHash: configHashOf(config), ...(input.data.dataHash ? { dataHash: input.data.dataHash } : {}), classes: input.data.classes, trainImages: input.data.trainImages, valImages: input.data.valImages,
    ...(input.data.testImages ? { testImages: input.data.testImages } : {}),
    backend: input.backend.name, threads: input.backend.threads, versions: versions(), skipped: input.data.skipped(),
    ...(input.data.warnings && input.data.warnings.length > 0 ? { warnings: input.data.warnings } : {}), resumedFrom: resumeDir, resumes: opened.resumes,
    pid: process.pid,
    ...processIdentity(),
  };
  await writeManifest(runDir, manifest);
  let result: PhasesResult;
  let modelDir: string | null = null;
  let final: FinalRunResults | undefined;
  try {
    const phases = input.plans.map((plan) => plan.info);
    await emit({
      type: 'run', runId, runDir, backend: input.backend.name, threads: input.backend.threads, classes: input.data.classes,
      trainImages: input.data.trainImages, valImages: input.data.valImages, ...(input.data.classCounts ? { classCounts: input.data.classCounts } : {}),
      model: input.modelInfo, phases, resumedFrom: resumeDir,
      ...(resumed ? { resumedAt: resumePointOf(resumed.checkpoint.state) } : {}),
    });
    for (const message of resumed?.warnings ?? []) await emit({ type: 'warning', message });
    for (const message of input.data.warnings ?? []) await emit({ type: 'warning', message });
    const skipped = input.data.skipped();
    if (skipped.length > 0) await emit({ type: 'warning', message: `${skipped.length} file(s) could not be used and were skipped.`, files: skipped });
    for (const [index, plan] of input.plans.entries()) {
      // It trains (one batch per epoch), but not as the user planned: say so.
      if (plan.phase.batchSize > input.data.trainImages) {
        await emit({ type: 'warning', message: `${projectFile} (phases[${index}].batchSize): ${plan.phase.batchSize} is more than the ${input.data.trainImages} training images, so each epoch is one batch of ${input.data.trainImages}. Set a batchSize of at most ${input.data.trainImages} (8 to 32 is usual).` });
      }
    }
    result = await runPhases({
      model, plans: input.plans, setupPhase: input.setupPhase, runDir, resumeFrom: resumed?.checkpoint,
      signal: input.signal, emit, runStartedAt, seed: config.data.seed, checkpointEverySeconds: config.checkpointEverySeconds ?? DEFAULT_CHECKPOINT_EVERY_SECONDS,
    });
    if (result.status === 'completed') {
      modelDir = modelDirOf(runDir);
      await access(runDir); // saving makes model/ with its parents: a deleted run folder must fail instead (ENOENT)
      await saveModelFolder(modelDir, model, input.data.classes, input.preprocessing);
      final = await input.hooks?.afterTraining?.(runDir, model);
    }
  } catch (error) {
    const failure = explainFailure(error, runDir);
    manifest = { ...manifest, status: 'failed', endedAt: new Date().toISOString(), skipped: input.data.skipped(), message: failure.message };
    await writeManifest(runDir, manifest).catch(() => undefined);
    await writeSummary(runDir, summaryOf(manifest, input, [], null, failure.message)).catch(() => undefined);
    throw failure;
  }
  manifest = { ...manifest, status: result.status, endedAt: new Date().toISOString(), skipped: input.data.skipped(), ...(result.message ? { message: result.message } : {}) };
  const summary = summaryOf(manifest, input, result.phases, modelDir, result.message, final);
  await writeSummary(runDir, summary);
  await writeManifest(runDir, manifest);
  await input.hooks?.beforeDone?.(runDir);
  await emit({ type: 'done', runDir, status: result.status, summary });
  return { runDir, status: result.status, summary };
}

function summaryOf(
  manifest: RunManifest, input: RunInput, phases: readonly PhaseSummary[], modelDir: string | null, message?: string,
  final?: FinalRunResults,
): RunSummary {
  const done = phases.filter((phase) => phase.status === 'done');
  const warnings = [...(input.data.warnings ?? []), ...(final?.warnings ?? [])];
  return {
    runId: manifest.runId,
    status: manifest.status,
    backend: input.backend.name,
    threads: input.backend.threads,
    valAccuracy: done.length > 0 ? done[done.length - 1].valAccuracy : Number.NaN,
    classes: input.data.classes,
    phases,
    modelDir,
    ...(message ? { message } : {}),
    ...(input.data.testImages ? { testAccuracy: final?.testAccuracy ?? null, testImages: input.data.testImages } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(final?.featureExtraction ? { featureExtraction: final.featureExtraction } : {}),
  };
}

/** The interrupted run's folder, made ready to go on (see continueRunFolder), with its id, start and resumes so far. */
async function continueRun(runDir: string, resumed: OpenedRun): Promise<{ runId: string; runDir: string; startedAt: Date; resumes: RunManifest['resumes'] }> {
  const { previous, checkpoint } = resumed;
  const resume = await continueRunFolder(runDir, previous, checkpoint.state);
  return { runId: previous.runId, runDir, startedAt: new Date(previous.startedAt), resumes: [...(previous.resumes ?? []), resume] };
}

/** A write failure of the run folder (disk full, folder deleted) becomes a message that says what to do. */
function explainFailure(error: unknown, runDir: string): Error {
  if (isUserError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' && !existsSync(runDir)) {
    return new UserError(
      'was deleted (or moved) while the run was training, so the run cannot go on; its checkpoint went with it.',
      runDir,
      'Train again: a new run folder is made. Keep run folders in place until a run ends.',
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'ENOENT' || code === 'EACCES' || code === 'EROFS') {
    return new UserError(
      `could not be written (${(error as Error).message}).`,
      runDir,
      'Free disk space (or restore the folder), then train again; --resume continues from the last complete checkpoint if the folder still has it.',
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function processIdentity(): { processStart?: string } {
  const processStart = processStartOf(process.pid);
  return processStart ? { processStart } : {};
}

function versions(): Record<string, string> {
  return {
    [PACKAGE_NAME]: PACKAGE_VERSION, tfjs: tf.version.tfjs, 'tfjs-core': tf.version_core, 'tfjs-layers': tf.version_layers,
    'tfjs-backend-wasm': wasmVersion, node: process.version,
  };
}
