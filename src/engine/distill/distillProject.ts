/**
 * `finetune-guide distill`: a finished run (the teacher) -> a smaller student trained to match the
 * teacher's softened outputs and the labels (../train/distillLoss.ts), in a new run folder like a
 * training run's (manifest, metrics.jsonl, model/, evaluation.json, summary.json with kind "distill",
 * report.md). The teacher's outputs are computed once per training image and kept in memory; the
 * student's frozen base features likewise, so only its head trains. A baseline (the same student,
 * seed, init, batches and epochs, on the labels alone) shows what the teacher added.
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import type { BackendPreference } from '../../protocol/host';
import type { DistillModelFacts, ModelPlanInfo, PhasePlanInfo, PhaseSummary, RunManifest, RunSummary, TrainingEvent } from '../../protocol/run';
import type { ProjectConfig } from '../../protocol/config';
import { isUserError, UserError } from '../../shared/userError';
import { initBackend } from '../backend';
import { loadProjectConfig } from '../config';
import { configHashOf } from '../config/configHash';
import { openDataset, type Dataset } from '../data';
import { inputLayoutOf } from '../data/inputLayout';
import { evaluateModel, writeEvaluation } from '../evaluate';
import { loadProjectBase } from '../model/prepare';
import { writeReport } from '../report';
import { appendMetric, createRunDir, modelDirOf, writeManifest, writeSummary } from '../../runs';
import { saveModelFolder } from '../train/saveModel';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../packageVersion';
import { distillSettings } from './defaults';
import { evaluateHead, logProbabilities, trainHead, type FeatureSet } from './headTraining';
import { imagesPerSecond } from './speed';
import { chooseStudent } from './studentChoice';
import { buildStudent, pooledFeatures } from './studentModel';
import { findTeacherRun, loadTeacher, type Teacher } from './teacher';

export const DISTILL_PHASE = 'distill';

export interface DistillOptions {
  /** The teacher's run folder; default the project's latest finished training run. */
  readonly teacher?: string;
  readonly backend?: BackendPreference;
  readonly threads?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainingEvent) => void;
}

export interface DistillResult {
  readonly runDir: string;
  readonly status: RunSummary['status'];
  readonly summary: RunSummary;
}

/** Images per speed measurement (at most; fewer when the validation split is smaller). */
const SPEED_IMAGES = 32;

