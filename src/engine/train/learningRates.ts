/**
 * A phase's configured learning rate read as numbers: one rate, or discriminative rates
 * (`{ from, to }`) spread geometrically over the trained blocks, as fastai's `slice(lo, hi)`
 * (its `even_mults`): block i of n gets from x (to/from)^(i/(n-1)); the last (the head) gets `to`.
 */
import type { LearningRateRange, PhaseConfig } from '../../protocol/config';

/** The head's rate: the number, or the range's `to`. */
export function headRateOf(phase: Pick<PhaseConfig, 'learningRate'>): number {
  const rate = phase.learningRate;
  return typeof rate === 'number' ? rate : rate.to;
}

export function isDiscriminative(rate: PhaseConfig['learningRate']): rate is LearningRateRange {
  return typeof rate === 'object';
}

/** The rates of `count` groups in model order (one group: the head's rate). */
export function groupRates(range: LearningRateRange, count: number): number[] {
  if (count <= 1) return [range.to];
  const step = Math.pow(range.to / range.from, 1 / (count - 1));
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? range.to : range.from * Math.pow(step, i)));
}

/** `0.001` or `1e-5..1e-3`, for logs and messages. */
export function formatLearningRate(rate: PhaseConfig['learningRate']): string {
  return typeof rate === 'number' ? String(rate) : `${rate.from}..${rate.to}`;
}
