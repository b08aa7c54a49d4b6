/**
 * A confusion-matrix cell's images: clicking a cell lists the evaluated images it counts (true class in
 * its row, prediction in its column) as thumbnails, most confident first; clicking one opens it.
 */
import type { CellImageView, PhaseEvaluationView } from '../src/protocol/webview';
import { el } from './dom';
import { formatPercent } from '../src/shared/format';

/** Enough to see what went wrong without building thousands of images into the page. */
const MAX_SHOWN = 60;

export function imagesOfCell(phase: PhaseEvaluationView, trueIndex: number, predictedIndex: number): CellImageView[] {
  return phase.images.filter((image) => image.trueIndex === trueIndex && image.predictedIndex === predictedIndex).sort((a, b) => b.confidence - a.confidence);
}

/** The list for one cell, to put under the matrix. */
export function cellImagesList(phase: PhaseEvaluationView, trueIndex: number, predictedIndex: number, open: (file: string) => void): HTMLElement {
  const images = imagesOfCell(phase, trueIndex, predictedIndex);
  const trueClass = phase.classes[trueIndex];
  const predicted = phase.classes[predictedIndex];
  const what = trueIndex === predictedIndex ? `${trueClass}, predicted right` : `${trueClass} predicted as ${predicted}`;
  const heading = el('h4', { text: `${what}: ${images.length} image${images.length === 1 ? '' : 's'}${images.length > MAX_SHOWN ? ` (the ${MAX_SHOWN} the model was surest of)` : ''}` });
  const gallery = el('div', { className: 'gallery' });
  for (const image of images.slice(0, MAX_SHOWN)) {
    const name = image.file.split(/[\\/]/).pop() ?? image.file;
    const card = el(
      'button',
      { className: 'mistake', attrs: { type: 'button', title: `Open ${image.file}`, 'data-file': image.file } },
      el('img', { attrs: { src: image.src, alt: `${name}: a ${trueClass} predicted as ${predicted}` } }),
      el('span', { className: 'mistake-confidence', text: `${formatPercent(image.confidence)} ${predicted}` }),
      el('span', { className: 'mistake-file', text: name }),
    );
    card.addEventListener('click', () => open(image.file));
    gallery.append(card);
  }
  return el('section', { className: 'cell-images', attrs: { 'data-cell': `${trueIndex},${predictedIndex}` } }, heading, images.length > 0 ? gallery : el('p', { className: 'empty', text: 'No images in this cell.' }));
}
