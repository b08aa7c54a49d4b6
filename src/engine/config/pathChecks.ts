/** What finetune.json's paths point at, checked on disk: the data folder, the model file, the runs folder. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProjectConfig } from '../../protocol/config';
import { runsFolderFor } from '../../runs';
import { UserError } from '../../shared/userError';
import { builtinRefsText, isBuiltin } from '../model/builtins';
import { resolveProjectPath, windowsPathAdvice } from './projectPath';

/** Finds the nearest existing ancestor of `dir` and checks it can be written. */
async function checkWritable(dir: string, file: string): Promise<void> {
  let probe = dir;
  for (;;) {
    const info = await stat(probe).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) {
        throw new UserError(`runsFolder: ${probe} is a file, not a folder.`, file, 'Point "runsFolder" at a folder.', 'runsFolder');
      }
      break;
    }
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  try {
    await access(probe, constants.W_OK);
  } catch {
    throw new UserError(
      `runsFolder: ${dir} cannot be written (${probe} is not writable).`,
      file,
      'Make the folder writable or set "runsFolder" to a folder you can write to.',
      'runsFolder',
    );
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Every sub-folder of the data folder is a class, so the project folder or the runs folder inside it would become one. */
function checkDataHoldsNoRuns(config: ProjectConfig, file: string, projectDir: string, dataDir: string, runsDir: string): void {
  if (dataDir === projectDir) {
    throw new UserError(
      `data.folder: "${config.data.folder}" is the project folder itself (${dataDir}), so every sub-folder (runs/ too) would become a class.`,
      file,
      'Move the images into their own folder (e.g. "data", one sub-folder per class) and point "data.folder" at it.',
      'data.folder',
    );
  }
  if (isInside(runsDir, dataDir)) {
    throw new UserError(
      `data.folder: "${config.data.folder}" (${dataDir}) holds the runs folder ${runsDir}, which would become a class.`,
      file,
      'Set "runsFolder" to a folder outside the data folder (the default "runs" next to finetune.json works).',
      'data.folder',
    );
  }
}

/**
 * The checks that read the disk (data folder, model file, runs folder), once the config itself is
 * valid; throws a `UserError` naming the field. Loading runs them, and so do the editor's diagnostics.
 */
export async function checkProjectPaths(config: ProjectConfig, file: string): Promise<void> {
  const projectDir = path.dirname(file);
  const dataDir = resolveProjectPath(projectDir, config.data.folder);
  const runsDir = runsFolderFor(file, config);
  const data = await stat(dataDir).catch(() => undefined);
  if (!data) {
    throw new UserError(`data.folder: "${config.data.folder}" does not exist (resolved to ${dataDir}).`, file, windowsPathAdvice(config.data.folder, 'data.folder') || 'Create it with one sub-folder of images per class, or fix the path (relative to the project folder).', 'data.folder');
  }
  if (!data.isDirectory()) {
    throw new UserError(`data.folder: "${config.data.folder}" is a file, not a folder (resolved to ${dataDir}).`, file, 'Point it at a folder with one sub-folder of images per class.', 'data.folder');
  }
  checkDataHoldsNoRuns(config, file, projectDir, dataDir, runsDir);
  if (!isBuiltin(config.model.base)) {
    const modelFile = resolveProjectPath(projectDir, config.model.base);
    const info = await stat(modelFile).catch(() => undefined);
    if (!info) {
      throw new UserError(`model.base: "${config.model.base}" does not exist (resolved to ${modelFile}).`, file, windowsPathAdvice(config.model.base, 'model.base') || `Point it at a model file (relative to the project folder), or use ${builtinRefsText(' or ')}.`, 'model.base');
    }
  }
  await checkWritable(runsDir, file);
}
