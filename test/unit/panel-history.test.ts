/**
 * The panel's pure logic: reading runs from disk, replaying live events, stages, the phase table
 * and downsampling, on the recorded runs in test/fixtures/runs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BatchMetrics, EpochMetrics, TrainingEvent } from '../../src/protocol/run';
import type { BatchPoint, StageView } from '../../src/protocol/webview';
import { downsampleBatches } from '../../src/extension/panel/downsample';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { readRun } from '../../src/extension/panel/runReader';
import { RunRecord } from '../../src/extension/panel/runRecord';
import { buildRunView } from '../../src/extension/panel/runView';
import { EARLIER_RUN as EARLIER, KILLED_RUN as KILLED, NEWEST_RUN as NEWEST, RUNS_PROJECT as project, recordedEvents } from '../fixtures/runs/recorded';

const runsDir = path.join(project, 'runs');

const statuses = (stages: readonly StageView[]) => stages.map((stage) => `${stage.id}:${stage.status}`);
const fact = (stages: readonly StageView[], id: string, label: string) =>
  stages.find((stage) => stage.id === id)?.facts.find((f) => f.label === label)?.value;

describe('reading a finished run from its folder', () => {
  it('places both phases on one epoch axis and fills the phase table', async () => {
    const view = buildRunView(await readRun(path.join(runsDir, NEWEST)));
    assert.equal(view.info.status, 'completed');
    assert.deepEqual(view.epochs.map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(view.batches.length, 135);
    assert.deepEqual(view.boundaries.map((b) => [b.name, b.x]), [['train head', 0], ['fine-tune', 5]]);
    const [head, fine] = view.phases;
    assert.equal(head.bestValAccuracy, 0.825);
    assert.equal(fine.bestValAccuracy, 0.892);
    assert.equal(fine.finalValAccuracy, 0.883);
    assert.equal(head.deltaPoints, null);
    assert.ok(Math.abs((fine.deltaPoints ?? 0) - 6.7) < 1e-9);
    assert.equal(fine.trainableParams, 887045);
  });

  it('marks every stage done and points the adapted model at the run folder', async () => {
    const view = buildRunView(await readRun(path.join(runsDir, NEWEST)));
    assert.deepEqual(statuses(view.stages), ['base:done', 'adjust:done', 'freeze:done', 'train:done', 'finetune:done', 'export:done', 'distill:pending']);
    assert.equal(view.stages[5].path, path.join(runsDir, NEWEST, 'model'));
    assert.equal(fact(view.stages, 'base', 'Model'), 'builtin:mobilenet_v2');
    assert.equal(fact(view.stages, 'freeze', 'Frozen params'), '2.26M');
    // Layer counts are not in manifest.json: the config's trainable setting is shown instead.
    assert.equal(fact(view.stages, 'freeze', 'Trains'), 'head only');
    assert.equal(fact(view.stages, 'finetune', 'Trains'), 'head + last 2 blocks');
  });

  it('shows a run killed in phase 2 (no summary.json) as interrupted, not failed, phase 1 done', async () => {
    const view = buildRunView(await readRun(path.join(runsDir, KILLED)));
    assert.equal(view.info.status, 'interrupted');
    assert.deepEqual(view.phases.map((p) => p.status), ['done', 'interrupted']);
    assert.deepEqual(statuses(view.stages).slice(3), ['train:done', 'finetune:interrupted', 'export:interrupted', 'distill:pending']);
    assert.match(fact(view.stages, 'finetune', 'Stopped') ?? '', /^interrupted at epoch \d+ of \d+ — Resume continues it$/);
  });

  it('shows a phase cancelled by the person as cancelled at its epoch, not as failed', () => {
    const events = recordedEvents();
    const doneEvent = events.at(-1);
    assert.equal(doneEvent?.type, 'done');
    if (doneEvent?.type !== 'done') return;
    // Cancelled after two epochs of the fine-tune phase: keep those rows, then the engine's cancelled `done`.
    const fineEpochs = events.filter((e) => e.type === 'epoch' && e.phaseIndex === 1);
    const cut = events.indexOf(fineEpochs[2]);
    const [head, fine] = doneEvent.summary.phases;
    const summary = { ...doneEvent.summary, status: 'cancelled' as const, modelDir: null, phases: [head, { ...fine, status: 'cancelled' as const, epochsRun: 2 }] };
    const record = new RunRecord(NEWEST, path.join(runsDir, NEWEST));
    for (const event of events.slice(0, cut)) record.apply(event);
    record.apply({ ...doneEvent, status: 'cancelled', summary });
    const view = buildRunView(record);
    assert.deepEqual(view.phases.map((p) => p.status), ['done', 'cancelled']);
    assert.deepEqual(statuses(view.stages).slice(3), ['train:done', 'finetune:cancelled', 'export:cancelled', 'distill:pending']);
    assert.equal(fact(view.stages, 'finetune', 'Stopped'), 'cancelled at epoch 2 of 4 — Resume continues it');
  });

  it('lists skipped files from manifest.json with their reasons, resolving relative paths from the project', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'panel-project-'));
    const dir = path.join(project, 'runs', 'r1');
    try {
      const manifest = JSON.parse(readFileSync(path.join(runsDir, NEWEST, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      const skipped = [
        { file: '/abs/data/cat/broken.jpg', reason: 'could not be decoded' },
        { file: 'data/dog/notes.txt', reason: 'not an image' },
        { file: 42, reason: 'malformed entries are left out' },
      ];
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, skipped }));
      const view = buildRunView(await readRun(dir));
      assert.deepEqual(view.info.skipped, [
        { file: '/abs/data/cat/broken.jpg', reason: 'could not be decoded' },
        { file: path.join(project, 'data', 'dog', 'notes.txt'), reason: 'not an image' },
      ]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('lists the files of warning events once each, even when reported twice', () => {
    const record = new RunRecord('r', '/p/runs/r');
    const files = [{ file: '/p/data/a/x.png', reason: 'could not be decoded' }];
    record.apply({ type: 'warning', message: '1 image(s) could not be decoded and were skipped.', files });
    record.apply({ type: 'warning', message: '1 file(s) could not be used and were skipped.', files: [...files, { file: '/p/data/b/y.gif', reason: 'unsupported format' }] });
    assert.deepEqual(buildRunView(record).info.skipped.map((s) => s.file), ['/p/data/a/x.png', '/p/data/b/y.gif']);
  });

  it('shows a run without summary.json as running while its process (a CLI run) is alive', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-run-'));
    try {
      const manifest = JSON.parse(readFileSync(path.join(runsDir, KILLED, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, pid: process.pid }));
      writeFileSync(path.join(dir, 'metrics.jsonl'), readFileSync(path.join(runsDir, KILLED, 'metrics.jsonl')));
      const view = buildRunView(await readRun(dir));
      assert.equal(view.info.status, 'running');
      assert.equal(view.stages[4].status, 'running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads what it can from damaged files and says what it skipped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-run-'));
    try {
      const good = readFileSync(path.join(runsDir, NEWEST, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 20);
      writeFileSync(path.join(dir, 'metrics.jsonl'), [...good, 'not json', '{"type":"batch"}', '{"type":"epo'].join('\n'));
      writeFileSync(path.join(dir, 'summary.json'), '{ broken');
      writeFileSync(path.join(dir, 'manifest.json'), '[]');
      const record = await readRun(dir);
      assert.equal(record.batches.length, 19);
      assert.equal(record.epochs.length, 1);
      assert.equal(record.status, 'interrupted');
      assert.equal(record.warnings.length, 3, record.warnings.join('\n'));
      assert.match(record.warnings.join('\n'), /metrics\.jsonl: 3 lines/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live events', () => {
  it('build the same curves and table as reading the finished run from disk', async () => {
    const live = new ProjectHistory(project);
    for (const event of recordedEvents()) live.apply(event);
    const fromEvents = buildRunView(live.shownRun() as RunRecord);
    const fromDisk = buildRunView(await readRun(path.join(runsDir, NEWEST)));
    assert.deepEqual(fromEvents.epochs, fromDisk.epochs);
    assert.deepEqual(fromEvents.batches, fromDisk.batches);
    assert.deepEqual(fromEvents.phases, fromDisk.phases);
    assert.deepEqual(fromEvents.boundaries, fromDisk.boundaries);
    assert.equal(fromEvents.info.live, false);
    // Live runs also know the model plan, which manifest.json does not record.
    assert.equal(fact(fromEvents.stages, 'base', 'Parameters'), '2.26M');
    assert.equal(fact(fromEvents.stages, 'freeze', 'Frozen layers'), '156 of 157');
    assert.equal(fact(fromEvents.stages, 'finetune', 'Unfrozen layers'), '+19');
  });

  it('show a running fine-tuning phase with its progress', () => {
    const live = new ProjectHistory(project);
    const events = recordedEvents();
    const cut = events.findIndex((e) => e.type === 'epoch' && e.phaseIndex === 1 && e.epoch === 1) + 9;
    const appended = events.slice(0, cut).map((event) => live.apply(event));
    assert.equal(appended.filter((a) => a.newRun).length, 1);
    const view = buildRunView(live.shownRun() as RunRecord);
    assert.equal(view.info.live, true);
    assert.deepEqual(statuses(view.stages), ['base:done', 'adjust:done', 'freeze:done', 'train:done', 'finetune:running', 'export:pending', 'distill:pending']);
    // 2 of 4 epochs done and 8 of 15 batches into the third.
    assert.ok(Math.abs((view.stages[4].progress ?? 0) - (2 + 8 / 15) / 4) < 1e-9);
    assert.equal(view.phases[1].status, 'running');
    assert.equal(view.phases[1].epochsRun, 2);
    assert.equal(view.phases[1].bestValAccuracy, 0.875);
    assert.deepEqual(view.info.cache.map((c) => c.used), [true, false]);
  });

  it('ignore events that arrive before any run started', () => {
    const live = new ProjectHistory(project);
    const batch = recordedEvents().find((e) => e.type === 'batch') as BatchMetrics;
    assert.equal(live.apply(batch).record, null);
    assert.equal(live.shownRun(), null);
  });

  it('smooth the batch loss without starting from zero, and survive a NaN loss', () => {
    const record = new RunRecord('r', '/p/runs/r');
    const row = (batch: number, loss: number): BatchMetrics => ({ type: 'batch', phase: 'p', phaseIndex: 0, epoch: 0, batch, batchesPerEpoch: 10, loss, accuracy: 0.5, lr: 0.01, seconds: batch });
    assert.equal(record.addBatch(row(0, 2)).smoothLoss, 2);
    const second = record.addBatch(row(1, 1)).smoothLoss;
    assert.ok(second > 1 && second < 2);
    assert.equal(record.addBatch(row(2, NaN)).smoothLoss, second);
  });
});

describe('project history', () => {
  it('lists runs newest first and keeps only existing runs picked for comparison', async () => {
    const history = new ProjectHistory(project);
    await history.load();
    assert.deepEqual(history.runList().map((r) => r.runId), [NEWEST, KILLED, EARLIER]);
    assert.equal(history.shownRun()?.runId, NEWEST);
    const compared = history.selectRuns([EARLIER, 'missing-run']);
    assert.deepEqual(compared.map((c) => c.runId), [EARLIER]);
    assert.equal(compared[0].points.length, 9);
    assert.ok(history.pin(EARLIER));
    assert.equal(history.shownRun()?.runId, EARLIER);
    assert.equal(history.pin('no-such-run'), false);
    // A new run takes the view back.
    history.apply(recordedEvents()[0]);
    assert.equal(history.shownRun()?.runId, NEWEST);
    assert.equal(history.shownRun()?.live, true);
    history.focus = 'train';
    const snapshot = history.snapshot();
    assert.ok(snapshot.type === 'snapshot');
    assert.equal(snapshot.focus, 'train');
    assert.deepEqual(snapshot.compared.map((c) => c.runId), [EARLIER]);
  });
});

describe('downsampleBatches', () => {
  const points: BatchPoint[] = Array.from({ length: 50_000 }, (_, i) => ({
    phaseIndex: 0, x: i / 100, loss: 1 + Math.sin(i / 7) + (i === 31_337 ? 5 : 0), smoothLoss: 1, lr: 0.001,
  }));

  it('keeps at most the budget, the ends and the extremes, in x order', () => {
    const kept = downsampleBatches(points, 2000);
    assert.ok(kept.length <= 2000 && kept.length > 1000, String(kept.length));
    assert.equal(kept[0], points[0]);
    assert.equal(kept.at(-1), points.at(-1));
    assert.ok(kept.includes(points[31_337]), 'the spike survives');
    assert.ok(kept.every((p, i) => i === 0 || p.x > kept[i - 1].x));
  });

  it('leaves short series alone', () => {
    const short = points.slice(0, 100);
    assert.equal(downsampleBatches(short, 2000), short);
  });
});

describe('a resumed run (the same run folder)', () => {
  const batchRow = (phaseIndex: number, epoch: number, batch: number): BatchMetrics => ({
    type: 'batch', phase: phaseIndex === 0 ? 'head' : 'tune', phaseIndex, epoch, batch, batchesPerEpoch: 3, loss: 1, accuracy: 0.5, lr: 0.01, seconds: 1,
  });
  const epochRow = (phaseIndex: number, epoch: number): EpochMetrics => ({
    type: 'epoch', phase: phaseIndex === 0 ? 'head' : 'tune', phaseIndex, epoch, epochs: 2, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.01, seconds: 1, imagesPerSecond: 1,
  });
  const epochOf = (phaseIndex: number, epoch: number) => [batchRow(phaseIndex, epoch, 0), batchRow(phaseIndex, epoch, 1), batchRow(phaseIndex, epoch, 2), epochRow(phaseIndex, epoch)];
  /** Phase 1 done, phase 2 stopped after batch 1 of its first epoch (checkpoint there); batch 2 was written before the kill. */
  const beforeKill = [...epochOf(0, 0), ...epochOf(0, 1), batchRow(1, 0, 0), batchRow(1, 0, 1), batchRow(1, 0, 2)];
  const withProject = (body: (projectDir: string, runDir: string) => Promise<void>) => async () => {
    const projectDir = mkdtempSync(path.join(tmpdir(), 'ftg-panel-resume-'));
    try {
      const runDir = path.join(projectDir, 'runs', 'run-1');
      mkdirSync(runDir, { recursive: true });
      writeFileSync(path.join(projectDir, 'finetune.json'), '{}');
      writeFileSync(path.join(runDir, 'manifest.json'), JSON.stringify({ runId: 'run-1', status: 'cancelled', pid: 0, config: { phases: [{ name: 'head' }, { name: 'tune' }] } }));
      writeFileSync(path.join(runDir, 'metrics.jsonl'), beforeKill.map((row) => `${JSON.stringify(row)}\n`).join(''));
      await body(projectDir, runDir);
    } finally {
      rmSync(projectDir, { recursive: true, force: true });
    }
  };
  const runEvent = (runDir: string) => ({ ...recordedEvents()[0], runId: 'run-1', runDir, resumedFrom: runDir, resumedAt: { phaseIndex: 1, epoch: 0, batch: 2 } }) as TrainingEvent;
  const afterResume = [batchRow(1, 0, 2), epochRow(1, 0), ...epochOf(1, 1)];
  const expectEveryEpochUnderItsPhase = (history: ProjectHistory) => {
    const view = buildRunView(history.shownRun() as RunRecord);
    assert.deepEqual(view.epochs.map((p) => [p.phaseIndex, p.x]), [[0, 1], [0, 2], [1, 3], [1, 4]]);
    assert.equal(view.batches.length, 12, 'each batch once');
  };

  it('keeps the rows before the checkpoint it had in memory and places the live ones after them', withProject(async (projectDir, runDir) => {
    const history = new ProjectHistory(projectDir);
    await history.load();
    history.apply(runEvent(runDir));
    writeFileSync(path.join(runDir, 'metrics.jsonl'), beforeKill.slice(0, -1).map((row) => `${JSON.stringify(row)}\n`).join(''));
    for (const row of afterResume) history.apply(row);
    expectEveryEpochUnderItsPhase(history);
  }));

  it('reads those rows from metrics.jsonl when the panel had not loaded the run, then replays the live events', withProject(async (projectDir, runDir) => {
    // The engine has dropped the rows after the checkpoint before its first event.
    writeFileSync(path.join(runDir, 'metrics.jsonl'), beforeKill.slice(0, -1).map((row) => `${JSON.stringify(row)}\n`).join(''));
    const history = new ProjectHistory(projectDir);
    history.apply(runEvent(runDir));
    for (const row of afterResume.slice(0, 2)) history.apply(row);
    await history.load();
    for (const row of afterResume.slice(2)) history.apply(row);
    expectEveryEpochUnderItsPhase(history);
  }));
});
