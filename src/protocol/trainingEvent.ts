/**
 * The validator beside `TrainingEvent` (run.ts): what the host streams is checked before the extension
 * or the panel uses it, so a malformed event (a bug, a stray write on the IPC channel, a different host
 * version) is logged and dropped, never trusted.
 */
import { fieldProblem, isOneOf, isRecord, describe, type FieldKind } from './is';
import type { RunStatus, TrainingEvent } from './run';

/** Required fields per event type (the ones the extension and panel read). */
const eventFields: Record<TrainingEvent['type'], Record<string, FieldKind>> = {
  run: { runId: 'string', runDir: 'string', backend: 'string', classes: 'array', phases: 'array', model: 'object', resumedFrom: 'string|null' },
  phase: { phase: 'string', phaseIndex: 'number', plan: 'object', backend: 'string' },
  batch: { phase: 'string', phaseIndex: 'number', epoch: 'number', batch: 'number', batchesPerEpoch: 'number', loss: 'number', accuracy: 'number', lr: 'number', seconds: 'number' },
  epoch: { phase: 'string', phaseIndex: 'number', epoch: 'number', epochs: 'number', loss: 'number', accuracy: 'number', val_loss: 'number', val_accuracy: 'number', lr: 'number', seconds: 'number', imagesPerSecond: 'number' },
  phaseEnd: { phaseIndex: 'number', summary: 'object' },
  warning: { message: 'string' },
  log: { level: 'string', message: 'string' },
  done: { runDir: 'string', status: 'string', summary: 'object' },
};

export const runStatuses: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];

/** The event if it has the shape its `type` promises, else a one-line reason. */
export function parseTrainingEvent(value: unknown): { event: TrainingEvent } | { problem: string } {
  if (!isRecord(value)) return { problem: `event is ${describe(value)}, not an object` };
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(eventFields, type)) return { problem: `unknown event type ${JSON.stringify(type)}` };
  const problem = fieldProblem(value, eventFields[type as TrainingEvent['type']], `${type} event`, isDivergedMetric);
  if (problem) return { problem };
  if (type === 'done' && !isOneOf(value.status, runStatuses)) return { problem: `done event has unknown status ${JSON.stringify(value.status)}` };
  if (type === 'log' && value.level !== 'info' && value.level !== 'debug') return { problem: `log event has unknown level ${JSON.stringify(value.level)}` };
  if (type === 'run' && value.resumedAt !== undefined && !isResumePoint(value.resumedAt)) return { problem: 'run event has a resumedAt that is not { phaseIndex, epoch, batch }' };
  // The shape was checked field by field above; JSON carries a NaN/Infinity loss as null.
  const event = type === 'batch' || type === 'epoch' ? restoreNonFinite(value) : value;
  return { event: event as unknown as TrainingEvent };
}

function isResumePoint(value: unknown): boolean {
  return isRecord(value) && ['phaseIndex', 'epoch', 'batch'].every((key) => Number.isInteger(value[key]) && (value[key] as number) >= 0);
}

function restoreNonFinite(value: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...value };
  for (const name of Object.keys(copy)) if (isMetric(name) && copy[name] === null) copy[name] = Number.NaN;
  return copy;
}

/** A diverging loss is a real value to show (the engine stops on it), not a malformed message. */
function isDivergedMetric(name: string, value: unknown): boolean {
  return isMetric(name) && (value === null || typeof value === 'number');
}

function isMetric(name: string): boolean {
  return name === 'loss' || name === 'val_loss' || name === 'accuracy' || name === 'val_accuracy';
}
