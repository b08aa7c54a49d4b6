/**
 * Reads, parses (JSONC: comments and trailing commas allowed), validates and completes a project
 * file. Every problem becomes a `UserError` naming the file, the field and the fix.
 */
import { resolveProjectPath } from './projectPath';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { findBuiltin } from '../model/builtins';
import { checkProjectPaths } from './pathChecks';
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

/** Why finetune.json could not be read: missing, a folder in its place, or not readable. */
function unreadableProjectFile(projectFile: string, code: string | undefined): UserError {
  if (code === 'EISDIR') {
    return new UserError('is a folder, not a file.', projectFile, `Move that folder away and create the project file (\`finetune-guide init ${path.dirname(projectFile)}\`), or point at another finetune.json.`);
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError('cannot be read (permission denied).', projectFile, 'Give your user read access to it (chmod u+r, or its Security tab on Windows).');
  }
  if (code !== undefined && code !== 'ENOENT' && code !== 'ENOTDIR') {
    return new UserError(`cannot be read (${code}).`, projectFile, 'Check the drive it is on, then try again.');
  }
  return new UserError('was not found.', projectFile, 'Create a project with `finetune-guide init <dir> --demo` or point at an existing finetune.json.');
}

/** Loads `finetune.json` (or the one inside a project folder), validated, with schema defaults filled. */
export async function loadProjectConfig(projectFileOrDir: string): Promise<LoadedProject> {
  let projectFile = path.resolve(projectFileOrDir);
  const info = await stat(projectFile).catch(() => undefined);
  if (info?.isDirectory()) projectFile = path.join(projectFile, PROJECT_FILE_NAME);
  let text: string;
  try {
    text = await readFile(projectFile, 'utf8');
  } catch (error) {
    throw unreadableProjectFile(projectFile, (error as NodeJS.ErrnoException).code);
  }
  const data = parseProjectText(text, projectFile);
  const problems = configProblems(data);
  if (problems.length > 0) throw new ConfigValidationError(projectFile, problems);
  const config = data as ProjectConfig;
  const projectDir = path.dirname(projectFile);
  const dataDir = resolveProjectPath(projectDir, config.data.folder);
  const runsDir = runsFolderFor(projectFile, config);
  await checkProjectPaths(config, projectFile);
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
