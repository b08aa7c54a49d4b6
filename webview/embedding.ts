/**
 * The embedding view: the validation images' features from the base model and from the adapted model,
 * each projected to 2-D by PCA (computed by the engine into embedding.json), side by side, one dot per
 * image coloured by class. Hovering (or focusing) a dot previews the image; clicking opens it.
 */
import type { EmbeddingView } from '../src/protocol/webview';
import { el } from './dom';

const SVG_NS = 'http://www.w3.org/2000/svg';
const SIZE = 240;
const PAD = 12;
/** Class colours come from the theme (panel.css .embed-class-N), cycling past this many. */
const CLASS_COLOURS = 8;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  return element;
}

/** Maps points into the plot square, keeping the aspect ratio (PCA distances stay comparable). */
function scaled(points: readonly (readonly [number, number])[]): [number, number][] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const inner = SIZE - 2 * PAD;
  const offX = (inner - ((maxX - minX) / span) * inner) / 2;
  const offY = (inner - ((maxY - minY) / span) * inner) / 2;
  // SVG y grows downwards: flip so "up" is the larger second component.
  return points.map(([x, y]) => [PAD + offX + ((x - minX) / span) * inner, SIZE - PAD - offY - ((y - minY) / span) * inner]);
}

function plot(title: string, which: 'base' | 'adapted', view: EmbeddingView, preview: (index: number | null) => void, open: (file: string) => void): HTMLElement {
  const root = svg('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, width: String(SIZE), height: String(SIZE), role: 'img', 'aria-label': title, class: 'embed-plot' });
  scaled(view[which]).forEach(([x, y], index) => {
    const point = view.points[index];
    const dot = svg('circle', {
      cx: x.toFixed(1), cy: y.toFixed(1), r: '4', tabindex: '0', role: 'button',
      class: `embed-point embed-class-${point.label % CLASS_COLOURS}`, 'data-index': String(index), 'data-projection': which,
      'aria-label': `${view.classes[point.label] ?? point.label}: ${point.file}`,
    });
    const tip = svg('title', {});
    tip.textContent = view.classes[point.label] ?? String(point.label);
    dot.append(tip);
    dot.addEventListener('mouseenter', () => preview(index));
    dot.addEventListener('focus', () => preview(index));
    dot.addEventListener('mouseleave', () => preview(null));
    dot.addEventListener('click', () => open(point.file));
    dot.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        open(point.file);
      }
    });
    root.append(dot);
  });
  return el('figure', { className: 'embed-figure' }, el('figcaption', { text: title }), root as unknown as HTMLElement);
}

export function renderEmbedding(container: HTMLElement, view: EmbeddingView | null, open: (file: string) => void): void {
  if (!view || view.points.length === 0) {
    container.replaceChildren(el('p', { className: 'empty', text: 'No embedding yet: a completed run computes one at its end.' }));
    return;
  }
  const image = el('img', { className: 'embed-thumb', attrs: { alt: '' } });
  const caption = el('span', { className: 'embed-caption', text: 'Hover a dot to see its image; click to open it.' });
  const previewBox = el('div', { className: 'embed-preview', attrs: { 'aria-live': 'polite' } }, image, caption);
  image.hidden = true;
  const preview = (index: number | null): void => {
    const point = index == null ? undefined : view.points[index];
    if (!point) {
      image.hidden = true;
      return;
    }
    image.src = point.thumbnail;
    image.hidden = false;
    image.alt = point.file;
    caption.textContent = `${view.classes[point.label] ?? point.label}: ${point.file.split(/[\\/]/).slice(-2).join('/')}`;
  };
  const legend = el('ul', { className: 'embed-legend' });
  view.classes.forEach((name, label) => legend.append(el('li', {}, el('span', { className: `embed-swatch embed-class-${label % CLASS_COLOURS}` }), el('span', { text: name }))));
  container.replaceChildren(
    el('p', { className: 'embed-note', text: `Features of layer ${view.layer}, projected on their first two principal components. Well separated colours on the right mean fine-tuning separated the classes.` }),
    el('div', { className: 'embed-plots' }, plot('Base model (before training)', 'base', view, preview, open), plot('Adapted model', 'adapted', view, preview, open), previewBox),
    legend,
  );
}
