/**
 * The fine-tuning pipeline of a run as stages with their numbers, and as a Mermaid flowchart
 * (rendered by GitHub; VS Code's preview needs a Mermaid extension, so the report also lists the stages).
 */
import type { PhaseSummary } from '../../protocol/run';
import { distillComparison, distillFactText, distillRows } from '../../shared/distillFacts';
import { formatParams, formatPercent, formatPoints, formatRate } from '../../shared/format';
import { stageOfPhase, stageTitle } from '../../shared/pipelineStages';
import type { RunRecords } from './runRecords';

export interface PipelineStage {
  readonly id: string;
  readonly title: string;
  readonly details: readonly string[];
}

/** The shared stage model (src/shared/pipelineStages.ts), one node per phase so each shows its numbers. */
export function pipelineStages(records: RunRecords): PipelineStage[] {
  const { summary, manifest } = records;
  const phases = summary.phases;
  const first: PhaseSummary | undefined = phases[0];
  const size = manifest.inputSize;
  const stages: PipelineStage[] = [
    {
      id: 'base',
      title: stageTitle('base'),
      details: [manifest.base ?? 'base model', size ? `input ${size}×${size}×3` : ''],
    },
    {
      id: 'adjust',
      title: stageTitle('adjust'),
      details: [
        manifest.cutLayer ? `cut after ${manifest.cutLayer}` : '',
        `new head: ${headText(records)} → ${summary.classes.length} classes`,
        first ? `${formatParams(first.totalParams)} params` : '',
      ],
    },
  ];
  if (first) {
    stages.push({
      id: 'freeze',
      title: stageTitle('freeze'),
      details: [`${formatParams(first.totalParams - first.trainableParams)} params frozen`, `${formatParams(first.trainableParams)} trainable`],
    });
  }
  phases.forEach((phase, i) => {
    stages.push({ id: `phase${i}`, title: `${stageTitle(stageOfPhase(i))}: ${phase.name}`, details: phaseDetails(phase, phases[i - 1]) });
  });
  stages.push({
    id: 'export',
    title: stageTitle('export'),
    details: [`val accuracy ${formatPercent(summary.valAccuracy)}`, `run ${summary.status}`],
  });
  const distill = distillRows(summary);
  if (distill.length > 0) {
    const teacher = distill.find((row) => row.label === 'Teacher');
    const student = distill.find((row) => row.label === 'Student');
    stages.push({
      id: 'distill',
      title: stageTitle('distill'),
      details: [...distill.map((row) => `${row.label.toLowerCase()}: ${distillFactText(row.facts)}`), teacher && student ? distillComparison(teacher.facts, student.facts) : ''],
    });
  }
  return stages.map((s) => ({ ...s, details: s.details.filter((d) => d !== '') }));
}

function phaseDetails(phase: PhaseSummary, previous: PhaseSummary | undefined): string[] {
  const details = [
    `${formatParams(phase.trainableParams)} trainable params`,
    `${phase.epochsRun}/${phase.epochsPlanned} epochs, lr ${formatRate(phase.learningRate)}`,
    `val accuracy ${formatPercent(phase.valAccuracy)}${previous ? ` (${formatPoints(phase.valAccuracy - previous.valAccuracy)})` : ''}`,
  ];
  if (phase.status !== 'done') details.push(`status: ${phase.status}`);
  return details;
}

function headText(records: RunRecords): string {
  const head = records.manifest.head;
  if (!head) return 'classifier';
  const parts = [head.pooling ? `${head.pooling} pooling` : '', ...(head.hiddenUnits ?? []).map((u) => `dense ${u}`)];
  if (head.dropout) parts.push(`dropout ${head.dropout}`);
  return parts.filter((p) => p !== '').join(', ') || 'classifier';
}

/** A Mermaid `flowchart` block (without the fence). */
export function mermaidFlowchart(stages: readonly PipelineStage[]): string {
  const lines = ['flowchart LR'];
  for (const stage of stages) {
    const label = [`<b>${escapeMermaid(stage.title)}</b>`, ...stage.details.map(escapeMermaid)].join('<br/>');
    lines.push(`  ${stage.id}["${label}"]`);
  }
  lines.push(`  ${stages.map((s) => s.id).join(' --> ')}`);
  return lines.join('\n');
}

/** Mermaid labels are quoted: quotes, ampersands and angle brackets become Mermaid entity codes. */
function escapeMermaid(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
