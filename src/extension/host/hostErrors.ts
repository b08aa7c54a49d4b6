/**
 * Errors the host client reports: the host exited, or a request failed with a user error. Pure (no vscode).
 */

import type { ExportVerification, UserErrorData } from '../../protocol/host';

/** How a host process ended, and what it last wrote to stderr. */
export interface HostExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last stderr lines, oldest first. */
  readonly stderrTail: readonly string[];
  /** True when we asked it to stop (dispose); false for a crash, a kill or running out of memory. */
  readonly expected: boolean;
}

/** A request that could not finish because the host process exited. */
export class HostExitedError extends Error {
  constructor(readonly exit: HostExit) {
    super(describeExit(exit));
    this.name = 'HostExitedError';
  }
}

/** A user-fixable error reported by the host (bad finetune.json, model, data). */
export class HostUserError extends Error {
  constructor(message: string, readonly data: UserErrorData | undefined) {
    super(message);
    this.name = 'HostUserError';
  }
}

/** An export whose reloaded files predict differently from the run's model (the host removed the folder). */
export class HostExportMismatchError extends Error {
  constructor(message: string, readonly verification: ExportVerification | undefined) {
    super(message);
    this.name = 'HostExportMismatchError';
  }
}

/** One sentence for the user: why the training process stopped, with the likely cause. */
export function describeExit(exit: Pick<HostExit, 'code' | 'signal'>): string {
  if (exit.signal === 'SIGKILL') return 'The training process was killed (SIGKILL), often because the system ran out of memory.';
  if (exit.signal) return `The training process was stopped by signal ${exit.signal}.`;
  // 134 = abort (V8 "heap out of memory" aborts), 137 = 128 + SIGKILL from a shell or container.
  if (exit.code === 134) return 'The training process ran out of memory (exit code 134).';
  if (exit.code === 137) return 'The training process was killed (exit code 137), often because the system ran out of memory.';
  return `The training process exited unexpectedly with code ${exit.code ?? 'unknown'}.`;
}

/** Keeps the last `size` lines written to a stream that arrives in arbitrary chunks. */
export class LineTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly size: number) {}

  /** Adds a chunk; returns the complete lines it finished. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > this.size) this.lines.shift();
    }
    return parts;
  }

  snapshot(): string[] {
    const all = this.partial === '' ? [...this.lines] : [...this.lines, this.partial];
    return all.slice(-this.size);
  }
}

/** tfjs start-up chatter that says nothing about why a process died. */
const NOISE = [/^Platform \w+ has already been set/, /^Hi, looks like you are running TensorFlow\.js in Node\.js/, /^=+$/, /tfjs-node for more details/];

/** The stderr lines worth showing a user: not blank, not tfjs's start-up banner. */
export function meaningfulLines(lines: readonly string[]): string[] {
  return lines.filter((line) => line.trim() !== '' && !NOISE.some((pattern) => pattern.test(line.trim())));
}
