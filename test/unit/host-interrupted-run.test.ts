// A run whose host died is marked interrupted, and a finished run is never rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markRunInterrupted } from '../../src/extension/training/markInterrupted';

async function runDir(manifest: object, summary?: object): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ftg-run-'));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  if (summary) await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
  return dir;
}

const read = async (file: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

test('a running run becomes interrupted with the reason; other fields are kept', async () => {
  const dir = await runDir({ runId: 'r1', status: 'running', endedAt: null, pid: 123, classes: ['a', 'b'] }, { runId: 'r1', status: 'running', phases: [] });
  try {
    assert.equal(await markRunInterrupted(dir, 'killed (SIGKILL)', new Date('2026-01-01T00:00:00Z')), true);
    const manifest = await read(join(dir, 'manifest.json'));
    assert.deepEqual(manifest, { runId: 'r1', status: 'interrupted', endedAt: '2026-01-01T00:00:00.000Z', pid: 123, classes: ['a', 'b'], message: 'killed (SIGKILL)' });
    assert.equal((await read(join(dir, 'summary.json'))).status, 'interrupted');
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a completed run, or a folder without a manifest, is left alone', async () => {
  const original = JSON.stringify({ runId: 'r2', status: 'completed', endedAt: 'x' });
  const dir = await runDir(JSON.parse(original) as object);
  try {
    assert.equal(await markRunInterrupted(dir, 'late crash'), false);
    assert.equal(await readFile(join(dir, 'manifest.json'), 'utf8'), original);
    assert.equal(await markRunInterrupted(join(dir, 'missing'), 'x'), false);
  } finally {
    await rm(dir, { recursive: true });
  }
});
