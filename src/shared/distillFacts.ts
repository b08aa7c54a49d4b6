/**
 * The Distill stage's numbers, shared by the panel (src/extension/panel/stages.ts) and the report
 * (src/engine/report/distill.ts): teacher vs student (and the label-only baseline) by size, speed
 * and validation accuracy, from a distill run's summary.json. Pure.
 */
import type { DistillModelFacts, RunSummary } from '../protocol/run';
import { formatParams, formatPercent, formatPoints, formatSpeed } from './format';

export interface DistillRow {
  readonly label: 'Teacher' | 'Student' | 'Baseline';
  readonly facts: DistillModelFacts;
}

/** The rows of a distill run's summary; none for a training run. */
export function distillRows(summary: Pick<RunSummary, 'kind' | 'teacher' | 'student' | 'baseline'> | null | undefined): DistillRow[] {
  if (!summary || summary.kind !== 'distill') return [];
  const rows: DistillRow[] = [];
  if (summary.teacher) rows.push({ label: 'Teacher', facts: summary.teacher });
  if (summary.student) rows.push({ label: 'Student', facts: summary.student });
  if (summary.baseline) rows.push({ label: 'Baseline', facts: summary.baseline });
  return rows;
}

/** "1.2M params · 95.0% · 300 img/s" */
export function distillFactText(facts: DistillModelFacts): string {
  return `${formatParams(facts.params)} params · ${formatPercent(facts.valAccuracy)} · ${formatSpeed(facts.imagesPerSecond)} img/s`;
}

/** What the student gained or lost against the teacher: size ratio, speed-up, accuracy points. */
export function distillComparison(teacher: DistillModelFacts, student: DistillModelFacts): string {
  const size = teacher.params > 0 ? `${((student.params / teacher.params) * 100).toFixed(0)}% of the teacher's size` : '';
  const speed = teacher.imagesPerSecond > 0 ? `${(student.imagesPerSecond / teacher.imagesPerSecond).toFixed(1)}× its speed` : '';
  const accuracy = `${formatPoints(student.valAccuracy - teacher.valAccuracy)} accuracy`;
  return [size, speed, accuracy].filter((part) => part !== '').join(', ');
}

/** Short teacher → student facts for a stage box (the report has the full table). */
export function distillStageFacts(summary: Pick<RunSummary, 'kind' | 'teacher' | 'student' | 'baseline'> | null | undefined): { label: string; value: string }[] {
  if (!summary || summary.kind !== 'distill' || !summary.teacher || !summary.student) return [];
  const { teacher, student, baseline } = summary;
  const facts = [
    // Says which side of each arrow is which.
    { label: 'Compared', value: 'teacher → student' },
    { label: 'Params', value: `${formatParams(teacher.params)} → ${formatParams(student.params)}` },
    { label: 'Val acc', value: `${formatPercent(teacher.valAccuracy)} → ${formatPercent(student.valAccuracy)}` },
    { label: 'Images/s', value: `${formatSpeed(teacher.imagesPerSecond)} → ${formatSpeed(student.imagesPerSecond)}` },
  ];
  if (baseline) facts.push({ label: 'Baseline acc', value: formatPercent(baseline.valAccuracy) });
  if (teacher.params > 0) facts.push({ label: 'Size', value: `${((student.params / teacher.params) * 100).toFixed(0)}% of teacher` });
  if (teacher.imagesPerSecond > 0) facts.push({ label: 'Speed-up', value: `${(student.imagesPerSecond / teacher.imagesPerSecond).toFixed(1)}×` });
  return facts;
}
