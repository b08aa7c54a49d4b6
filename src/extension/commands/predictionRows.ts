/**
 * Classify Image's quick pick rows: an image's top classes, flagged when the image lies in a folder
 * named after one of the run's classes (data/<class>/x.png) and the model's first choice is another.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImageTopClasses } from '../../protocol/host';
import { formatTopClasses } from './modelTargets';

export interface PredictionRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly file: string;
  /** The folder's class when the top prediction disagrees with it. */
  readonly folderClass?: string;
}

/** The class an image's folder names, when that folder name is one of the run's classes. */
export function folderClassOf(file: string, labels: readonly string[]): string | undefined {
  const folder = path.basename(path.dirname(file)).normalize('NFC');
  return labels.find((label) => label.normalize('NFC') === folder);
}

/** `shownPath`: the file as the user reads it (relative to the workspace). */
export function predictionRow(prediction: ImageTopClasses, labels: readonly string[], shownPath = prediction.file): PredictionRow {
  const base = { label: path.basename(prediction.file), description: formatTopClasses(prediction), file: prediction.file };
  const folderClass = folderClassOf(prediction.file, labels);
  const first = prediction.top[0]?.label;
  if (folderClass === undefined || first === undefined || first === folderClass) return { ...base, detail: shownPath };
  return { ...base, label: `$(warning) ${base.label}`, detail: `its folder says ${folderClass}, the model says ${first}: ${shownPath}`, folderClass };
}

/** The run model's class names (labels.json); empty when it cannot be read, so no row is flagged. */
export async function modelLabels(modelDir: string): Promise<string[]> {
  try {
    const labels: unknown = JSON.parse(await readFile(path.join(modelDir, 'labels.json'), 'utf8'));
    return Array.isArray(labels) ? labels.filter((label): label is string => typeof label === 'string') : [];
  } catch {
    return [];
  }
}
