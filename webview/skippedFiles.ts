/** The files the engine could not use, each with its reason; clicking a name asks the extension to open it. */
import type { SkippedFile } from '../src/protocol/run';
import { el } from './dom';

/** Long lists stay readable: the rest is summed up (manifest.json has them all). */
const MAX_LISTED = 200;

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** A collapsible list, or null when nothing was skipped. */
export function skippedFilesList(files: readonly SkippedFile[], open: (path: string) => void): HTMLElement | null {
  if (files.length === 0) return null;
  const list = el('ul', { className: 'skipped-list' });
  for (const skipped of files.slice(0, MAX_LISTED)) {
    const link = el('a', { className: 'open-link skipped-file', text: baseName(skipped.file), attrs: { href: '#', title: skipped.file, 'data-open-skipped': skipped.file } });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      open(skipped.file);
    });
    list.append(el('li', {}, link, el('span', { className: 'skipped-reason', text: skipped.reason })));
  }
  if (files.length > MAX_LISTED) list.append(el('li', { className: 'empty', text: `… and ${files.length - MAX_LISTED} more (see the run's manifest.json).` }));
  const summary = el('summary', { text: `Skipped files (${files.length}): left out of training` });
  return el('details', { className: 'skipped-files', attrs: { open: '' } }, summary, list);
}
