/** The run's loss and accuracy per epoch across phases, as PNG files (SVG rasterised by sharp). */
import sharp from 'sharp';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EpochMetrics } from '../../protocol/run';
import { CHART_FILES, chartLink, chartsDirOf } from '../../runs';
import { writeFileAtomic } from '../../runs/atomicFile';
import { CHART_COLORS, lineChartSvg, type ChartRegion, type ChartSeries } from './lineChart';

export const CHART_SIZE = { width: 960, height: 420 } as const;

export interface ChartFiles {
  /** Paths relative to the run folder, with `/`. */
  readonly loss: string;
  readonly accuracy: string;
}

/** Epoch rows laid end to end: phase after phase, a running epoch number on x. */
export function epochAxis(epochs: readonly EpochMetrics[]): { rows: { x: number; row: EpochMetrics }[]; regions: ChartRegion[] } {
  const rows: { x: number; row: EpochMetrics }[] = [];
  const regions: ChartRegion[] = [];
  // A resumed run may repeat an epoch: the last row written for (phase, epoch) wins.
  const latest = new Map<string, EpochMetrics>();
  for (const row of epochs) latest.set(`${row.phaseIndex}:${row.epoch}`, row);
  const ordered = [...latest.values()].sort((a, b) => a.phaseIndex - b.phaseIndex || a.epoch - b.epoch);
  for (const row of ordered) {
    const x = rows.length + 1;
    rows.push({ x, row });
    const region = regions[regions.length - 1];
    if (region && region.label === row.phase) regions[regions.length - 1] = { ...region, to: x };
    else regions.push({ label: row.phase, from: x, to: x });
  }
  return { rows, regions };
}

/** Draws loss.png and accuracy.png into `<runDir>/charts/`. */
export async function writeCharts(runDir: string, epochs: readonly EpochMetrics[]): Promise<ChartFiles> {
  const folder = chartsDirOf(runDir);
  await fs.mkdir(folder, { recursive: true });
  const { rows, regions } = epochAxis(epochs);
  const series = (label: string, color: string, pick: (r: EpochMetrics) => number, dashed = false): ChartSeries => ({
    label,
    color,
    dashed,
    points: rows.map(({ x, row }) => ({ x, y: pick(row) })),
  });
  const common = { xLabel: 'epoch (all phases)', regions, ...CHART_SIZE };
  const loss = lineChartSvg({
    ...common,
    title: 'Loss per epoch',
    yLabel: 'loss',
    series: [series('training', CHART_COLORS.train, (r) => r.loss, true), series('validation', CHART_COLORS.validation, (r) => r.val_loss)],
    formatY: (v) => v.toFixed(2),
  });
  const accuracy = lineChartSvg({
    ...common,
    title: 'Accuracy per epoch',
    yLabel: 'accuracy',
    series: [series('training', CHART_COLORS.train, (r) => r.accuracy, true), series('validation', CHART_COLORS.validation, (r) => r.val_accuracy)],
    yRange: [accuracyFloor(rows.map(({ row }) => Math.min(row.accuracy, row.val_accuracy))), 1],
    formatY: (v) => `${Math.round(v * 100)}%`,
  });
  await writePng(path.join(folder, CHART_FILES.loss), loss);
  await writePng(path.join(folder, CHART_FILES.accuracy), accuracy);
  return { loss: chartLink('loss'), accuracy: chartLink('accuracy') };
}

/** Lowest tenth below the data, so high accuracies are not squeezed against the top edge. */
function accuracyFloor(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? 0 : Math.max(0, Math.floor(Math.min(...finite) * 10) / 10);
}

async function writePng(file: string, svg: string): Promise<void> {
  await writeFileAtomic(file, await sharp(Buffer.from(svg)).png().toBuffer());
}