/** Distils the project's teacher into a student; see the file comment. */
export async function distillProject(projectFile: string, options: DistillOptions = {}): Promise<DistillResult> {
  const emit = options.onEvent ?? (() => undefined);
  const log = (message: string): void => emit({ type: 'log', level: 'info', message });
  const project = await loadProjectConfig(projectFile);
  const { config } = project;
  const settings = distillSettings(config.distill);
  const backend = await initBackend(options.backend ?? config.backend ?? 'auto', { threads: options.threads, log });
  const teacherDir = await findTeacherRun(project.runsDir, options.teacher, project.projectFile);
  const teacher = await loadTeacher(teacherDir);
  const disposers: (() => void)[] = [() => teacher.model.dispose()];
  try {
    const teacherModelConfig = teacher.manifest?.config.model ?? config.model;
    const choice = await chooseStudent(config.distill?.student, {
      base: teacherModelConfig.base, cutLayer: teacherModelConfig.cutLayer, inputSize: teacher.folder.preprocessing.inputSize,
      params: teacher.params, classes: teacher.folder.classes.length,
    }, project.projectDir, project.projectFile);
    log(`student: ${choice.reason}`);
    const student = choice.student;
    const studentConfig: ProjectConfig = {
      ...config,
      model: { base: student.base, cutLayer: student.cutLayer, inputSize: student.inputSize, ...(student.base === config.model.base && config.model.pixelRange ? { pixelRange: config.model.pixelRange } : {}) },
      head: { pooling: 'avg', hiddenUnits: [], dropout: 0 },
      // What the run trained: the student's head on its frozen base, one phase.
      phases: [{ name: DISTILL_PHASE, epochs: settings.epochs, batchSize: settings.batchSize, optimizer: 'adam', learningRate: settings.learningRate, trainable: 'head' }],
      augmentation: { horizontalFlip: false, shift: 0, brightness: 0 },
    };
    const base = await loadStudentBase(studentConfig, project.projectDir, project.projectFile, choice.origin === 'configured');
    const model = buildStudent(base.base, teacher.folder.classes.length, config.data.seed, 'student');
    disposers.push(() => model.full.dispose());
    const classOrder = { names: teacher.folder.classes, otherwise: `the teacher (${teacherDir}) was trained on other classes; train the project again, then distil.` };
    const common = { folder: project.dataDir, validationSplit: config.data.validationSplit, seed: config.data.seed, augmentation: { horizontalFlip: false, shift: 0, brightness: 0 }, classOrder };
    const teacherLayout = inputLayoutOf(teacher.model.inputs[0]?.shape ?? []);
    if (!teacherLayout) throw new UserError('takes an input that is not an image.', teacher.folder.dir, 'Pass a run of an image model to --teacher.');
    const teacherData = await openDataset({ ...common, inputSize: teacherLayout.size, channels: teacherLayout.channels, sampleShape: teacherLayout.sampleShape, pixelRange: teacher.folder.preprocessing.scale });
    const studentData = await openDataset({ ...common, inputSize: base.layout.size, channels: base.layout.channels, sampleShape: base.layout.sampleShape, pixelRange: base.preprocessing.scale });
    if (teacher.manifest && teacher.manifest.splitHash !== studentData.splitHash) {
      emit({ type: 'warning', message: `The data's train/validation split differs from the teacher run's (images or data.seed changed): the teacher may have trained on some validation images, so its accuracy here is optimistic.` });
    }

    // The teacher's outputs, once per image (keyed by the image's id), and its accuracy and speed.
    const teacherLogits = await teacherOutputs(teacher, teacherData, settings.batchSize);
    disposers.push(() => tf.dispose([...teacherLogits.values()]));
    const teacherVal = await teacherAccuracy(teacher, teacherData, settings.batchSize);
    const teacherSpeed = await withSample(teacherData, (xs) => imagesPerSecond(teacher.model, xs));

    // The student's frozen features, once per image, with the teacher's logits in the same rows.
    const train = await featureSet(studentData, 'train', base.base, settings.batchSize, teacherLogits);
    const val = await featureSet(studentData, 'validation', base.base, settings.batchSize, null);
    disposers.push(() => tf.dispose([train.features, train.labels, train.teacher!, val.features, val.labels]));
    const studentParams = model.full.countParams();
    if (studentParams > teacher.params / 2) {
      emit({ type: 'warning', message: `The student has ${studentParams} parameters, more than half the teacher's ${teacher.params}; an earlier distill.student.cutLayer makes it smaller.` });
    }

    const { runId, runDir } = await createRunDir(project.runsDir, project.projectFile);
    const startedAt = new Date();
    const modelInfo: ModelPlanInfo = {
      base: base.displayName, baseParams: base.base.countParams(), baseLayers: base.base.layers.length, cutLayer: student.cutLayer,
      inputShape: [base.layout.size, base.layout.size, base.layout.channels], headLayers: model.full.layers.slice(base.base.layers.length).map((l) => l.name),
      headParams: studentParams - base.base.countParams(),
    };
    const plan: PhasePlanInfo = {
      name: DISTILL_PHASE, epochs: settings.epochs, batchSize: settings.batchSize, optimizer: 'adam', learningRate: settings.learningRate,
      trainableParams: modelInfo.headParams, totalParams: studentParams, trainableLayers: model.head.layers.filter((l) => l.trainableWeights.length > 0).length,
      totalLayers: model.full.layers.length, batchNorm: 'inference',
    };
    let manifest: RunManifest = {
      runId, status: 'running', startedAt: startedAt.toISOString(), endedAt: null, projectFile: project.projectFile, config: studentConfig, seed: config.data.seed,
      splitHash: studentData.splitHash, configHash: configHashOf(studentConfig), classes: studentData.classes, trainImages: studentData.size('train'), valImages: studentData.size('validation'),
      backend: backend.name, threads: backend.threads, versions: { [PACKAGE_NAME]: PACKAGE_VERSION, tfjs: tf.version.tfjs, node: process.version },
      skipped: [...teacherData.skipped], resumedFrom: null, pid: process.pid,
    };
    await writeManifest(runDir, manifest);
    // A failure from here on leaves a run folder that says so (not one that looks still running).
    const failed = async (error: unknown): Promise<never> => {
      const message = error instanceof Error ? error.message : String(error);
      await writeManifest(runDir, { ...manifest, status: 'failed', endedAt: new Date().toISOString(), message }).catch(() => undefined);
      throw error;
    };
    try {
      emit({ type: 'run', runId, runDir, backend: backend.name, threads: backend.threads, classes: studentData.classes, trainImages: manifest.trainImages, valImages: manifest.valImages, model: modelInfo, phases: [plan], resumedFrom: null });
      const hyper = { epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, temperature: settings.temperature, alpha: settings.alpha, seed: config.data.seed, signal: options.signal };
      const trainSet: FeatureSet = { features: train.features, labels: train.labels };
      const valSet: FeatureSet = { features: val.features, labels: val.labels };

      // The baseline first, from the same initial head weights the distilled student then starts from again.
      const initial = model.head.getWeights().map((w) => w.clone());
      disposers.push(() => tf.dispose(initial));
      log(`baseline: the same student on the labels alone, ${settings.epochs} epoch(s)`);
      await trainHead({ ...hyper, head: model.head, train: trainSet, teacherLogits: null, val: valSet });
      const baselineVal = evaluateHead(model.head, valSet).accuracy;
      const baselineSpeed = await withSample(studentData, (xs) => imagesPerSecond(model.full, xs));
      model.head.setWeights(initial);

      emit({ type: 'phase', phase: DISTILL_PHASE, phaseIndex: 0, plan, backend: backend.name, cache: { used: true, reason: "the student's frozen base features and the teacher's outputs are computed once per image" } });
      const runStarted = Date.now();
      const last = await trainHead({
        ...hyper, head: model.head, train: trainSet, teacherLogits: train.teacher, val: valSet,
        onEpoch: async (epoch) => {
          const row: TrainingEvent = {
            type: 'epoch', phase: DISTILL_PHASE, phaseIndex: 0, epoch: epoch.epoch, epochs: settings.epochs, loss: epoch.loss, accuracy: epoch.accuracy,
            val_loss: epoch.valLoss, val_accuracy: epoch.valAccuracy, lr: settings.learningRate, seconds: (Date.now() - runStarted) / 1000, imagesPerSecond: epoch.imagesPerSecond,
          };
          emit(row);
          await appendMetric(runDir, row);
        },
      });
      const cancelled = options.signal?.aborted === true || last === null || last.epoch + 1 < settings.epochs;
      const studentSpeed = await withSample(studentData, (xs) => imagesPerSecond(model.full, xs));
      const phase = phaseSummaryOf(plan, last, cancelled ? 'cancelled' : 'done', backend.name, (Date.now() - runStarted) / 1000);
      emit({ type: 'phaseEnd', phaseIndex: 0, summary: phase });
      let modelDir: string | null = null;
      if (!cancelled) {
        modelDir = modelDirOf(runDir);
        await saveModelFolder(modelDir, model.full, studentData.classes, { ...base.preprocessing });
        await writeEvaluation(runDir, DISTILL_PHASE, await evaluateModel(model.full, studentData, 'validation', settings.batchSize));
      }
      const facts = (params: number, valAccuracy: number, speed: number, description: string): DistillModelFacts => ({ params, valAccuracy, imagesPerSecond: speed, description });
      const studentWords = `${base.displayName} cut at ${student.cutLayer}, input ${student.inputSize}`;
      const status = cancelled ? 'cancelled' : 'completed';
      manifest = { ...manifest, status, endedAt: new Date().toISOString() };
      const summary: RunSummary = {
        kind: 'distill', runId, status, backend: backend.name, threads: backend.threads, valAccuracy: phase.valAccuracy, classes: studentData.classes, phases: [phase], modelDir,
        teacherRun: teacherDir,
        teacher: facts(teacher.params, teacherVal, teacherSpeed, `run ${path.basename(teacherDir)}: ${teacherModelConfig.base} cut at ${teacherModelConfig.cutLayer}, input ${teacher.folder.preprocessing.inputSize}`),
        student: facts(studentParams, phase.valAccuracy, studentSpeed, `${studentWords} (${choice.origin}); T=${settings.temperature}, alpha=${settings.alpha}`),
        baseline: facts(studentParams, baselineVal, baselineSpeed, `${studentWords}, labels alone`),
      };
      await writeSummary(runDir, summary);
      await writeManifest(runDir, manifest);
      await writeReport(runDir).catch((error: unknown) => emit({ type: 'warning', message: `Could not write the report (${(error as Error).message}).` }));
      emit({ type: 'done', runDir, status, summary });
      return { runDir, status, summary };
    } catch (error) {
      return await failed(error);
    }
  } finally {
    for (const dispose of disposers.reverse()) dispose();
  }
}

