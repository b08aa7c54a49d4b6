/** The phase comparison table: one column per phase, one row per number. */
import type { PhaseColumn } from '../src/protocol/webview';
import type { FeatureExtractionSummary } from '../src/protocol/run';
import { el } from './dom';
import { exactTooltip, formatDuration, formatLoss, formatParams, formatPercent, formatPoints, formatSpeed, MISSING } from '../src/shared/format';

interface Row {
  readonly key: string;
  readonly label: string;
  readonly value: (column: PhaseColumn) => string;
}

const ROWS: readonly Row[] = [
  { key: 'status', label: 'Status', value: (c) => c.status },
  { key: 'trainable', label: 'Trainable params', value: (c) => formatParams(c.trainableParams) },
  { key: 'epochs', label: 'Epochs run', value: (c) => `${c.epochsRun}${c.epochsPlanned != null ? ` of ${c.epochsPlanned}` : ''}` },
  { key: 'bestAcc', label: 'Best val accuracy', value: (c) => formatPercent(c.bestValAccuracy) },
  { key: 'finalAcc', label: 'Final val accuracy', value: (c) => formatPercent(c.finalValAccuracy) },
  { key: 'bestLoss', label: 'Best val loss', value: (c) => formatLoss(c.bestValLoss) },
  { key: 'kept', label: 'Weights kept', value: (c) => c.keptWeights ?? MISSING },
  { key: 'finalLoss', label: 'Final val loss', value: (c) => formatLoss(c.finalValLoss) },
  { key: 'time', label: 'Time', value: (c) => formatDuration(c.seconds) },
  { key: 'speed', label: 'Images / s', value: (c) => formatSpeed(c.imagesPerSecond) },
  { key: 'delta', label: 'Change vs previous', value: (c) => formatPoints(c.deltaPoints == null ? null : c.deltaPoints / 100) },
];

/** The "feature extraction" column's cells: kNN / logistic on the base model's features, no network training. */
function featureExtractionCell(key: string, fe: FeatureExtractionSummary): string {
  if (key === 'status') return 'no training';
  if (key === 'trainable') return '0';
  if (key === 'bestAcc') return `kNN ${formatPercent(fe.knn.valAccuracy)}`;
  if (key === 'finalAcc') return `logistic ${formatPercent(fe.logistic.valAccuracy)}`;
  return MISSING;
}

export function renderPhaseTable(container: HTMLElement, columns: readonly PhaseColumn[], featureExtraction: FeatureExtractionSummary | null = null): void {
  if (columns.length === 0) {
    container.replaceChildren(el('p', { className: 'empty', text: 'No phases yet.' }));
    return;
  }
  const head = el('tr', {}, el('th', { text: 'Phase', attrs: { scope: 'col' } }));
  if (featureExtraction) head.append(el('th', { text: 'feature extraction', attrs: { scope: 'col', title: `kNN (k=${featureExtraction.knn.k}) and logistic regression on the base model's ${featureExtraction.layer} features` } }));
  for (const column of columns) head.append(el('th', { text: `${column.phaseIndex + 1}. ${column.name}`, attrs: { scope: 'col' } }));
  const body = el('tbody');
  for (const row of ROWS) {
    const tr = el('tr', { attrs: { 'data-row': row.key } }, el('th', { text: row.label, attrs: { scope: 'row' } }));
    if (featureExtraction) tr.append(el('td', { className: 'num feature-extraction', text: featureExtractionCell(row.key, featureExtraction) }));
    for (const column of columns) {
      // A change that shows as ±0.0 is neither good nor bad news: plain text.
      const points = row.key === 'delta' ? column.deltaPoints : null;
      const delta = points == null || Math.abs(points) < 0.05 ? '' : points > 0 ? ' up' : ' down';
      const exact = row.key === 'trainable' ? exactTooltip(column.trainableParams) : null;
      tr.append(el('td', { className: `num${delta}`, text: row.value(column), attrs: exact ? { title: exact } : {} }));
    }
    body.append(tr);
  }
  container.replaceChildren(el('table', { className: 'phase-table' }, el('thead', {}, head), body));
}
