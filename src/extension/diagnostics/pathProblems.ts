/**
 * The problems of a valid finetune.json's paths (a data folder or model file that is not there, a
 * runs folder that cannot be written), checked on disk by the engine, placed on the field. No vscode.
 */
import { parse, parseTree } from 'jsonc-parser';
import { checkProjectPaths } from '../../engine/config/pathChecks';
import { validateProjectJson } from '../../engine/config/schema';
import type { ProjectConfig } from '../../protocol/config';
import { isUserError } from '../../shared/userError';
import { spanOfField } from './fieldRange';
import type { FileProblem } from './projectProblems';

/** For text that `projectProblems` found nothing wrong with. */
export async function pathProblems(text: string, file: string): Promise<FileProblem[]> {
  const body = text.replace(/^\uFEFF/, ' ');
  const root = parseTree(body, [], { allowTrailingComma: true });
  const config: unknown = parse(body, [], { allowTrailingComma: true });
  if (!root || validateProjectJson(config).length > 0) return [];
  try {
    await checkProjectPaths(config as ProjectConfig, file);
    return [];
  } catch (error) {
    if (!isUserError(error) || !error.field) throw error;
    const reason = error.reason.startsWith(`${error.field}: `) ? error.reason : `${error.field}: ${error.reason}`;
    return [{ span: spanOfField(root, error.field), message: reason, field: error.field }];
  }
}
