/**
 * Creates a project by running `finetune-guide init` (dist/cli.js) in a child process: the engine's
 * initProject loads the model with tfjs, which must never load inside VS Code's extension host.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import type { PixelRange } from '../../protocol/config';
import { UserError } from '../../shared/userError';

export type InitChoice =
  | { readonly demo: true }
  | { readonly model: string; readonly data: string; readonly pixelRange?: PixelRange; readonly keepClassifier?: boolean };

export interface InitOutcome {
  /** What the CLI printed (the choices it made), for the log. */
  readonly output: string;
}

/** Runs init; a user error (exit 2) becomes a UserError with the CLI's message. */
export function runCliInit(cliScript: string, projectDir: string, choice: InitChoice, execArgv: readonly string[] = []): Promise<InitOutcome> {
  const args = initArgs(projectDir, choice);
  return new Promise((resolve, reject) => {
    const child = fork(cliScript, args, { silent: true, execArgv: [...execArgv], cwd: path.dirname(path.resolve(projectDir)) });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve({ output: out });
      else if (code === 2) reject(new UserError(lastLines(err) || 'could not be created.', projectDir, ''));
      else reject(new Error(`finetune-guide init failed (${signal ?? `exit code ${code}`}): ${lastLines(err)}`));
    });
  });
}

/** The command line of `finetune-guide init` for a choice; flags only for what the person chose. */
export function initArgs(projectDir: string, choice: InitChoice): string[] {
  if ('demo' in choice) return ['init', projectDir, '--demo'];
  return [
    'init', projectDir, '--model', choice.model, '--data', choice.data,
    ...(choice.pixelRange ? ['--pixel-range', choice.pixelRange] : []),
    ...(choice.keepClassifier ? ['--keep-classifier'] : []),
  ];
}

function lastLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(-3).join(' ');
}
