/**
 * Reads a run's evaluations (written by the engine after each phase) for the panel, with small
 * data: URI previews of the worst mistakes so the webview needs no access to the data folder.
 * Pure Node, no vscode. A missing or damaged file gives no evaluation, never an exception.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EvaluatedImage, PhaseEvaluation } from '../../protocol/evaluation';
import type { CellImageView, MistakeView, PhaseEvaluationView } from '../../protocol/webview';
import { readEvaluationEntries, runFile } from '../../runs';
import { readJsonFile } from '../../runs/jsonFile';

/** Images up to this size are inlined as they are; bigger ones (photos) are shrunk first. */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;
/** Side of a shrunk preview, in pixels (the gallery draws 84 px; 2x for HiDPI screens). */
const PREVIEW_SIDE = 168;
/** At most this many previews per phase: the gallery shows the most confident mistakes first. */
export const MAX_MISTAKES = 12;

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};

export interface PanelEvaluation {
  readonly phases: PhaseEvaluationView[];
  /** The held-out test set's evaluation (evaluation.json `test`), or null. */
  readonly test: PhaseEvaluationView | null;
  readonly reportPath: string | null;
}

function isPhaseEvaluation(value: unknown): value is PhaseEvaluation {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<Record<keyof PhaseEvaluation, unknown>>;
  return (
    typeof entry.phase === 'string' &&
    typeof entry.accuracy === 'number' &&
    Array.isArray(entry.classes) &&
    Array.isArray(entry.confusion) &&
    entry.confusion.length === entry.classes.length &&
    Array.isArray(entry.perClass) &&
    Array.isArray(entry.topK) &&
    Array.isArray(entry.worst)
  );
}

/** A big image shrunk to a JPEG preview with sharp (loaded only when needed); null if it cannot be decoded. */
async function shrink(file: string): Promise<string | null> {
  try {
    const { default: sharp } = await import('sharp');
    // limitInputPixels keeps a huge or hostile image from exhausting memory, as the engine's decoder does.
    const jpeg = await sharp(file, { limitInputPixels: 268_402_689 })
      .rotate()
      .resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch {
    return null;
  }
}

/** A data: URI preview of the image, or null when it is missing, unreadable or not an image type a browser shows. */
export async function thumbnail(file: string): Promise<string | null> {
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!type) return null;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    if (stat.size > MAX_THUMBNAIL_BYTES) return await shrink(file);
    return `data:${type};base64,${(await fs.readFile(file)).toString('base64')}`;
  } catch {
    return null;
  }
}

/** Turns an image path into what the webview loads it by (a webview URI). */
export type ImageSource = (file: string) => string;

/** At most this many images per phase are listed for the confusion cells (the counts stay exact). */
const MAX_CELL_IMAGES = 5000;

async function phaseView(entry: PhaseEvaluation, projectDir: string, sourceOf: ImageSource): Promise<PhaseEvaluationView> {
  const worst: MistakeView[] = await Promise.all(
    entry.worst.slice(0, MAX_MISTAKES).map(async (mistake) => {
      // The engine records the paths it read; relative ones are relative to the project.
      const file = path.resolve(projectDir, mistake.file);
      return { ...mistake, file, thumbnail: await thumbnail(file) };
    }),
  );
  const images: CellImageView[] = (Array.isArray(entry.images) ? entry.images : []).slice(0, MAX_CELL_IMAGES).filter(isEvaluatedImage).map((image) => {
    const file = path.resolve(projectDir, image.file);
    return { ...image, file, src: sourceOf(file) };
  });
  return { ...entry, worst, images };
}

function isEvaluatedImage(value: unknown): value is EvaluatedImage {
  const image = value as Partial<Record<keyof EvaluatedImage, unknown>> | null;
  return typeof image === 'object' && image !== null && typeof image.file === 'string' && Number.isInteger(image.trueIndex) && Number.isInteger(image.predictedIndex) && typeof image.confidence === 'number';
}

/** The run's evaluations in phase order and its report, when present. */
export async function readPanelEvaluation(runDir: string, projectDir: string, sourceOf: ImageSource): Promise<PanelEvaluation> {
  const reportPath = runFile(runDir, 'report');
  const hasReport = await fs.stat(reportPath).then((s) => s.isFile(), () => false);
  const valid = (await readEvaluationEntries(runDir)).filter(isPhaseEvaluation);
  const test = await readTestEntry(runDir);
  return {
    phases: await Promise.all(valid.map((entry) => phaseView(entry, projectDir, sourceOf))),
    test: isPhaseEvaluation(test) ? await phaseView(test, projectDir, sourceOf) : null,
    reportPath: hasReport ? reportPath : null,
  };
}

/** evaluation.json's `test` as written, unchecked; undefined when missing or damaged. */
async function readTestEntry(runDir: string): Promise<unknown> {
  const read = await readJsonFile(runFile(runDir, 'evaluation'));
  return read.state === 'ok' && typeof read.value === 'object' && read.value !== null ? (read.value as { test?: unknown }).test : undefined;
}
