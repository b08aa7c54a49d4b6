/** Markdown tables of the report: phases side by side, and the evaluation of the final model. */
import * as path from 'node:path';
import type { Evaluation, PhaseEvaluation } from '../../protocol/evaluation';
import type { FeatureExtractionSummary, PhaseSummary } from '../../protocol/run';
import { bestOf, describeKeptWeights } from '../../shared/keptWeights';
import { formatDuration, formatLoss, formatParams, formatPercent, formatPhaseRate, formatPoints, formatScore, formatSpeed, MISSING } from '../../shared/format';
import { RUN_FILES } from '../../runs';

/** One row per phase; "best" is the epoch with the lowest validation loss; the last column is the change of the kept weights' validation accuracy vs the phase before. */
export function phaseTable(phases: readonly PhaseSummary[], featureExtraction?: FeatureExtractionSummary): string {
  const header = [
    'Phase',
    'Status',
    'Trainable params',
    'Epochs',
    'LR',
    'Best val acc (epoch)',
    'Best val loss',
    'Weights kept',
    'Final val acc',
    'Final val loss',
    'Time',
    'Images/s',
    'Change vs previous',
  ];
  const rows = phases.map((p, i) => [
    cell(p.name),
    p.status + (p.stoppedEarly ? ' (early stop)' : ''),
    `${formatParams(p.trainableParams)} / ${formatParams(p.totalParams)}`,
    `${p.epochsRun} / ${p.epochsPlanned}`,
    formatPhaseRate(p),
    `${formatPercent(bestOf(p).accuracy)} (${p.bestEpoch + 1})`,
    formatLoss(bestOf(p).loss),
    describeKeptWeights(p),
    formatPercent(p.finalValAccuracy),
    formatLoss(p.finalValLoss),
    formatDuration(p.seconds),
    formatSpeed(p.imagesPerSecond),
    i === 0 ? MISSING : formatPoints(p.valAccuracy - phases[i - 1].valAccuracy),
  ]);
  if (featureExtraction) rows.unshift(featureExtractionRow(featureExtraction, header.length));
  return table(header, rows, [0, 1]);
}

/** The baselines on the base model's features (no network training), in the phase table's columns. */
function featureExtractionRow(fe: FeatureExtractionSummary, columns: number): string[] {
  const row = new Array<string>(columns).fill(MISSING);
  row[0] = 'feature extraction';
  row[1] = `no training (features of ${cell(fe.layer)})`;
  row[2] = '0';
  row[5] = `kNN (k=${fe.knn.k}) ${formatPercent(fe.knn.valAccuracy)}`;
  row[8] = `logistic ${formatPercent(fe.logistic.valAccuracy)}`;
  return row;
}

/** Accuracy, averages, per-class metrics, confusion matrix and the most confident mistakes. */
export function evaluationSection(evaluation: PhaseEvaluation, runDir: string, maxMistakes = 8, side: 'validation' | 'test' = 'validation'): string {
  const parts = [
    `After phase **${cell(evaluation.phase)}**, on ${evaluation.samples} ${side} images: accuracy **${formatPercent(evaluation.accuracy)}**, ` +
      `${evaluation.topK.map((t) => `top-${t.k} ${formatPercent(t.accuracy)}`).join(', ')}; ` +
      `macro F1 ${formatScore(evaluation.macro.f1)}, weighted F1 ${formatScore(evaluation.weighted.f1)}.`,
    '### Per class',
    perClassTable(evaluation),
    ...confusionPart(evaluation),
  ];
  if (evaluation.worst.length > 0) {
    parts.push('### Most confident mistakes', mistakesTable(evaluation, runDir, maxMistakes));
  }
  return parts.join('\n\n');
}

