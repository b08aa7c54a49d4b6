/**
 * Issue 18 part B, container and Windows-editor environments (needs `npm run build`): these already
 * worked before the round; the tests pin them. HOME unset + TERM=dumb + a non-TTY stdout (a container),
 * a finetune.json with CRLF line ends, and a relative project path with spaces and non-ASCII characters
 * from another working folder.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CLI, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

test('container: HOME unset, TERM=dumb, stdout not a TTY, finetune.json with CRLF: trains, no line redraws', async () => {
  const dir = await freshProject();
  try {
    const file = path.join(dir, 'finetune.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'dumb' };
    delete env.HOME;
    const result = spawnSync(process.execPath, [CLI, 'train', dir, '--backend', 'cpu'], { encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /\r(?!\n)/, 'no carriage-return redraws in a non-TTY log');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a relative project path with spaces and é, from another working folder', async () => {
  const dir = await freshProject();
  const spaced = path.join(path.dirname(dir), `my project é ${path.basename(dir)}`);
  await rename(dir, spaced);
  try {
    const cwd = path.dirname(spaced);
    const result = spawnSync(process.execPath, [CLI, 'train', path.relative(cwd, spaced), '--backend', 'cpu'], { encoding: 'utf8', cwd, timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
  } finally {
    await rm(spaced, { recursive: true, force: true });
  }
});
