/**
 * Issue 18 part C, permissions (needs `npm run build`): an image that cannot be read is skipped naming the
 * permission, a class folder that cannot be read (or listed but not searched) stops with exit 2 naming it.
 * chmod does not stop root, so as root the CLI is run as `nobody` (uid 65534); where that is not possible
 * the CLI cases are skipped, and the reasons themselves are still checked.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { TrainingEvent } from '../../src/protocol/run';
import { readManifest } from '../../src/runs';
import { unreadableReason } from '../../src/engine/data/readFailure';
import { assertUserError, CLI, type CliResult, freshProject, removeTemplate } from '../fixtures/reliability/project';

after(removeTemplate);

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** The CLI as a user chmod applies to: this user, or `nobody` when this is root. */
function cliAsUser(args: readonly string[]): CliResult {
  const as = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, ...as });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether chmod can be tested here: not on Windows, and as root only if a child can run as nobody. */
function permissionsSkip(): string | false {
  if (process.platform === 'win32') return 'chmod does not restrict reading on Windows';
  if (!isRoot) return false;
  const probe = spawnSync(process.execPath, ['-e', 'process.exit(process.getuid() === 65534 ? 0 : 1)'], { uid: NOBODY, gid: NOBODY });
  return probe.status === 0 ? false : 'running as root, and a child process cannot be started as nobody (uid 65534)';
}

/** A fresh project every user may read and write (the temp folder is 0700, and nobody must reach it). */
async function sharedProject(): Promise<string> {
  const dir = await freshProject();
  spawnSync('chmod', ['-R', 'a+rwX', dir]);
  return dir;
}

test('the reasons for an image that cannot be read name the cause and the fix', () => {
  assert.match(unreadableReason('EACCES') ?? '', /permission denied.*read access/);
  assert.match(unreadableReason('EPERM') ?? '', /permission denied/);
  assert.match(unreadableReason('ENOENT') ?? '', /deleted or moved/);
  assert.match(unreadableReason('EIO') ?? '', /network-drive/);
  assert.equal(unreadableReason('EISDIR'), null);
});

test('an image with no read permission (chmod 000): skipped naming the permission, training completes', { skip: permissionsSkip() }, async () => {
  const dir = await sharedProject();
  try {
    const locked = path.join(dir, 'data', 'dark', '0.png');
    await chmod(locked, 0o000);
    const result = cliAsUser(['train', dir, '--json', '--backend', 'cpu']);
    assert.equal(result.status, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainingEvent);
    const done = events[events.length - 1];
    assert.ok(done?.type === 'done');
    assert.match((await readManifest(done.runDir))?.skipped.find((s) => s.file === locked)?.reason ?? '', /permission denied/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a class folder with no read permission (000), or read but no search permission (644): exit 2 naming it', { skip: permissionsSkip() }, async () => {
  for (const mode of [0o000, 0o644]) {
    const dir = await sharedProject();
    try {
      const folder = path.join(dir, 'data', 'light');
      await chmod(folder, mode);
      assertUserError(cliAsUser(['train', dir, '--backend', 'cpu']), folder, 'permission denied', 'chmod u+rx');
    } finally {
      await chmod(path.join(dir, 'data', 'light'), 0o755);
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test('Docker read-only mount: a project folder that cannot be written gives exit 2 naming runsFolder (pinned)', { skip: permissionsSkip() }, async () => {
  const dir = await sharedProject();
  try {
    await chmod(dir, 0o555);
    assertUserError(cliAsUser(['train', dir, '--backend', 'cpu']), 'runsFolder', path.join(dir, 'runs'), 'not writable');
  } finally {
    await chmod(dir, 0o755);
    await rm(dir, { recursive: true, force: true });
  }
});

test('a finetune.json without read permission: exit 2 saying "permission denied" (not "was not found")', { skip: permissionsSkip() }, async () => {
  const dir = await sharedProject();
  try {
    await chmod(path.join(dir, 'finetune.json'), 0o000);
    assertUserError(cliAsUser(['train', dir, '--backend', 'cpu']), path.join(dir, 'finetune.json'), 'permission denied');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