/** Accuracy of every evaluated phase, when there is more than one. */
export function evaluationByPhase(phases: readonly PhaseEvaluation[]): string {
  const header = ['Phase', 'Accuracy', ...(phases[0]?.topK.slice(1).map((t) => `Top-${t.k}`) ?? []), 'Macro F1', 'Weighted F1'];
  const rows = phases.map((p) => [cell(p.phase), formatPercent(p.accuracy), ...p.topK.slice(1).map((t) => formatPercent(t.accuracy)), formatScore(p.macro.f1), formatScore(p.weighted.f1)]);
  return table(header, rows, [0]);
}

function perClassTable(evaluation: Evaluation): string {
  const rows = evaluation.perClass.map((m) => [cell(m.className), formatScore(m.precision), formatScore(m.recall), formatScore(m.f1), String(m.support)]);
  const total = evaluation.perClass.reduce((sum, m) => sum + m.support, 0);
  rows.push(['*macro avg*', formatScore(evaluation.macro.precision), formatScore(evaluation.macro.recall), formatScore(evaluation.macro.f1), String(total)]);
  rows.push(['*weighted avg*', formatScore(evaluation.weighted.precision), formatScore(evaluation.weighted.recall), formatScore(evaluation.weighted.f1), String(total)]);
  return table(['Class', 'Precision', 'Recall', 'F1', 'Support'], rows, [0]);
}

/** Above this many classes the matrix is not drawn (1000 classes made a 4 MB report.md): the most confused pairs are listed. */
export const MAX_MATRIX_CLASSES = 30;
const MAX_CONFUSED_PAIRS = 30;

function confusionPart(evaluation: Evaluation): string[] {
  if (evaluation.classes.length <= MAX_MATRIX_CLASSES) {
    return ['### Confusion matrix', 'Rows are the true class, columns the predicted class; the diagonal counts the right answers.', confusionTable(evaluation)];
  }
  const pairs: { t: number; p: number; n: number }[] = [];
  evaluation.confusion.forEach((row, t) => row.forEach((n, p) => void (p !== t && n > 0 && pairs.push({ t, p, n }))));
  pairs.sort((a, b) => b.n - a.n || a.t - b.t || a.p - b.p);
  const rows = pairs.slice(0, MAX_CONFUSED_PAIRS).map(({ t, p, n }) => [cell(evaluation.classes[t]), cell(evaluation.classes[p]), String(n)]);
  return [
    '### Most confused classes',
    `${evaluation.classes.length} classes are too many for a readable confusion matrix (it is in ${RUN_FILES.evaluation}); ` +
      `the ${Math.min(pairs.length, MAX_CONFUSED_PAIRS)} most frequent mistakes of ${pairs.length} kinds:`,
    table(['True class', 'Predicted', 'Images'], rows, [0, 1]),
  ];
}

function confusionTable(evaluation: Evaluation): string {
  const header = ['true \\ predicted', ...evaluation.classes.map(cell)];
  const rows = evaluation.confusion.map((row, t) => [`**${cell(evaluation.classes[t])}**`, ...row.map((n, p) => (p === t ? `**${n}**` : String(n)))]);
  return table(header, rows, [0]);
}

function mistakesTable(evaluation: Evaluation, runDir: string, maxMistakes: number): string {
  const rows = evaluation.worst.slice(0, maxMistakes).map((m) => [imageLink(m.file, runDir), cell(m.trueClass), cell(m.predictedClass), formatPercent(m.confidence)]);
  return table(['Image', 'True class', 'Predicted', 'Confidence'], rows, [0, 1, 2]);
}

/** A link relative to the report (so it works when the project folder moves); `<...>` allows spaces. */
function imageLink(file: string, runDir: string): string {
  const relative = path.isAbsolute(file) ? path.relative(runDir, file).split(path.sep).join('/') : file;
  return `[${cell(path.basename(file))}](<${relative.replace(/[<>]/g, '')}>)`;
}

/** A Markdown table; columns listed in `leftAligned` are left-aligned, the others (numbers) right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: readonly number[]): string {
  const align = header.map((_, i) => (leftAligned.includes(i) ? ':---' : '---:'));
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
