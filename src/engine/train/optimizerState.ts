/**
 * An optimizer's state in and out of a checkpoint: Adam's and RMSprop's moments and the step count
 * (tfjs `getWeights`/`setWeights`), plus Adam's running powers of beta1 and beta2. tfjs' `setWeights`
 * recomputes those powers as beta^(t+1) with `pow`, while the uninterrupted run multiplied them step by
 * step; the two can differ in the last bits on some backends, so the saved values are put back as they were.
 */
import * as tf from '@tensorflow/tfjs';
import { isGrouped, type GroupedOptimizer } from './groupedOptimizer';
import type { NamedTensor } from './weightsFile';

/** Names of the extra tensors (never a tfjs slot name: those end in /m, /v, /rms, /momentum or /mg). */
const BETA_POWERS = ['accBeta1', 'accBeta2'] as const;
const EXTRA_PREFIX = 'finetune-guide:';

/** Adam keeps its running beta powers in private variables; they are read and written here only. */
type WithBetaPowers = { [K in (typeof BETA_POWERS)[number]]?: tf.Variable };

/** A group optimizer's entries (discriminative rates) carry its group's index: `finetune-guide-group3:<name>`. */
const GROUP_ENTRY = /^finetune-guide-group(\d+):(.*)$/s;

/** Copies of the optimizer's state, every group's for a grouped optimizer (the caller disposes them). */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  if (isGrouped(optimizer)) {
    const parts = await Promise.all(optimizer.groups.map(async (group, i) =>
      (await readPlainState(group.optimizer)).map(({ name, tensor }) => ({ name: `finetune-guide-group${i}:${name}`, tensor }))));
    return parts.flat();
  }
  return readPlainState(optimizer);
}

/** The entries of group `index`, with their own names back. */
function groupState(state: readonly NamedTensor[], index: number): NamedTensor[] {
  return state.flatMap(({ name, tensor }) => {
    const match = GROUP_ENTRY.exec(name);
    return match && Number(match[1]) === index ? [{ name: match[2] as string, tensor }] : [];
  });
}

async function readPlainState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const slots = await optimizer.getWeights();
  // The first entry ('iter') is a new tensor; the others are the optimizer's own variables.
  const copies = slots.map(({ name, tensor }, i) => ({ name, tensor: i === 0 ? tensor : tf.clone(tensor) }));
  const powers = optimizer as unknown as WithBetaPowers;
  for (const key of BETA_POWERS) {
    const variable = powers[key];
    if (variable) copies.push({ name: `${EXTRA_PREFIX}${key}`, tensor: tf.clone(variable) });
  }
  return copies;
}

/**
 * True when saved state fits an optimizer over `trainable` (same count and shapes, in order): a phase
 * whose trainable layers changed since the checkpoint cannot take its moments.
 */
export function optimizerStateFits(state: readonly NamedTensor[], trainable: readonly tf.LayerVariable[], optimizer?: tf.Optimizer): boolean {
  const grouped = state.some(({ name }) => GROUP_ENTRY.test(name));
  if (optimizer && isGrouped(optimizer)) return grouped && groupedStateFits(state, optimizer);
  if (grouped) return false;
  const slots = state.filter(({ name }) => !name.startsWith(EXTRA_PREFIX)).slice(1);
  if (slots.length === 0) return true;
  if (trainable.length === 0 || slots.length % trainable.length !== 0) return false;
  return slots.every(({ tensor }, i) => tf.util.arraysEqual(tensor.shape, trainable[i % trainable.length].shape as number[]));
}

/** Same number of groups, and each group's state fits its variables. */
function groupedStateFits(state: readonly NamedTensor[], optimizer: GroupedOptimizer): boolean {
  const indexes = new Set(state.map(({ name }) => Number(GROUP_ENTRY.exec(name)?.[1] ?? -1)));
  if (indexes.size !== optimizer.groups.length || indexes.has(-1)) return false;
  return optimizer.groups.every((group, i) => optimizerStateFits(groupState(state, i), group.variables));
}

/** Puts saved state into a fresh optimizer (compiled, not stepped yet), group by group for a grouped one. The caller still disposes `state`. */
export async function writeOptimizerState(optimizer: tf.Optimizer, state: readonly NamedTensor[]): Promise<void> {
  if (isGrouped(optimizer)) {
    for (const [i, group] of optimizer.groups.entries()) await writeOptimizerState(group.optimizer, groupState(state, i));
    return;
  }
  // setWeights makes variables sharing the tensors' data (reference-counted): disposing `state` later is safe.
  await optimizer.setWeights(state.filter(({ name }) => !name.startsWith(EXTRA_PREFIX)));
  const powers = optimizer as unknown as WithBetaPowers;
  for (const key of BETA_POWERS) {
    const saved = state.find(({ name }) => name === `${EXTRA_PREFIX}${key}`);
    if (saved && powers[key]) powers[key].assign(saved.tensor);
  }
}
