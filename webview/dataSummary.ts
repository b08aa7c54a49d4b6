/**
 * The data section: images per class on each side of the split, and each class's problems (tiny, far
 * smaller than the largest, no validation images) by the rules the engine warns by. Duplicates and
 * skipped files are in the run header's warnings and skipped list.
 */
import type { RunInfo } from '../src/protocol/webview';
import { classFlags } from '../src/shared/dataFlags';
import { el } from './dom';

export function renderDataSummary(container: HTMLElement, info: RunInfo | null): void {
  const counts = info?.classCounts ?? [];
  if (counts.length === 0) {
    container.replaceChildren(el('p', { className: 'empty', text: info ? 'This run did not record its images per class (runs before this version).' : 'No run yet: the images per class appear when training starts.' }));
    return;
  }
  const withTest = counts.some((c) => c.test > 0);
  const largest = Math.max(...counts.map((c) => c.train));
  const head = el('tr');
  for (const title of ['Class', 'Train', 'Validation', ...(withTest ? ['Test'] : []), 'Share of training', '']) head.append(el('th', { text: title, attrs: { scope: 'col' } }));
  const total = counts.reduce((sum, c) => sum + c.train, 0) || 1;
  const body = el('tbody');
  let flagged = 0;
  for (const c of counts) {
    const flags = classFlags(c, largest);
    if (flags.length > 0) flagged++;
    const bar = el('span', { className: 'share-bar' });
    // CSSOM, not a style attribute: allowed by the CSP.
    bar.style.setProperty('--share', String(c.train / largest));
    body.append(
      el(
        'tr',
        { attrs: { 'data-class': c.name }, className: flags.length > 0 ? 'flagged' : '' },
        el('th', { text: c.name, attrs: { scope: 'row' } }),
        el('td', { className: 'num', text: String(c.train) }),
        el('td', { className: 'num', text: String(c.validation) }),
        ...(withTest ? [el('td', { className: 'num', text: String(c.test) })] : []),
        el('td', { className: 'share', attrs: { title: `${((c.train / total) * 100).toFixed(1)}% of the training images` } }, bar),
        el('td', { className: 'data-flags' }, ...flags.map((flag) => el('span', { className: 'data-flag', attrs: { 'data-flag': '' } }, el('span', { className: 'codicon codicon-warning' }), el('span', { text: flag })))),
      ),
    );
  }
  const verdict = flagged === 0 ? `${counts.length} classes, none flagged.` : `${flagged} of ${counts.length} classes flagged: see the last column.`;
  container.replaceChildren(el('p', { className: 'data-verdict', text: verdict }), el('table', { className: 'phase-table data-counts', attrs: { 'data-table': 'data-counts' } }, el('thead', {}, head), body));
}
