/**
 * The evaluation section: per phase, accuracy and top-k, the confusion matrix, per-class precision,
 * recall and F1, and a gallery of the most confident mistakes (clicking one opens the image).
 */
import type { MistakeView, PhaseEvaluationView } from '../src/protocol/webview';
import { button } from './controls';
import { el } from './dom';
import { formatPercent, formatScore } from '../src/shared/format';
import { cellImagesList } from './confusionCells';

export interface EvaluationHandlers {
  selectPhase(phase: string): void;
  open(path: string): void;
}

function phaseTabs(phases: readonly PhaseEvaluationView[], shown: PhaseEvaluationView, handlers: EvaluationHandlers): HTMLElement {
  const tabs = el('div', { className: 'eval-tabs', attrs: { role: 'tablist' } });
  for (const phase of phases) {
    const selected = phase === shown;
    // The selected phase is the primary button, the others secondary: VS Code's own look for a toggle.
    const tab = button(phase.phase, { class: 'eval-tab', role: 'tab', 'aria-selected': String(selected), 'data-eval-phase': phase.phase }, () => handlers.selectPhase(phase.phase), !selected);
    tabs.append(tab);
  }
  return tabs;
}

function summary(phase: PhaseEvaluationView): HTMLElement {
  const facts: [string, string][] = [
    ['Accuracy', formatPercent(phase.accuracy)],
    // Top-k with k >= the number of classes is always 100%: not worth a line.
    ...phase.topK.filter((t) => t.k > 1 && t.k <= 3 && t.k < phase.classes.length).map((t): [string, string] => [`Top-${t.k}`, formatPercent(t.accuracy)]),
    ['Macro F1', formatScore(phase.macro.f1)],
    ['Weighted F1', formatScore(phase.weighted.f1)],
    ['Images', String(phase.samples)],
  ];
  const list = el('dl', { className: 'run-facts eval-facts' });
  for (const [label, value] of facts) list.append(el('dt', { text: label }), el('dd', { text: value, attrs: { 'data-fact': label } }));
  return list;
}

/**
 * Rows are true classes, columns predictions; a cell's shade is its share of the row. With per-image
 * cells (runs since evaluation.json has `images`), a non-empty cell is a button that lists its images.
 */
function confusionMatrix(phase: PhaseEvaluationView, showCell: (trueIndex: number, predictedIndex: number) => void): HTMLElement {
  const head = el('tr', {}, el('th', { className: 'corner', text: 'true ↓ / predicted →', attrs: { scope: 'col' } }));
  for (const name of phase.classes) head.append(el('th', { text: name, attrs: { scope: 'col' } }));
  const body = el('tbody');
  phase.confusion.forEach((row, trueIndex) => {
    const total = row.reduce((sum, count) => sum + count, 0) || 1;
    const tr = el('tr', {}, el('th', { text: phase.classes[trueIndex], attrs: { scope: 'row' } }));
    row.forEach((count, predictedIndex) => {
      const cell = el('td', { className: `num ${trueIndex === predictedIndex ? 'hit' : 'miss'}`, text: String(count) });
      // CSSOM, not a style attribute: allowed by the CSP.
      cell.style.setProperty('--share', String(count / total));
      cell.title = `${phase.classes[trueIndex]} predicted as ${phase.classes[predictedIndex]}: ${count} of ${total}`;
      if (count > 0 && phase.images.length > 0) {
        cell.classList.add('clickable');
        cell.tabIndex = 0;
        cell.setAttribute('role', 'button');
        cell.setAttribute('data-cell', `${trueIndex},${predictedIndex}`);
        cell.title += '; click to see the images';
        cell.addEventListener('click', () => showCell(trueIndex, predictedIndex));
        cell.addEventListener('keydown', (event) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          showCell(trueIndex, predictedIndex);
        });
      }
      tr.append(cell);
    });
    body.append(tr);
  });
  return el('table', { className: 'confusion', attrs: { 'data-table': 'confusion' } }, el('thead', {}, head), body);
}

