/** Reads a run's embedding.json for the panel's embedding view; null when the run has none (older runs, failed runs). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EmbeddingFile } from '../../protocol/run';
import type { EmbeddingView } from '../../protocol/webview';
import { runFile } from '../../runs';


function isEmbeddingFile(value: unknown): value is EmbeddingFile {
  const v = value as Partial<EmbeddingFile> | null;
  return typeof v === 'object' && v !== null && typeof v.layer === 'string' && typeof v.dataDir === 'string' &&
    Array.isArray(v.classes) && Array.isArray(v.images) && Array.isArray(v.base) && Array.isArray(v.adapted) &&
    v.base.length === v.images.length && v.adapted.length === v.images.length;
}

/** The view with absolute image paths; `thumbnailOf` turns a path into a webview URI. Also returns the data folder (for localResourceRoots). */
export async function readEmbeddingView(runDir: string, thumbnailOf: (file: string) => string): Promise<{ view: EmbeddingView; dataDir: string } | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(runFile(runDir, 'embedding'), 'utf8'));
  } catch {
    return null;
  }
  if (!isEmbeddingFile(parsed)) return null;
  const points = parsed.images.map((image) => {
    const file = path.resolve(parsed.dataDir, image.path);
    return { file, label: image.label, thumbnail: thumbnailOf(file) };
  });
  return { view: { layer: parsed.layer, classes: parsed.classes, points, base: parsed.base, adapted: parsed.adapted }, dataDir: path.resolve(parsed.dataDir) };
}