/** The student's base; a configured student's bad cut layer or input size names `distill.student.*`. */
async function loadStudentBase(config: ProjectConfig, projectDir: string, projectFile: string, configured: boolean): ReturnType<typeof loadProjectBase> {
  try {
    return await loadProjectBase(config, projectDir);
  } catch (error) {
    if (configured && isUserError(error) && error.field?.startsWith('model.')) {
      const field = `distill.student.${error.field.slice('model.'.length)}`;
      throw new UserError(`${field}: ${error.message}`, projectFile, error.fix, field);
    }
    throw error;
  }
}

/** The teacher's log-probabilities of every training image, by image id (computed once). */
async function teacherOutputs(teacher: Teacher, data: Dataset, batchSize: number): Promise<Map<string, tf.Tensor1D>> {
  const out = new Map<string, tf.Tensor1D>();
  for await (const batch of data.batches('train', batchSize, { augment: false, shuffle: false })) {
    const rows = tf.tidy(() => tf.unstack(logProbabilities(teacher.model.predict(batch.xs) as tf.Tensor)) as tf.Tensor1D[]);
    batch.ids.forEach((id, i) => out.set(id, rows[i]));
    tf.dispose([batch.xs, batch.ys]);
  }
  return out;
}

async function teacherAccuracy(teacher: Teacher, data: Dataset, batchSize: number): Promise<number> {
  let hits = 0;
  let count = 0;
  for await (const batch of data.batches('validation', batchSize, { augment: false, shuffle: false })) {
    hits += tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(teacher.model.predict(batch.xs) as tf.Tensor, -1), tf.argMax(batch.ys, -1)), 'float32')).dataSync()[0]);
    count += batch.xs.shape[0];
    tf.dispose([batch.xs, batch.ys]);
  }
  return count > 0 ? hits / count : Number.NaN;
}

