/**
 * Pure decisions behind New Project's questions about a model file (no vscode, unit-tested): which model
 * files the picker offers, the pixel-range choices, and whether the model's own classifier can be kept.
 */
import { readdir, stat } from 'node:fs/promises';
import { isIgnoredEntry } from '../../shared/ignoredEntries';
import * as path from 'node:path';
import type { PixelRange } from '../../protocol/config';
import type { InspectResult } from '../../protocol/host';

/** The open dialog's filter: every model format the engine reads (it tells them apart by content). */
export const MODEL_FILE_FILTERS: Readonly<Record<string, string[]>> = {
  'Models (TensorFlow.js model.json, Keras .h5 / .keras)': ['json', 'h5', 'keras'],
};

/** What each range means, in words a person who trained the model would recognise. */
const RANGE_MEANINGS: Readonly<Record<PixelRange, { readonly description: string; readonly detail: string }>> = {
  '0..1': { description: 'pixel / 255', detail: 'Most models trained in Keras with Rescaling(1/255) or ImageDataGenerator(rescale=1/255).' },
  '-1..1': { description: 'pixel / 127.5 − 1', detail: 'MobileNet, Inception and Teachable Machine models (tf.keras.applications preprocess_input "tf" mode).' },
  '0..255': { description: 'raw pixels', detail: 'Models that scale inside themselves (a Rescaling or Normalization layer first; EfficientNet, ConvNeXt).' },
};

export interface PixelRangeChoice {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly range: PixelRange;
}

/** The three ranges, the guess first and marked as the default. */
export function pixelRangeChoices(guess: PixelRange): PixelRangeChoice[] {
  const order: PixelRange[] = [guess, ...(['0..1', '-1..1', '0..255'] as const).filter((r) => r !== guess)];
  return order.map((range) => ({
    label: range,
    description: `${RANGE_MEANINGS[range].description}${range === guess ? ' · default (guessed from the model’s first layers)' : ''}`,
    detail: RANGE_MEANINGS[range].detail,
    range,
  }));
}

/** The range New Project must ask about: only one the model's files do not state. */
export function pixelRangeToAsk(inspected: Pick<InspectResult, 'pixelRange'>): PixelRange | undefined {
  return inspected.pixelRange?.source === 'guessed' ? inspected.pixelRange.range : undefined;
}

/** Class names of an image folder as the engine reads them: its sub-folders other than hidden and system ones, NFC-normalised, sorted. */
export async function classFolderNames(folder: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    if (isIgnoredEntry(entry.name)) continue;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(path.join(folder, entry.name)).catch(() => undefined))?.isDirectory());
    if (isDir) names.push(entry.name.normalize('NFC'));
  }
  return names.sort();
}

/** True when the data's classes are exactly the model's labels (any order), so its classifier can learn more images. */
export function canKeepClassifier(labels: readonly string[] | undefined, classes: readonly string[]): boolean {
  if (!labels || labels.length === 0 || labels.length !== classes.length) return false;
  const wanted = new Set(labels.map((l) => l.normalize('NFC')));
  return wanted.size === labels.length && classes.every((c) => wanted.has(c));
}
