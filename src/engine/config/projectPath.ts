/**
 * A path written in finetune.json, resolved against the project folder as a user means it: a leading `~`
 * is the home folder (a shell would expand it on the command line, but nothing does inside JSON), and on
 * Linux/macOS a Windows-style `data\images` means `data/images` (a project written on Windows).
 */
import { homedir } from 'node:os';
import * as path from 'node:path';

export function resolveProjectPath(projectDir: string, value: string): string {
  return path.resolve(projectDir, expandHome(path.sep === '/' ? value.replace(/\\/g, '/') : value));
}

/** `~`, `~/x` (or `~\\x`) with the home folder in place of `~`; any other value as it is. */
export function expandHome(value: string): string {
  return value === '~' || value.startsWith('~/') || value.startsWith('~\\') ? path.join(homedir(), value.slice(1)) : value;
}

/**
 * Advice for a path that only means something on Windows (`C:\data`, `\\server\share\data`) read on
 * Linux/macOS, where it resolves to a folder inside the project; '' for any other path.
 */
export function windowsPathAdvice(value: string, field: string): string {
  if (path.sep !== '/') return '';
  if (/^[A-Za-z]:[\\/]/.test(value)) {
    return `"${value}" is a Windows drive path, which does not exist on this machine: set ${field} to where the folder is here (a path relative to the project folder works on every machine).`;
  }
  if (/^(\\\\|\/\/)[^\\/]+[\\/]/.test(value)) {
    return `"${value}" is a Windows network (UNC) path: mount the share on this machine (e.g. under /mnt or /Volumes) and set ${field} to that path.`;
  }
  return '';
}
