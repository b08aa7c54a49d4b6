/**
 * The files that ship beside a model and say what it needs: Teachable Machine's `metadata.json`
 * (labels, `imageSize`; its models take pixels scaled to [-1, 1]) and `labels.txt`
 * (`<index> <name>` per line, as Teachable Machine's Keras and TFLite exports write it).
 */
import { readFile } from 'node:fs/promises';
import { decodeText } from '../../../shared/textFile';
import * as path from 'node:path';
import { UserError } from '../../../shared/userError';
import type { ImportedModel } from './modelSource';

export type CompanionFacts = Pick<ImportedModel, 'labels' | 'pixelRange' | 'imageSize'>;

async function readOptional(file: string): Promise<string | undefined> {
  // Saved on Windows: a byte-order mark or UTF-16 (labels.txt from Notepad) reads as the same text.
  return readFile(file).then(decodeText).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return undefined;
    throw error;
  });
}

/** Teachable Machine metadata.json; undefined when it is not one (other tools write other metadata.json files). */
export function parseTeachableMetadata(text: string, file: string): CompanionFacts | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`is not valid JSON (${(error as Error).message}).`, file, 'Download the model again, or delete metadata.json if it does not belong to the model.');
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const meta = json as Record<string, unknown>;
  const teachable = typeof meta.tmVersion === 'string' || String(meta.packageName ?? '').includes('teachablemachine');
  const labels = Array.isArray(meta.labels) && meta.labels.every((l) => typeof l === 'string') ? (meta.labels as string[]) : undefined;
  const imageSize = typeof meta.imageSize === 'number' && meta.imageSize > 0 ? meta.imageSize : undefined;
  if (!teachable && !labels) return undefined;
  return { labels, imageSize, pixelRange: teachable ? '-1..1' : undefined };
}

/** labels.txt: `<index> <name>` per line (names may hold spaces), or one bare name per line. */
export function parseLabelsText(text: string, file: string): string[] {
  const byIndex = new Map<number, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, lineIndex) => {
    const line = raw.trim();
    if (line === '') return;
    const numbered = /^(\d+)\s+(.+)$/.exec(line);
    const index = numbered ? Number(numbered[1]) : byIndex.size;
    if (byIndex.has(index)) {
      throw new UserError(`gives index ${index} twice (line ${lineIndex + 1}).`, file, 'Write one line per class, "<index> <name>", indexes 0, 1, 2, ...');
    }
    byIndex.set(index, numbered ? numbered[2].trim() : line);
  });
  const labels = [...byIndex.keys()].sort((a, b) => a - b).map((i) => byIndex.get(i) as string);
  const missing = [...Array(labels.length).keys()].find((i) => !byIndex.has(i));
  if (missing !== undefined) throw new UserError(`has no label for index ${missing}.`, file, 'Number the classes 0, 1, 2, ... without gaps, one per line.');
  return labels;
}

/** Reads metadata.json and labels.txt from `dir` when they are there; metadata.json wins where both say. */
export async function readCompanionFiles(dir: string): Promise<CompanionFacts> {
  const metadataFile = path.join(dir, 'metadata.json');
  const labelsFile = path.join(dir, 'labels.txt');
  const metadataText = await readOptional(metadataFile);
  const labelsText = await readOptional(labelsFile);
  const metadata = metadataText === undefined ? undefined : parseTeachableMetadata(metadataText, metadataFile);
  const labels = metadata?.labels ?? (labelsText === undefined ? undefined : parseLabelsText(labelsText, labelsFile));
  return {
    ...(labels ? { labels } : {}),
    ...(metadata?.imageSize ? { imageSize: metadata.imageSize } : {}),
    ...(metadata?.pixelRange ? { pixelRange: metadata.pixelRange } : {}),
  };
}
