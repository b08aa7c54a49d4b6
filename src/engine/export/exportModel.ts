/**
 * Export: write a run's adapted model into a new folder a person can use elsewhere (the model in the
 * chosen format, by its writer in ./writers, + labels + preprocessing + README), then reload it and check
 * it predicts like the trained model.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunSummary } from '../../protocol/run';
import { UserError } from '../../shared/userError';
import { assertFolder, modelDirOf, readPartialSummary } from '../../runs';
import { readEvaluation } from '../evaluate';
import { DEFAULT_EXPORT_FORMAT } from '../../shared/exportFormats';
import { LABELS_JSON, loadLayersModelFromDir, MODEL_JSON, PREPROCESSING_JSON, readModelFolder, type ModelFolder } from './modelFolder';
import { renderReadme } from './readme';
import { verifyExport, type VerifyOptions, type VerifyResult } from './verify';
import { exportWriter, type ExportWriter } from './writers';
import { nonPortableDestination } from '../data/portableNames';

const README_MD = 'README.md';

export interface ExportOptions {
  /** The model to compare against (e.g. the one still in memory after training); default: the run's saved model. */
  readonly reference?: tf.LayersModel;
  /** Inputs for the comparison; default: validation images named in the run's evaluation.json, else seeded random inputs. */
  readonly verifyInputs?: VerifyOptions['inputs'];
  /** An export writer id (`tfjs`, `keras`, `h5`, or one registered); default tfjs. */
  readonly format?: string;
}

export interface ExportResult {
  readonly dir: string;
  /** The writer id the files were written by. */
  readonly format: string;
  /** File names written, relative to `dir`. */
  readonly files: readonly string[];
  readonly classes: readonly string[];
  readonly verification: VerifyResult;
}

/** Exports the adapted model of `runDir` (a run folder, or a model folder) into `destDir`, which must be new or empty. */
export async function exportModel(runDir: string, destDir: string, options: ExportOptions = {}): Promise<ExportResult> {
  const writer = exportWriter(options.format ?? DEFAULT_EXPORT_FORMAT);
  await assertFolder(runDir, 'a run folder (runs/<run id>) or a model folder');
  // None for a model folder, or a run still in progress: the README then names the folder.
  const summary = (await readPartialSummary(runDir)) ?? null;
  const modelDir = await findModelDir(runDir, summary);
  const folder = await readModelFolder(modelDir);
  const dest = path.resolve(destDir);
  // On Windows such a folder cannot be made (or becomes another name); elsewhere the CLI warns.
  const unportable = nonPortableDestination(dest);
  if (unportable && process.platform === 'win32') throw new UserError(`cannot be used: ${unportable}.`, dest, 'Choose another folder name.');
  const destExists = await checkDestination(dest);
  const saved = await loadLayersModelFromDir(modelDir);
  try {
    const files = await writeStaged(dest, { folder, model: saved, writer }, summary, runDir);
    if (destExists) await fs.rmdir(dest); // empty, checked above; rename needs it gone
    await fs.rename(stagingDir(dest), dest);
    try {
      const inputs = options.verifyInputs ?? (await validationImagesOf(runDir));
      const verification = await verifyExport(dest, options.reference ?? saved, { inputs, reload: writer.reload });
      return { dir: dest, format: writer.id, files, classes: folder.classes, verification };
    } catch (error) {
      // A model that does not predict like the trained one must not be left where someone would use it.
      await fs.rm(dest, { recursive: true, force: true });
      throw error;
    }
  } finally {
    saved.dispose();
  }
}

/** The run's adapted model folder: `<runDir>` itself when it holds model.json, else summary.modelDir or `<runDir>/model`. */
async function findModelDir(runDir: string, summary: Partial<RunSummary> | null): Promise<string> {
  if (await exists(path.join(runDir, MODEL_JSON))) return runDir;
  const candidate = summary?.modelDir ? path.resolve(runDir, summary.modelDir) : modelDirOf(runDir);
  if (await exists(path.join(candidate, MODEL_JSON))) return candidate;
  throw new UserError(
    `has no adapted model (${path.relative(runDir, path.join(candidate, MODEL_JSON)) || MODEL_JSON} is missing).`,
    runDir,
    'Choose a run that finished at least one phase, or train the project first.',
  );
}

/** Refuses a destination that is a file or a non-empty folder; returns whether it exists (empty). */
async function checkDestination(dest: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await fs.readdir(dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ENOTDIR') throw new UserError('is a file, not a folder.', dest, 'Choose a new folder for the export.');
    throw error;
  }
  if (entries.length > 0) {
    throw new UserError('already exists and is not empty; nothing was overwritten.', dest, 'Choose a new folder for the export, or empty this one.');
  }
  return true;
}

interface StagedExport {
  readonly folder: ModelFolder;
  /** The run's saved model, loaded (the writers read topology and weights from it). */
  readonly model: tf.LayersModel;
  readonly writer: ExportWriter;
}

/**
 * Writes every file into a staging folder next to `dest`, so a failure leaves no half export behind.
 * The model files come from the writer; labels, preprocessing and README sit beside them in every format.
 */
async function writeStaged(dest: string, { folder, model, writer }: StagedExport, summary: Partial<RunSummary> | null, runDir: string): Promise<string[]> {
  const staging = stagingDir(dest);
  await fs.mkdir(staging, { recursive: true });
  try {
    const modelFiles = await writer.write({ folder, model }, staging);
    await fs.writeFile(path.join(staging, LABELS_JSON), `${JSON.stringify(folder.classes, null, 2)}\n`);
    await fs.copyFile(path.join(folder.dir, PREPROCESSING_JSON), path.join(staging, PREPROCESSING_JSON));
    const readme = renderReadme(
      {
        classes: folder.classes,
        preprocessing: folder.preprocessing,
        source: summary ? `run ${summary.runId}` : path.basename(path.resolve(runDir)),
        valAccuracy: summary && Number.isFinite(summary.valAccuracy) ? summary.valAccuracy : undefined,
      },
      { label: writer.label, usage: writer.usage() },
    );
    await fs.writeFile(path.join(staging, README_MD), readme);
    return [...modelFiles, LABELS_JSON, PREPROCESSING_JSON, README_MD];
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Up to `max` validation images the run's evaluation.json names (its mistakes) that still exist. */
async function validationImagesOf(runDir: string, max = 8): Promise<string[]> {
  const evaluation = await readEvaluation(runDir).catch(() => null);
  const files = [...new Set((evaluation?.phases ?? []).flatMap((phase) => phase.worst.map((w) => w.file)))];
  const existing: string[] = [];
  for (const file of files) {
    if (existing.length >= max) break;
    if (path.isAbsolute(file) && (await exists(file))) existing.push(file);
  }
  return existing;
}

function stagingDir(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.export-${process.pid}`);
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
