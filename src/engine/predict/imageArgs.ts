/**
 * The images named on a predict command line: a file as it is, a folder as every file inside it (sorted,
 * sub-folders too, hidden and system entries left out), so `predict run photos/` predicts a folder of
 * mixed good and bad files one by one. A folder without any file is a failure naming it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isIgnoredEntry } from '../../shared/ignoredEntries';
import { IMAGE_EXTENSIONS_TEXT } from '../data/formats';

/** The files to predict, and the folders given that hold none. */
export async function expandImageArgs(args: readonly string[]): Promise<{ files: string[]; emptyFolders: string[] }> {
  const files: string[] = [];
  const emptyFolders: string[] = [];
  for (const arg of args) {
    const info = await fs.stat(arg).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(arg);
      continue;
    }
    const inside = await filesUnder(arg);
    if (inside.length === 0) emptyFolders.push(path.resolve(arg));
    files.push(...inside);
  }
  return { files, emptyFolders };
}

/** The message for a folder given to predict that holds no file. */
export const EMPTY_FOLDER_FIX = `Put ${IMAGE_EXTENSIONS_TEXT} images in it, or pass image files.`;

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (isIgnoredEntry(entry.name)) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}
