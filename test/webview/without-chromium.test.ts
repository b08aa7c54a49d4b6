/**
 * The webview suite on a machine whose Chromium is missing or broken ends by itself, naming Chromium,
 * instead of hanging on a server its failed setup left listening. Run as a child process with a time
 * limit that only bounds a hang: being killed by it is the failure.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const root = mkdtempSync(path.join(tmpdir(), 'ftg-no-chromium-'));
after(() => rmSync(root, { recursive: true, force: true }));
const HANG_LIMIT_MS = 120_000;

/** `node --test test/webview/panel.test.ts` with FINETUNE_GUIDE_CHROMIUM set; no --test-timeout, so only cleanup can end it. */
function panelSuite(chromium: string, tmp: string): Promise<{ code: number | null; killed: boolean; output: string }> {
  mkdirSync(tmp);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', path.join('test', 'webview', 'panel.test.ts')], {
      cwd: repo,
      // Without NODE_TEST_CONTEXT, which would make the child report to this runner instead of exiting non-zero.
      env: { ...withoutTestContext(process.env), FINETUNE_GUIDE_CHROMIUM: chromium, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, HANG_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, output });
    });
  });
}

test('FINETUNE_GUIDE_CHROMIUM=/nonexistent: the suite fails by itself with one line naming it', async () => {
  const { code, killed, output } = await panelSuite('/nonexistent', path.join(root, 'tmp-nonexistent'));
  assert.equal(killed, false, `the suite hung:\n${output.slice(-2000)}`);
  assert.notEqual(code, 0);
  const lines = output.split('\n').filter((line) => line.includes('FINETUNE_GUIDE_CHROMIUM=/nonexistent'));
  assert.ok(lines.length > 0, output.slice(-2000));
  assert.match(lines[0], /Chromium: FINETUNE_GUIDE_CHROMIUM=\/nonexistent is not an executable file; point it at a Chromium or Chrome binary/);
});

test('a Chromium that cannot start: the suite fails by itself, its HTTP server and bundle folder closed', async () => {
  // Exists and is executable, so setup gets as far as the server and the browser launch, which fails.
  const broken = path.join(root, 'broken-chromium');
  writeFileSync(broken, '#!/bin/sh\necho "not a browser" >&2\nexit 1\n');
  chmodSync(broken, 0o755);
  const tmp = path.join(root, 'tmp-broken');
  const { code, killed, output } = await panelSuite(broken, tmp);
  assert.equal(killed, false, `the suite hung after the failed launch:\n${output.slice(-2000)}`);
  assert.notEqual(code, 0);
  assert.match(output, /browserType\.launch/);
  assert.deepEqual(readdirSync(tmp).filter((name) => name.startsWith('panel-webview-')), [], 'the webview bundle folder was removed');
});

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, ...rest } = env;
  return rest;
}
