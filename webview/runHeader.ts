/** The run's heading: id, status, controls, backend, threads, images, frozen-prefix cache and warnings. */
import type { PhaseColumn, RunAction, RunInfo } from '../src/protocol/webview';
import { el } from './dom';
import { describeCacheUse } from '../src/shared/cacheUse';
import { exactTooltip, formatClock, formatCount, formatPercent, formatSpeed } from '../src/shared/format';
import { runPace } from './runPace';
import { runControlBar } from './runControls';
import { skippedFilesList } from './skippedFiles';

export function renderRunHeader(container: HTMLElement, info: RunInfo | null, batchCount: number, phases: readonly PhaseColumn[], open: (path: string) => void, act: (action: RunAction) => void): void {
  if (!info) {
    // The empty panel is one call to action.
    container.replaceChildren(
      el('div', { className: 'empty-start' }, el('p', { className: 'empty', text: 'No runs yet. Start training to see the pipeline and charts here.' }), runControlBar(null, act)),
    );
    return;
  }
  // [label, shown value, exact value for the tooltip when the shown one is compacted]
  const facts: [string, string, string?][] = [];
  const count = (n: number | null | undefined) => formatCount(n);
  if (info.backend) facts.push(['Backend', info.backend]);
  if (info.threads != null) facts.push(['Threads', String(info.threads)]);
  if (info.trainImages != null) facts.push(['Images', `${count(info.trainImages)} train / ${count(info.valImages)} val${info.testImages ? ` / ${count(info.testImages)} test` : ''}`]);
  // Apart from validation: the test set picked nothing, so it is the number to quote.
  if (info.testImages) facts.push(['Test accuracy', info.testAccuracy != null ? `${formatPercent(info.testAccuracy)} (held out, evaluated once)` : '—']);
  if (info.classes.length > 0) facts.push(['Classes', info.classes.join(', ')]);
  facts.push(['Batches', formatCount(batchCount), exactTooltip(batchCount) ?? undefined]);
  const pace = runPace(phases, info.trainImages, info.live || info.status === 'running');
  if (pace.imagesPerSecond != null) facts.push(['Images/s', formatSpeed(pace.imagesPerSecond)]);
  if (pace.secondsLeft != null) facts.push(['Time left', formatClock(pace.secondsLeft)]);
  for (const cache of info.cache) {
    facts.push([`Cache, phase ${cache.phaseIndex + 1}`, describeCacheUse(cache)]);
  }
  const list = el('dl', { className: 'run-facts' });
  // Each label with its value in one <div> (allowed in a <dl>), so a line never wraps between them.
  for (const [label, value, exact] of facts) {
    list.append(el('div', { className: 'run-fact' }, el('dt', { text: label }), el('dd', { text: value, attrs: exact ? { 'data-fact': label, title: exact } : { 'data-fact': label } })));
  }
  const title = el(
    'h1',
    { className: 'run-title' },
    el('span', { text: `Run ${info.runId}` }),
    el('span', { className: `badge run-${info.status}`, text: info.live ? 'live' : info.status, attrs: { 'data-run-status': info.status } }),
  );
  const children: HTMLElement[] = [el('div', { className: 'run-title-row' }, title, runControlBar(info, act)), list];
  if (info.message) children.push(el('p', { className: 'run-message', text: info.message }));
  if (info.warnings.length > 0) {
    const warnings = el('ul', { className: 'warnings' });
    for (const warning of info.warnings) warnings.append(el('li', { text: warning }));
    children.push(warnings);
  }
  const skipped = skippedFilesList(info.skipped, open);
  if (skipped) children.push(skipped);
  container.replaceChildren(...children);
}
