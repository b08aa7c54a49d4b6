/** Following a run another process writes (a CLI run): appended metric lines and the run's end. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRun } from '../../src/extension/panel/runReader';
import { RunTail } from '../../src/extension/panel/runTail';

const runs = path.resolve(__dirname, '..', 'fixtures', 'runs', 'project', 'runs');
const finished = path.join(runs, '2026-11-29T08-00-00-000Z');

/** A copy of the newest run's first `lines` metric lines, with a manifest naming this (alive) process. */
function runningCopy(lines: number): { dir: string; rest: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'panel-tail-'));
  const all = readFileSync(path.join(finished, 'metrics.jsonl'), 'utf8').trim().split('\n');
  const manifest = JSON.parse(readFileSync(path.join(finished, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, status: 'running', pid: process.pid }));
  writeFileSync(path.join(dir, 'metrics.jsonl'), all.slice(0, lines).join('\n') + '\n');
  return { dir, rest: all.slice(lines) };
}

describe('RunTail', () => {
  it('turns appended lines into points, waits for a line being written, and ends with summary.json', async () => {
    const { dir, rest } = runningCopy(20);
    try {
      const record = await readRun(dir);
      assert.equal(record.status, 'running');
      assert.equal(record.batches.length, 19);
      const tail = new RunTail(record);
      assert.deepEqual(await tail.poll(), { points: { epochs: [], batches: [] }, finished: false });

      // Ten whole lines and half of the eleventh.
      appendFileSync(path.join(dir, 'metrics.jsonl'), rest.slice(0, 10).join('\n') + '\n' + rest[10].slice(0, 30));
      const first = await tail.poll();
      assert.equal(first.points.batches.length + first.points.epochs.length, 10);
      assert.equal(first.finished, false);
      appendFileSync(path.join(dir, 'metrics.jsonl'), rest[10].slice(30) + '\n' + rest.slice(11).join('\n') + '\n');
      const second = await tail.poll();
      assert.equal(second.points.batches.length + second.points.epochs.length, rest.length - 10);
      assert.equal(record.batches.length, 135);
      assert.equal(record.epochs.length, 9);
      // The x positions match reading the finished run whole.
      assert.deepEqual(record.epochs, (await readRun(finished)).epochs);

      writeFileSync(path.join(dir, 'summary.json'), readFileSync(path.join(finished, 'summary.json')));
      const last = await tail.poll();
      assert.equal(last.finished, true);
      assert.equal(record.status, 'completed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends as interrupted when the writing process is gone without a summary', async () => {
    const { dir } = runningCopy(5);
    try {
      const record = await readRun(dir);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, pid: 2 ** 22 + 1 }));
      const result = await new RunTail(record).poll();
      assert.equal(result.finished, true);
      assert.equal(record.status, 'interrupted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
