/**
 * Reads, parses (JSONC: comments and trailing commas allowed), validates and completes a project
 * file. Every problem becomes a `UserError` naming the file, the field and the fix.
 */
import { resolveProjectPath } from './projectPath';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { builtinRefsText, findBuiltin, isBuiltin } from '../model/builtins';
import { readCompanionFiles } from '../model/sources/companionFiles';
import { runsFolderFor } from '../../runs';
import type { ConfigProblem } from './messages';
import { parseProjectText } from './parseText';
import { configProblems } from './validate';
import type { PixelRange, ProjectConfig } from '../../protocol/config';

export { parseProjectText };

export const PROJECT_FILE_NAME = 'finetune.json';
/** What a model file that states nothing gets (TensorFlow.js and most Keras examples divide by 255). */
export const DEFAULT_PIXEL_RANGE: PixelRange = '0..1';

/** A validated project: config with defaults filled, and its paths resolved. */
export interface LoadedProject {
  readonly config: ProjectConfig;
  /** Absolute path of finetune.json. */
  readonly projectFile: string;
  /** Absolute folder of finetune.json; every relative path in the config is resolved against it. */
  readonly projectDir: string;
  /** Absolute data folder. */
  readonly dataDir: string;
  /** Absolute runs folder (may not exist yet). */
  readonly runsDir: string;
}

/** A `finetune.json` that fails validation; `problems` lists every bad field (for editor diagnostics). */
export class ConfigValidationError extends UserError {
  constructor(
    file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${problems.length === 1 ? 'has a problem' : `has ${problems.length} problems`}:\n${problems
        .map((p) => `  ${p.field}: ${p.message}`)
        .join('\n')}\n`,
      file,
      'Fix the field(s) above and run again (hover a field in VS Code to see what it means).',
    );
    this.name = 'ConfigValidationError';
  }
}

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

/** The checks that read the disk (folders, model file, runs folder), after the config itself is valid. */
async function diskChecks(config: ProjectConfig, file: string, projectDir: string, dataDir: string, runsDir: string): Promise<void> {
  const data = await stat(dataDir).catch(() => undefined);
  if (!data) {
    throw new UserError(`data.folder: "${config.data.folder}" does not exist (resolved to ${dataDir}).`, file, 'Create it with one sub-folder of images per class, or fix the path (relative to the project folder).', 'data.folder');
  }
  if (!data.isDirectory()) {
    throw new UserError(`data.folder: "${config.data.folder}" is a file, not a folder (resolved to ${dataDir}).`, file, 'Point it at a folder with one sub-folder of images per class.', 'data.folder');
  }
  checkDataHoldsNoRuns(config, file, projectDir, dataDir, runsDir);
  if (!isBuiltin(config.model.base)) {
    const modelFile = resolveProjectPath(projectDir, config.model.base);
    const info = await stat(modelFile).catch(() => undefined);
    if (!info) {
      throw new UserError(`model.base: "${config.model.base}" does not exist (resolved to ${modelFile}).`, file, `Point it at a model file (relative to the project folder), or use ${builtinRefsText(' or ')}.`, 'model.base');
    }
  }
  await checkWritable(runsDir, file);
}

/** Loads `finetune.json` (or the one inside a project folder), validated, with schema defaults filled. */
export async function loadProjectConfig(projectFileOrDir: string): Promise<LoadedProject> {
  let projectFile = path.resolve(projectFileOrDir);
  const info = await stat(projectFile).catch(() => undefined);
  if (info?.isDirectory()) projectFile = path.join(projectFile, PROJECT_FILE_NAME);
  let text: string;
  try {
    text = await readFile(projectFile, 'utf8');
  } catch {
    throw new UserError('was not found.', projectFile, 'Create a project with `finetune-guide init <dir> --demo` or point at an existing finetune.json.');
  }
  const data = parseProjectText(text, projectFile);
  const problems = configProblems(data);
  if (problems.length > 0) throw new ConfigValidationError(projectFile, problems);
  const config = data as ProjectConfig;
  const projectDir = path.dirname(projectFile);
  const dataDir = resolveProjectPath(projectDir, config.data.folder);
  const runsDir = runsFolderFor(projectFile, config);
  await diskChecks(config, projectFile, projectDir, dataDir, runsDir);
  const pixelRange = config.model.pixelRange ?? (await statedPixelRange(config.model.base, projectDir));
  return { config: { ...config, model: { ...config.model, pixelRange } }, projectFile, projectDir, dataDir, runsDir };
}

/** The pixel range the model says it wants (built-in registry, files shipped with it: metadata.json), else `0..1`. */
async function statedPixelRange(base: string, projectDir: string): Promise<PixelRange> {
  const builtin = findBuiltin(base);
  if (builtin) return builtin.pixelRange;
  const modelPath = resolveProjectPath(projectDir, base);
  const isFolder = (await stat(modelPath)).isDirectory();
  const companions = await readCompanionFiles(isFolder ? modelPath : path.dirname(modelPath));
  return companions.pixelRange ?? DEFAULT_PIXEL_RANGE;
}
