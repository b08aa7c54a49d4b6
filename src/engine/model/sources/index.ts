/**
 * The registry of model sources: which formats can be read, and the one entry point that reads a
 * model file by asking each source, in order, whether the file's first bytes are its format. The
 * name never decides (a `.keras` file may hold HDF5). To add a format, write a `ModelSource` in a
 * file beside `tfjsLayers.ts` and list it in `SOURCES`.
 */
import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../../shared/userError';
import { builtinRefsText } from '../builtins';
import type { ImportedModel, ModelSource } from './modelSource';
import { kerasH5Source } from './kerasH5';
import { kerasV3Source } from './kerasV3';
import { tfjsLayersSource } from './tfjsLayers';
import { unsupportedModelFile } from './unsupported';

export type { ImportedModel, ModelContainer, ModelSource, PixelRange } from './modelSource';

/** How many first bytes `accepts` sees. */
export const HEAD_BYTES = 512;

/** Asked in order; tfjs-layers last, because it takes every text file (to explain a broken model.json). */
const SOURCES: ModelSource[] = [kerasH5Source, kerasV3Source, tfjsLayersSource];

export function modelSources(): readonly ModelSource[] {
  return SOURCES;
}

/** Adds a source, asked before the registered ones (the tests add a made-up format); returns its removal. */
export function registerModelSource(source: ModelSource): () => void {
  if (SOURCES.some((known) => known.id === source.id)) throw new Error(`a model source "${source.id}" is already registered`);
  SOURCES.unshift(source);
  return () => {
    const index = SOURCES.indexOf(source);
    if (index >= 0) SOURCES.splice(index, 1);
  };
}

/** A model read from disk, with the file it came from and the source that read it. */
export interface ReadModel extends ImportedModel {
  /** The file read (for a folder, its model.json). */
  readonly file: string;
  readonly sourceId: string;
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reads a model file (a folder means its model.json) with the source its content belongs to. */
export async function readModelFile(fileOrDir: string): Promise<ReadModel> {
  const supported = SOURCES.map((source) => source.label);
  const info = await stat(fileOrDir).catch(() => undefined);
  const file = info?.isDirectory() ? path.join(fileOrDir, 'model.json') : fileOrDir;
  const fileInfo = info?.isDirectory() ? await stat(file).catch(() => undefined) : info;
  if (!fileInfo?.isFile()) {
    throw new UserError(fileInfo ? 'is not a file.' : 'was not found.', file, `Point at a model file (${supported.join('; ')}), or use ${builtinRefsText(' or ')}.`);
  }
  const head = await readHead(file);
  const source = SOURCES.find((candidate) => candidate.accepts(head));
  if (!source) throw unsupportedModelFile(file, supported);
  return { ...(await source.read(file)), file, sourceId: source.id };
}
