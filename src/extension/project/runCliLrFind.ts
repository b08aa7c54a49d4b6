/**
 * Runs `finetune-guide lr-find <project> --phase N --json` (dist/cli.js) in a child process, as
 * runCliInit.ts runs init: tfjs never loads in the extension host. No vscode import.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';

/** The CLI's `--json` line (src/host/cli/lrFind.ts). */
export interface LrFindLine {
  readonly type: 'lrFind';
  readonly file: string;
  readonly chart: string;
  readonly phase: number;
  readonly phaseName: string;
  readonly suggestion: number | null;
  readonly steps: number;
  readonly stoppedBy: 'divergence' | 'steps';
}

export interface LrFindRun {
  /** Resolves with the result, or undefined when cancelled (Ctrl-C: exit 130). */
  readonly done: Promise<LrFindLine | undefined>;
  readonly cancel: () => void;
}

/** Starts the sweep of phase `phase` (1-based); `onLog` receives the CLI's warnings. */
export function runCliLrFind(cliScript: string, projectFile: string, phase: number, onLog: (line: string) => void = () => undefined): LrFindRun {
  const child = fork(cliScript, ['lr-find', projectFile, '--phase', String(phase), '--json'], { silent: true, cwd: path.dirname(projectFile) });
  const done = new Promise<LrFindLine | undefined>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      for (const line of chunk.split(/\r?\n/)) if (line.trim() !== '') onLog(line);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 130) return resolve(undefined);
      // The CLI's message already names the file and the field.
      if (code === 2) return reject(new Error(lastLines(err) || `${projectFile}: lr-find refused the project.`));
      const line = out.split(/\r?\n/).map(parseLine).find((parsed) => parsed !== undefined);
      if (code === 0 && line) resolve(line);
      else reject(new Error(`finetune-guide lr-find failed (${signal ?? `exit code ${code}`}): ${lastLines(err)}`));
    });
  });
  return { done, cancel: () => child.kill('SIGINT') };
}

function parseLine(line: string): LrFindLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<LrFindLine> | null;
    return value?.type === 'lrFind' && typeof value.chart === 'string' && typeof value.phase === 'number' ? (value as LrFindLine) : undefined;
  } catch {
    return undefined;
  }
}

function lastLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(-3).join(' ');
}
