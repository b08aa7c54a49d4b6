// The runs Export Model and Resume Training offer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listExportableRuns, listResumableRuns } from '../../src/extension/project/runList';
import { findRunOfProcess, runsFolderOf } from '../../src/runs';

async function makeRun(runsDir: string, id: string, status: string, opts: { model?: boolean; checkpoint?: boolean; pid?: number } = {}): Promise<void> {
  const dir = join(runsDir, id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ runId: id, status, pid: opts.pid ?? process.pid }));
  await writeFile(join(dir, 'summary.json'), JSON.stringify({ runId: id, status, valAccuracy: 0.9, classes: ['a', 'b'], phases: [] }));
  if (opts.model) {
    await mkdir(join(dir, 'model'));
    await writeFile(join(dir, 'model', 'model.json'), '{"id":"' + id + '"}');
  }
  if (opts.checkpoint) {
    await mkdir(join(dir, 'checkpoint'));
    await writeFile(join(dir, 'checkpoint', 'state.json'), '{"weightsFile":"weights-p0-e1.bin"}');
  }
}

test('exportable and resumable runs, newest first', async () => {
  const project = await mkdtemp(join(tmpdir(), 'ftg-proj-'));
  try {
    await writeFile(join(project, 'finetune.json'), '{ // runs elsewhere\n "runsFolder": "out/runs" }');
    const runsDir = await runsFolderOf(join(project, 'finetune.json'));
    assert.equal(runsDir, join(project, 'out', 'runs'));
    await makeRun(runsDir, '20260101-000000-001', 'completed', { model: true });
    await makeRun(runsDir, '20260102-000000-001', 'cancelled', { checkpoint: true });
    await makeRun(runsDir, '20260103-000000-001', 'completed', { model: true, checkpoint: true });
    // 'running' but its process is gone: interrupted. 2^22 is above Linux's default pid_max.
    await makeRun(runsDir, '20260104-000000-001', 'running', { checkpoint: true, pid: 4194304 + 7 });
    await makeRun(runsDir, '20260105-000000-001', 'running', { checkpoint: true });
    await makeRun(runsDir, '20260106-000000-001', 'failed');
    assert.deepEqual((await listExportableRuns(runsDir)).map((r) => [r.runId, r.status, r.valAccuracy]), [
      ['20260103-000000-001', 'completed', 0.9],
      ['20260101-000000-001', 'completed', 0.9],
    ]);
    assert.deepEqual((await listResumableRuns(runsDir)).map((r) => [r.runId, r.status]), [
      ['20260104-000000-001', 'interrupted'],
      ['20260102-000000-001', 'cancelled'],
    ]);
    assert.equal(await findRunOfProcess(runsDir, 4194304 + 7), join(runsDir, '20260104-000000-001'));
    assert.equal(await findRunOfProcess(runsDir, 4194304 + 8), undefined);
  } finally {
    await rm(project, { recursive: true });
  }
});
