/** The report's Distill section: teacher, student and label-only baseline by size, accuracy and speed. */
import type { RunSummary } from '../../protocol/run';
import { distillComparison, distillRows } from '../../shared/distillFacts';
import { formatParams, formatPercent, formatSpeed } from '../../shared/format';

/** Markdown for a distill run ('' for a training run). */
export function distillSection(summary: RunSummary): string {
  const rows = distillRows(summary);
  if (rows.length === 0) return '';
  const table = [
    '| Model | Parameters | Val accuracy | Images/s (this machine) | What |',
    '| :--- | ---: | ---: | ---: | :--- |',
    ...rows.map(({ label, facts }) => `| **${label}** | ${formatParams(facts.params)} | ${formatPercent(facts.valAccuracy)} | ${formatSpeed(facts.imagesPerSecond)} | ${facts.description ?? ''} |`),
  ].join('\n');
  const { teacher, student, baseline } = summary;
  const lines = [
    '## Distill',
    'A smaller student trained on the labels and on the teacher\'s softened outputs (Hinton et al. 2015); the baseline is the same student, seed and epochs on the labels alone, so the difference is what the teacher added.',
    table,
  ];
  if (teacher && student) lines.push(`The student is ${distillComparison(teacher, student)}.`);
  if (student && baseline) lines.push(`Against the baseline: ${formatPercent(student.valAccuracy)} vs ${formatPercent(baseline.valAccuracy)} validation accuracy.`);
  return lines.join('\n\n');
}
