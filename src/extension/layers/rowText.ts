/**
 * The words of the Layers view's rows: a block's short description and the Markdown tooltips of
 * layers and blocks (class, output shape, parameters, trainable in each phase, BatchNorm mode).
 * Pure, no vscode: the tree items wrap these strings.
 */
import type { LayerInfo } from '../../protocol/host';
import { formatParams } from '../../shared/format';
import { formatShape, sumParams, type BlockRow } from './layerGroups';

/** One phase's plan as the rows read it; `trainable` is undefined when the plan names a layer the model lacks. */
export interface PhasePlan {
  readonly name: string;
  readonly trainable: ReadonlySet<string> | undefined;
  readonly batchNorm: 'inference' | 'train';
}

export interface RowContext {
  /** The selected phase's trainable layers (what the checkboxes show). */
  readonly trainable: ReadonlySet<string>;
  readonly batchNorm: 'inference' | 'train';
  /** Inspect mode (a bare model.json): no checkboxes, no freeze menu. */
  readonly readOnly: boolean;
  /** Every phase's plan, for the tooltips (empty in inspect mode). */
  readonly phases: readonly PhasePlan[];
  readonly selectedPhase: number;
}

/** Weighted layers of a block that train under `trainable`, of how many. */
export function trainableCount(layers: readonly LayerInfo[], trainable: ReadonlySet<string>): { on: number; of: number } {
  const weighted = layers.filter((l) => l.params > 0);
  return { on: weighted.filter((l) => trainable.has(l.name)).length, of: weighted.length };
}

/** "5.6k · 3/9 trainable": parameters, then how many of its weighted layers train; short, the side bar cuts it. */
export function describeBlock(row: BlockRow, ctx: Pick<RowContext, 'trainable' | 'readOnly'>): string {
  const params = formatParams(sumParams(row.layers));
  const { on, of } = trainableCount(row.layers, ctx.trainable);
  if (ctx.readOnly || of === 0) return `${params} · ${row.layers.length} layers`;
  return `${params} · ${on}/${of} trainable`;
}

const escape = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

function batchNormMode(trainable: boolean, batchNorm: 'inference' | 'train'): string {
  return trainable && batchNorm === 'train' ? 'training mode (batch statistics; moving averages update)' : 'inference mode (moving averages, never updated)';
}

/** Markdown lines "phase: trainable/frozen" for a layer, the selected phase marked. */
function phaseLines(ctx: RowContext, state: (plan: PhasePlan) => string): string[] {
  if (ctx.readOnly || ctx.phases.length === 0) return [];
  return [
    '',
    '| Phase | Trainable |',
    '|---|---|',
    ...ctx.phases.map((plan, i) => `| ${i === ctx.selectedPhase ? '**▸ ' : ''}${i + 1}. ${escape(plan.name)}${i === ctx.selectedPhase ? '**' : ''} | ${state(plan)} |`),
  ];
}

/** A layer's tooltip: what it is, its shape and weights, and whether each phase trains it. */
export function layerTooltipText(layer: LayerInfo, ctx: RowContext): string {
  const lines = [
    `**${escape(layer.name)}** — ${escape(layer.className)}${layer.isNew ? ' — *new head layer* (trained from scratch)' : ''}`,
    '',
    `Output shape: \`${formatShape(layer.outputShape) || 'scalar'}\`  `,
    `Parameters: ${formatParams(layer.params)}${layer.params > 0 && layer.trainableParams !== layer.params ? ` (${formatParams(layer.trainableParams)} can train; BatchNorm's moving statistics never do)` : ''}  `,
  ];
  if (layer.isBatchNorm) lines.push(`BatchNorm in the selected phase: ${batchNormMode(ctx.trainable.has(layer.name), ctx.batchNorm)}  `);
  if (layer.params === 0) return [...lines, 'No weights: freezing it changes nothing.'].join('\n');
  lines.push(
    ...phaseLines(ctx, (plan) => {
      if (!plan.trainable) return 'plan names an unknown layer';
      const on = plan.trainable.has(layer.name);
      return `${on ? 'trains' : 'frozen'}${layer.isBatchNorm ? `, BatchNorm ${on && plan.batchNorm === 'train' ? 'training' : 'inference'}` : ''}`;
    }),
  );
  return lines.join('\n');
}

/** A block's tooltip: its layers, parameters, and how much of it each phase trains. */
export function blockTooltipText(row: BlockRow, ctx: RowContext): string {
  const classes = [...new Set(row.layers.map((l) => l.className))];
  const batchNorms = row.layers.filter((l) => l.isBatchNorm).length;
  const lines = [
    `**${escape(row.block)}** — block of ${row.layers.length} layers${row.layers.some((l) => l.isNew) ? ' — *new head*' : ''}`,
    '',
    `Layers: ${escape(classes.join(', '))}  `,
    `Output shape: \`${formatShape(row.layers[row.layers.length - 1].outputShape) || 'scalar'}\`  `,
    `Parameters: ${formatParams(sumParams(row.layers))}  `,
  ];
  if (batchNorms > 0) {
    const anyTrains = row.layers.some((l) => l.isBatchNorm && ctx.trainable.has(l.name));
    lines.push(`BatchNorm (${batchNorms}) in the selected phase: ${batchNormMode(anyTrains, ctx.batchNorm)}  `);
  }
  lines.push(
    ...phaseLines(ctx, (plan) => {
      if (!plan.trainable) return 'plan names an unknown layer';
      const { on, of } = trainableCount(row.layers, plan.trainable);
      return on === of ? `trains (all ${of})` : on === 0 ? 'frozen' : `partly: ${on} of ${of} layers train`;
    }),
  );
  if (!ctx.readOnly) lines.push('', 'The checkbox trains or freezes the whole block in the selected phase.');
  return lines.join('\n');
}
