/** Runs a command to completion with a hard time limit; output is collected for error messages. */
import { spawn } from 'node:child_process';

export interface BoundedResult {
  readonly code: number | null;
  /** stdout and stderr interleaved. */
  readonly output: string;
}

export function runBounded(
  command: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv },
): Promise<BoundedResult> {
  return new Promise((resolve, reject) => {
    // stdin closed: a tool that prompts (vsce does) fails instead of waiting forever.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs / 1000} s:\n${output}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
