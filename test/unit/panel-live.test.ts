/** Batching of live points for the webview, and the panel page's HTML and CSP. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExtensionMessage } from '../../src/protocol/webview';
import { buildPanelHtml, contentSecurityPolicy } from '../../src/extension/panel/html';
import { LiveBuffer, type Schedule } from '../../src/extension/panel/liveBuffer';
import { ProjectHistory } from '../../src/extension/panel/projectHistory';
import { RUNS_PROJECT as project, recordedEvents } from '../fixtures/runs/recorded';

const events = recordedEvents();

/** A timer the test fires by hand, so nothing depends on the clock. */
function manualTimer() {
  const pending: (() => void)[] = [];
  const schedule: Schedule = (callback) => {
    pending.push(callback);
    return () => pending.splice(pending.indexOf(callback), 1);
  };
  return { schedule, pending, fire: () => pending.splice(0).forEach((callback) => callback()) };
}

describe('LiveBuffer', () => {
  it('sends many batch points as one events message per interval, then the end of the run at once', () => {
    const sent: ExtensionMessage[] = [];
    const timer = manualTimer();
    const buffer = new LiveBuffer((message) => sent.push(message), timer.schedule);
    const history = new ProjectHistory(project);
    const firstEpochEnd = events.findIndex((e) => e.type === 'epoch');
    for (const event of events.slice(0, firstEpochEnd + 1)) {
      const applied = history.apply(event);
      if (applied.record && !applied.newRun) buffer.add(applied.record, applied.points);
    }
    assert.equal(sent.length, 0);
    assert.equal(timer.pending.length, 1, 'one timer for the whole burst');
    timer.fire();
    assert.equal(sent.length, 1);
    const message = sent[0];
    assert.ok(message.type === 'events');
    assert.equal(message.batches.length, 15);
    assert.equal(message.epochs.length, 1);
    assert.equal(message.stages.find((s) => s.id === 'train')?.status, 'running');

    for (const event of events.slice(firstEpochEnd + 1)) {
      const applied = history.apply(event);
      if (applied.record) buffer.add(applied.record, applied.points, event.type === 'done');
    }
    assert.equal(timer.pending.length, 0, 'the done event flushed and cancelled the timer');
    const last = sent.at(-1);
    assert.ok(last?.type === 'events');
    assert.equal(last.info.status, 'completed');
    const total = sent.reduce((sum, m) => sum + (m.type === 'events' ? m.batches.length : 0), 0);
    assert.equal(total, 135);
  });

  it('drops queued points when cleared (a snapshot carries them instead)', () => {
    const sent: ExtensionMessage[] = [];
    const timer = manualTimer();
    const buffer = new LiveBuffer((message) => sent.push(message), timer.schedule);
    const history = new ProjectHistory(project);
    for (const event of events.slice(0, 10)) {
      const applied = history.apply(event);
      if (applied.record) buffer.add(applied.record, applied.points);
    }
    buffer.clear();
    assert.equal(timer.pending.length, 0);
    buffer.flush();
    assert.equal(sent.length, 0);
  });
});

describe('panel HTML', () => {
  const html = buildPanelHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel/panel.css',
    codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
  });

  it('has a strict CSP: scripts only with the nonce, nothing remote', () => {
    assert.equal(
      contentSecurityPolicy('https://src', 'n1'),
      "default-src 'none'; script-src 'nonce-n1'; style-src https://src 'nonce-n1'; img-src https://src data:; font-src https://src",
    );
    assert.ok(html.includes(`content="default-src 'none'; script-src 'nonce-abc123';`));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, ['<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.js">']);
    assert.ok(!/<style\b/.test(html) && !/\sstyle="/.test(html), 'no inline styles');
  });

  it('links the codicon stylesheet under the id @vscode-elements looks for, with the nonce', () => {
    assert.ok(html.includes('<link rel="stylesheet" nonce="abc123" id="vscode-codicon-stylesheet" href="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css">'));
  });

  it('escapes what it puts in attributes', () => {
    const hostile = buildPanelHtml({ cspSource: 'x', nonce: '"><script>', scriptUri: 'a"b', styleUri: 'c', codiconUri: 'd' });
    assert.ok(!hostile.includes('"><script>'));
    assert.ok(hostile.includes('src="a&quot;b"'));
  });
});
