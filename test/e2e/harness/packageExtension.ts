/**
 * Produces the .vsix the tests install, with `npm run package` (build, then scripts/package.mjs for
 * this platform). Each e2e test file runs in its own process, so the package is reused while it is
 * newer than every built bundle and the manifest; `npm run test:e2e` builds first, so the first test file repackages.
 * FINETUNE_E2E_VSIX=<file> skips packaging and installs that file.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runBounded } from './process';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export async function packageExtension(): Promise<string> {
  // A prebuilt package (e.g. from a CI step) is used as is.
  if (process.env.FINETUNE_E2E_VSIX) return process.env.FINETUNE_E2E_VSIX;
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  // scripts/package.mjs names it after VS Code's target platform, <platform>-<arch>.
  const vsix = join(REPO_ROOT, `${manifest.name}-${process.platform}-${process.arch}-${manifest.version}.vsix`);
  if (existsSync(vsix) && statSync(vsix).mtimeMs > newestInputMtime()) return vsix;
  const result = await runBounded('npm', ['run', 'package'], { cwd: REPO_ROOT, timeoutMs: 600_000 });
  if (result.code !== 0 || !existsSync(vsix)) {
    throw new Error(`npm run package did not produce ${vsix}:\n${result.output.slice(-4000)}`);
  }
  return vsix;
}

function newestInputMtime(): number {
  let newest = statSync(join(REPO_ROOT, 'package.json')).mtimeMs;
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(REPO_ROOT, 'dist'));
  walk(join(REPO_ROOT, 'media'));
  return newest;
}