/** Pooled student-base features, labels and (for training) the teacher's rows, in one order. */
async function featureSet(data: Dataset, split: 'train' | 'validation', base: tf.LayersModel, batchSize: number, teacher: Map<string, tf.Tensor1D> | null): Promise<FeatureSet & { teacher: tf.Tensor2D | null }> {
  const features: tf.Tensor2D[] = [];
  const labels: tf.Tensor2D[] = [];
  const rows: tf.Tensor1D[] = [];
  for await (const batch of data.batches(split, batchSize, { augment: false, shuffle: false })) {
    features.push(pooledFeatures(base, batch.xs));
    labels.push(batch.ys as tf.Tensor2D);
    batch.xs.dispose();
    for (const id of batch.ids) {
      const row = teacher?.get(id);
      if (teacher && !row) throw new Error(`no teacher output for ${id}`);
      if (row) rows.push(row);
    }
  }
  if (features.length === 0) throw new UserError(`has no ${split} images to distil with.`, data.folder, 'Add images (at least a few per class).');
  const result = { features: tf.concat(features) as tf.Tensor2D, labels: tf.concat(labels) as tf.Tensor2D, teacher: teacher ? (tf.stack(rows) as tf.Tensor2D) : null };
  tf.dispose([...features, ...labels]);
  return result;
}

/** Runs `body` on up to SPEED_IMAGES validation images (else training images) of `data`. */
async function withSample<T>(data: Dataset, body: (xs: tf.Tensor) => Promise<T>): Promise<T> {
  const split = data.size('validation') > 0 ? 'validation' : 'train';
  for await (const batch of data.batches(split, SPEED_IMAGES, { augment: false, shuffle: false })) {
    try {
      return await body(batch.xs);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
  }
  throw new UserError('has no images.', data.folder, 'Add images.');
}

function phaseSummaryOf(plan: PhasePlanInfo, last: { epoch: number; valAccuracy: number; valLoss: number; imagesPerSecond: number } | null, status: PhaseSummary['status'], backend: string, seconds: number): PhaseSummary {
  const epochsRun = last ? last.epoch + 1 : 0;
  return {
    name: plan.name, status, epochsRun, epochsPlanned: plan.epochs, valAccuracy: last?.valAccuracy ?? Number.NaN, valLoss: last?.valLoss ?? Number.NaN,
    finalValAccuracy: last?.valAccuracy ?? Number.NaN, finalValLoss: last?.valLoss ?? Number.NaN, bestEpoch: epochsRun - 1, keptWeights: 'last', keptEpoch: epochsRun - 1,
    stoppedEarly: false, trainableParams: plan.trainableParams, totalParams: plan.totalParams, learningRate: plan.learningRate, seconds,
    imagesPerSecond: last?.imagesPerSecond ?? 0, backend,
  };
}