function perClassTable(phase: PhaseEvaluationView): HTMLElement {
  const head = el('tr');
  for (const title of ['Class', 'Precision', 'Recall', 'F1', 'Images']) head.append(el('th', { text: title, attrs: { scope: 'col' } }));
  const body = el('tbody');
  for (const metrics of phase.perClass) {
    body.append(
      el(
        'tr',
        { attrs: { 'data-class': metrics.className } },
        el('th', { text: metrics.className, attrs: { scope: 'row' } }),
        el('td', { className: 'num', text: formatPercent(metrics.precision) }),
        el('td', { className: 'num', text: formatPercent(metrics.recall) }),
        el('td', { className: 'num', text: formatScore(metrics.f1) }),
        el('td', { className: 'num', text: String(metrics.support) }),
      ),
    );
  }
  return el('table', { className: 'phase-table per-class', attrs: { 'data-table': 'per-class' } }, el('thead', {}, head), body);
}

function mistakeCard(mistake: MistakeView, handlers: EvaluationHandlers): HTMLElement {
  const name = mistake.file.split(/[\\/]/).pop() ?? mistake.file;
  const preview = mistake.thumbnail
    ? el('img', { attrs: { src: mistake.thumbnail, alt: `${name}: a ${mistake.trueClass} predicted as ${mistake.predictedClass}` } })
    : el('span', { className: 'no-preview', text: 'no preview' });
  const card = el(
    'button',
    { className: 'mistake', attrs: { type: 'button', title: `Open ${mistake.file}`, 'data-file': mistake.file } },
    preview,
    el('span', { className: 'mistake-classes', text: `${mistake.trueClass} → ${mistake.predictedClass}` }),
    el('span', { className: 'mistake-confidence', text: `${formatPercent(mistake.confidence)} sure; true class ${formatPercent(mistake.trueClassProbability)}` }),
    el('span', { className: 'mistake-file', text: name }),
  );
  card.addEventListener('click', () => handlers.open(mistake.file));
  return card;
}

export function renderEvaluation(
  container: HTMLElement,
  phases: readonly PhaseEvaluationView[],
  selected: string | null,
  reportPath: string | null,
  handlers: EvaluationHandlers,
  test: PhaseEvaluationView | null = null,
): void {
  const children: HTMLElement[] = [];
  if (reportPath) {
    children.push(el('p', {}, button('Open the run report (report.md)', { 'data-open': 'report' }, () => handlers.open(reportPath))));
  }
  const shown = phases.find((phase) => phase.phase === selected) ?? phases.at(-1);
  if (!shown) {
    children.push(el('p', { className: 'empty', text: 'No evaluation yet: it is written to evaluation.json after each phase.' }));
    container.replaceChildren(...children);
    return;
  }
  children.push(phaseTabs(phases, shown, handlers), summary(shown));
  children.push(...matrixWithCells(shown, handlers));
  const gallery = el('div', { className: 'gallery' });
  for (const mistake of shown.worst) gallery.append(mistakeCard(mistake, handlers));
  children.push(el('h3', { text: 'Most confident mistakes' }), shown.worst.length > 0 ? gallery : el('p', { className: 'empty', text: 'No mistakes on the validation images.' }));
  if (test) children.push(testSection(test, handlers));
  container.replaceChildren(...children);
}

/** The held-out test set (data.testSplit), apart from the phases' validation: evaluated once, with the kept weights. */
function testSection(test: PhaseEvaluationView, handlers: EvaluationHandlers): HTMLElement {
  const gallery = el('div', { className: 'gallery' });
  for (const mistake of test.worst) gallery.append(mistakeCard(mistake, handlers));
  return el(
    'section',
    { className: 'eval-test', attrs: { 'data-eval': 'test' } },
    el('h3', { text: `Test set (held out, evaluated once after phase "${test.phase}")` }),
    summary(test),
    ...matrixWithCells(test, handlers),
    test.worst.length > 0 ? gallery : el('p', { className: 'empty', text: 'No mistakes on the test images.' }),
  );
}

/** The matrix and per-class tables, and under them the images of the cell last clicked. */
function matrixWithCells(phase: PhaseEvaluationView, handlers: EvaluationHandlers): HTMLElement[] {
  const cellImages = el('div', { className: 'cell-images-slot' });
  const showCell = (trueIndex: number, predictedIndex: number): void => {
    cellImages.replaceChildren(cellImagesList(phase, trueIndex, predictedIndex, (file) => handlers.open(file)));
  };
  return [el('div', { className: 'eval-tables' }, confusionMatrix(phase, showCell), perClassTable(phase)), cellImages];
}
