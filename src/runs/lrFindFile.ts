/** The learning-rate finder's files in `<runs folder>/lr-find/phase-<n>/`: lr-find.json and its chart. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LrFindFile } from '../protocol/lrFind';
import { writeJsonAtomic } from './atomicFile';
import { isObject, readJsonValue } from './jsonFile';
import { LR_FIND_FILES, LR_FIND_FOLDER, lrFindDirOf } from './layout';

/** `phase-3` -> 3 (the folder names lrFindDirOf makes). */
const PHASE_FOLDER = /^phase-([1-9]\d*)$/;

/** Where phase `phase`'s (1-based) sweep and chart are. */
export function lrFindPaths(runsDir: string, phase: number): { readonly dir: string; readonly file: string; readonly chart: string } {
  const dir = lrFindDirOf(runsDir, phase);
  return { dir, file: path.join(dir, LR_FIND_FILES.result), chart: path.join(dir, LR_FIND_FILES.chart) };
}

/** Writes lr-find.json (creating the folder); returns its path. */
export async function writeLrFindFile(runsDir: string, result: LrFindFile): Promise<string> {
  const { dir, file } = lrFindPaths(runsDir, result.phase);
  await fs.mkdir(dir, { recursive: true });
  await writeJsonAtomic(file, result);
  return file;
}

/** Phase `phase`'s last sweep; undefined when there is none or it is damaged. */
export async function readLrFindFile(runsDir: string, phase: number): Promise<LrFindFile | undefined> {
  const value = await readJsonValue(lrFindPaths(runsDir, phase).file);
  return isObject(value) && Array.isArray(value.rates) && Array.isArray(value.smoothedLosses) && typeof value.phase === 'number' ? (value as unknown as LrFindFile) : undefined;
}

/** Every phase's last sweep in `runsDir`, in phase order; none when lr-find never ran. */
export async function listLrFindFiles(runsDir: string): Promise<LrFindFile[]> {
  const names = await fs.readdir(path.join(runsDir, LR_FIND_FOLDER)).catch(() => [] as string[]);
  const phases = names.map((name) => Number(PHASE_FOLDER.exec(name)?.[1])).filter((n) => Number.isInteger(n)).sort((a, b) => a - b);
  const files = await Promise.all(phases.map((phase) => readLrFindFile(runsDir, phase)));
  return files.filter((file): file is LrFindFile => file !== undefined);
}
