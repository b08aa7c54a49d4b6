/**
 * A path written in finetune.json, resolved against the project folder as a user means it: a leading `~`
 * is the home folder (a shell would expand it on the command line, but nothing does inside JSON), and on
 * Linux/macOS a Windows-style `data\images` means `data/images` (a project written on Windows).
 */
import { homedir } from 'node:os';
import * as path from 'node:path';

export function resolveProjectPath(projectDir: string, value: string): string {
  let written = path.sep === '/' ? value.replace(/\\/g, '/') : value;
  if (written === '~' || written.startsWith('~/') || written.startsWith('~\\')) written = path.join(homedir(), written.slice(1));
  return path.resolve(projectDir, written);
}
