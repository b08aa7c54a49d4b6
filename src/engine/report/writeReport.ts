/** `<runDir>/report.md`: pipeline, phase comparison, evaluation and charts of one run. */
import { RUN_FILES, runFile } from '../../runs';
import { writeFileAtomic } from '../../runs/atomicFile';
import { writeCharts, type ChartFiles } from './charts';
import { formatDuration, formatParams, formatPercent } from '../../shared/format';
import { distillSection } from './distill';
import { mermaidFlowchart, pipelineStages } from './pipeline';
import { readRunRecords, type RunRecords } from './runRecords';
import { evaluationByPhase, evaluationSection, phaseTable } from './tables';

export interface ReportResult {
  readonly file: string;
  readonly charts: ChartFiles;
}

/** Reads the run folder, draws the charts and writes report.md; returns the paths. */
export async function writeReport(runDir: string): Promise<ReportResult> {
  const records = await readRunRecords(runDir);
  const charts = await writeCharts(runDir, records.epochs);
  const file = runFile(runDir, 'report');
  await writeFileAtomic(file, renderReport(records, charts));
  return { file, charts };
}

/** The class-balance warnings (data/classBalance.ts, evaluate/hiddenClasses.ts) as a quoted list; '' when none. */
function warningsSection(warnings: readonly string[]): string {
  return warnings.length === 0 ? '' : ['> **Warnings**', ...warnings.map((w) => `> - ${w}`)].join('\n');
}

/** The report's Markdown (pure: the records and chart paths in, text out). */
export function renderReport(records: RunRecords, charts: ChartFiles): string {
  const { summary, manifest, evaluation } = records;
  const stages = pipelineStages(records);
  const facts = [
    `**Status:** ${summary.status}`,
    `**Validation accuracy:** ${formatPercent(summary.valAccuracy)}`,
    summary.testImages ? `**Test accuracy:** ${formatPercent(summary.testAccuracy ?? Number.NaN)} (held out, evaluated once)` : '',
    `**Classes (${summary.classes.length}):** ${summary.classes.join(', ')}`,
    manifest.trainImages !== undefined ? `**Images:** ${manifest.trainImages} training, ${manifest.valImages ?? '–'} validation${manifest.testImages ? `, ${manifest.testImages} test` : ''}` : '',
    `**Backend:** ${summary.backend} (${summary.threads} thread${summary.threads === 1 ? '' : 's'})`,
    `**Total time:** ${formatDuration(summary.phases.reduce((sum, p) => sum + p.seconds, 0))}`,
  ].filter((line) => line !== '');
  const sections = [
    `# Fine-tuning run ${summary.runId}`,
    facts.join(' · '),
    summary.message ? `> ${summary.message}` : '',
    warningsSection(summary.warnings ?? []),
    '## Pipeline',
    '```mermaid\n' + mermaidFlowchart(stages) + '\n```',
    stages.map((s, i) => `${i + 1}. **${s.title}**: ${s.details.join('; ')}`).join('\n'),
    distillSection(summary),
    '## Phases',
    summary.phases.length > 0 ? phaseTable(summary.phases, summary.featureExtraction) : '_No phase has run._',
    '## Training curves',
    records.epochs.length > 0 ? `![Loss per epoch](${charts.loss})\n\n![Accuracy per epoch](${charts.accuracy})` : '_No epoch was recorded._',
    '## Evaluation',
  ];
  const phases = evaluation?.phases ?? [];
  if (phases.length === 0) {
    sections.push(`_No evaluation was recorded for this run (${RUN_FILES.evaluation} is missing)._`);
  } else {
    if (phases.length > 1) sections.push(evaluationByPhase(phases));
    sections.push(evaluationSection(phases[phases.length - 1], records.runDir));
  }
  if (evaluation?.test) {
    // Apart from validation: the test set chose nothing (no early stopping, no kept epoch), so it is the unbiased number.
    sections.push('## Test set', 'Held out by `data.testSplit`: never trained on, not used to stop early or pick the kept weights; evaluated once at the end.');
    sections.push(evaluationSection(evaluation.test, records.runDir, 8, 'test'));
  }
  sections.push(`---
_Written by Fine-Tune Guide from ${RUN_FILES.summary}, ${RUN_FILES.metrics} and ${RUN_FILES.evaluation}; ${formatParams(summary.phases[0]?.totalParams)} parameters in the adapted model._`);
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}
