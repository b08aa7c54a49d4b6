/**
 * The panel's run controls: which buttons each run state offers, the `runAction` message the webview
 * posts (and what the extension refuses), and a run whose host died shown interrupted at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunStatus } from '../../src/protocol/run';
import { parseWebviewMessage } from '../../src/protocol/webview';
import { checkpointDirOf, writeCheckpointState, type CheckpointState } from '../../src/runs';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { readRun } from '../../src/extension/panel/runReader';
import type { RunRecord } from '../../src/extension/panel/runRecord';
import { buildRunView } from '../../src/extension/panel/runView';
import { runControls, type RunControlState } from '../../src/shared/runControls';
import { KILLED_RUN, RUNS_PROJECT, recordedEvents } from '../fixtures/runs/recorded';

const actions = (state: RunControlState | null) => runControls(state).map((c) => `${c.action}${c.primary ? '*' : ''}`);
const run = (status: RunStatus, live = false, resumable = false): RunControlState => ({ status, live, resumable });

describe('run controls by state', () => {
  it('the empty panel is one call to action: Start Training', () => {
    assert.deepEqual(runControls(null).map((c) => [c.action, c.label, c.icon, c.primary]), [['start', 'Start Training', 'play', true]]);
  });

  it('a running run offers Stop only when this window drives it', () => {
    assert.deepEqual(actions(run('running', true)), ['stop*', 'openConfig']);
    // A CLI run, or one whose host vanished before it was marked: Stop could not reach it.
    assert.deepEqual(actions(run('running', false)), ['openConfig']);
  });

  it('a stopped, interrupted or failed run with a checkpoint offers Resume first; without one, Start', () => {
    for (const status of ['cancelled', 'interrupted', 'failed'] as const) {
      assert.deepEqual(actions(run(status, false, true)), ['resume*', 'start', 'openConfig'], status);
      assert.deepEqual(actions(run(status, false, false)), ['start*', 'openConfig'], status);
    }
  });

  it('a completed run offers Export first, then Start; Open finetune.json is always there once a run exists', () => {
    assert.deepEqual(actions(run('completed', false, true)), ['export*', 'start', 'openConfig']);
    for (const status of ['running', 'completed', 'cancelled', 'interrupted', 'failed'] as const) {
      assert.ok(actions(run(status, status === 'running')).includes('openConfig'), status);
    }
  });

  it('every button has a codicon and a label', () => {
    for (const control of [...runControls(null), ...runControls(run('completed')), ...runControls(run('running', true)), ...runControls(run('cancelled', false, true))]) {
      assert.match(control.icon, /^[a-z-]+$/);
      assert.ok(control.label.length > 0);
    }
  });
});

describe('runAction messages from the webview', () => {
  it('accepts each action with the shown run id or null', () => {
    for (const action of ['start', 'stop', 'resume', 'export', 'openConfig']) {
      assert.deepEqual(parseWebviewMessage({ type: 'runAction', action, runId: KILLED_RUN }), { type: 'runAction', action, runId: KILLED_RUN });
    }
    assert.deepEqual(parseWebviewMessage({ type: 'runAction', action: 'start', runId: null, extra: 1 }), { type: 'runAction', action: 'start', runId: null });
  });

  it('refuses unknown actions and run ids that could name another folder', () => {
    const bad = [
      { type: 'runAction', action: 'delete', runId: null },
      { type: 'runAction', action: 'resume', runId: '../other' },
      { type: 'runAction', action: 'resume', runId: 'a/b' },
      { type: 'runAction', action: 'resume' },
      { type: 'runAction', action: 'resume', runId: 7 },
      { type: 'runAction', runId: null },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  });
});

describe('a run whose host died', () => {
  /** The live history up to the first epoch of phase 2, as if the host were killed there. */
  function killedLive(): { history: ProjectHistory; record: RunRecord } {
    const history = new ProjectHistory(RUNS_PROJECT);
    const events = recordedEvents();
    const cut = events.findIndex((e) => e.type === 'epoch' && e.phaseIndex === 1);
    for (const event of events.slice(0, cut + 1)) history.apply(event);
    return { history, record: history.shownRun() as RunRecord };
  }

  it('is shown interrupted at once: badge status, not live, the reason, stages and phase columns', () => {
    const { history, record } = killedLive();
    assert.equal(buildRunView(record).info.live, true);
    record.hasCheckpoint = true;
    const marked = history.markInterrupted(record.runDir, 'The training process was killed (SIGKILL).');
    assert.equal(marked, record);
    const view = buildRunView(record);
    assert.equal(view.info.status, 'interrupted');
    assert.equal(view.info.live, false);
    assert.equal(view.info.message, 'The training process was killed (SIGKILL).');
    assert.equal(view.info.resumable, true);
    assert.equal(view.stages.find((s) => s.id === 'finetune')?.status, 'interrupted');
    assert.equal(view.phases[1]?.status, 'interrupted');
    assert.deepEqual(runControls({ status: view.info.status, live: view.info.live, resumable: view.info.resumable === true })[0]?.action, 'resume');
    // Later events of the dead run (none should come) no longer go to it.
    assert.equal(history.apply(recordedEvents().at(-1) as never).record, null);
  });

  it('keeps a run that already ended as it was', () => {
    const history = new ProjectHistory(RUNS_PROJECT);
    for (const event of recordedEvents()) history.apply(event);
    const record = history.shownRun() as RunRecord;
    assert.equal(history.markInterrupted(record.runDir, 'late exit'), null);
    assert.equal(record.status, 'completed');
  });

  it('read back from disk is resumable only with a checkpoint', async () => {
    assert.equal(buildRunView(await readRun(path.join(RUNS_PROJECT, 'runs', KILLED_RUN))).info.resumable, false);
    const dir = mkdtempSync(path.join(tmpdir(), 'panel-controls-'));
    try {
      const runDir = path.join(dir, KILLED_RUN);
      cpSync(path.join(RUNS_PROJECT, 'runs', KILLED_RUN), runDir, { recursive: true });
      mkdirSync(checkpointDirOf(runDir), { recursive: true });
      // Only the state file matters here: it names the weights Resume would load.
      await writeCheckpointState(runDir, { version: 2, weightsFile: 'weights.bin', phaseIndex: 1, epochsDone: 1 } as CheckpointState);
      const view = buildRunView(await readRun(runDir));
      assert.equal(view.info.status, 'interrupted');
      assert.equal(view.info.resumable, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
