/**
 * Issue 18 part B, closed output (needs `npm run build`): `finetune-guide ... | head -1` closes stdout
 * early. The command must not die with `write EPIPE` (exit 7 / "Unexpected error"); `train` stops like
 * Ctrl-C (checkpoint kept, run marked cancelled), the others finish.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { readManifest } from '../../src/runs';
import { CLI, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

interface ClosedRun { readonly code: number | null; readonly stderr: string }

/** Spawns the CLI with stdout a pipe that this side destroys after the first chunk (as `head -1` does). */
function runWithClosedStdout(args: readonly string[]): Promise<ClosedRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('train | head -1: no EPIPE crash; the run stops like Ctrl-C and is not left running', async () => {
  const dir = await freshProject();
  try {
    const result = await runWithClosedStdout(['train', dir, '--json', '--backend', 'cpu']);
    assert.doesNotMatch(result.stderr, /EPIPE|Unexpected error/, result.stderr);
    assert.ok(result.code === 130 || result.code === 0, `exit ${result.code}: ${result.stderr}`);
    const runs = await readdir(path.join(dir, 'runs'));
    assert.equal(runs.length, 1);
    const manifest = await readManifest(path.join(dir, 'runs', runs[0] as string));
    assert.ok(manifest);
    assert.notEqual(manifest.status, 'running', 'the run is marked, not left running');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const command of ['inspect', 'report', '--help'] as const) {
  test(`${command} | head -1: finishes without EPIPE`, async () => {
    const dir = await freshProject();
    try {
      const args = command === '--help' ? ['--help'] : command === 'report' ? ['report', dir] : ['inspect', dir];
      const result = await runWithClosedStdout(args);
      assert.doesNotMatch(result.stderr, /EPIPE|Unexpected error/, result.stderr);
      assert.notEqual(result.code, 7);
      assert.notEqual(result.code, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
