/**
 * Checks what the host process sends before anything uses it: a malformed message (a bug, a stray
 * write to the IPC channel, a different host version) is logged and dropped, never trusted. Pure.
 */
import type { ExportModelResult, ImageTopClasses, InspectResult, LayerInfo, PredictResult, TrainResult } from '../../protocol/host';
import type { PixelRange } from '../../protocol/config';
import type { RunStatus, TrainingEvent } from '../../protocol/run';

type Check = { ok: true } | { ok: false; problem: string };
type Field = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string|null';

/** Required fields per event type (the ones the extension and panel read). */
const eventFields: Record<TrainingEvent['type'], Record<string, Field>> = {
  run: { runId: 'string', runDir: 'string', backend: 'string', classes: 'array', phases: 'array', model: 'object', resumedFrom: 'string|null' },
  phase: { phase: 'string', phaseIndex: 'number', plan: 'object', backend: 'string' },
  batch: { phase: 'string', phaseIndex: 'number', epoch: 'number', batch: 'number', batchesPerEpoch: 'number', loss: 'number', accuracy: 'number', lr: 'number', seconds: 'number' },
  epoch: { phase: 'string', phaseIndex: 'number', epoch: 'number', epochs: 'number', loss: 'number', accuracy: 'number', val_loss: 'number', val_accuracy: 'number', lr: 'number', seconds: 'number', imagesPerSecond: 'number' },
  phaseEnd: { phaseIndex: 'number', summary: 'object' },
  warning: { message: 'string' },
  log: { level: 'string', message: 'string' },
  done: { runDir: 'string', status: 'string', summary: 'object' },
};

const runStatuses: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];

/** The event if it has the shape its `type` promises, else a one-line reason. */
export function parseTrainingEvent(value: unknown): { event: TrainingEvent } | { problem: string } {
  if (!isRecord(value)) return { problem: `event is ${describe(value)}, not an object` };
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(eventFields, type)) return { problem: `unknown event type ${JSON.stringify(type)}` };
  const check = checkFields(value, eventFields[type as TrainingEvent['type']], `${type} event`);
  if (!check.ok) return { problem: check.problem };
  if (type === 'done' && !runStatuses.includes(value.status as RunStatus)) return { problem: `done event has unknown status ${JSON.stringify(value.status)}` };
  if (type === 'log' && value.level !== 'info' && value.level !== 'debug') return { problem: `log event has unknown level ${JSON.stringify(value.level)}` };
  // The shape was checked field by field above; JSON carries a NaN/Infinity loss as null.
  const event = type === 'batch' || type === 'epoch' ? restoreNonFinite(value) : value;
  return { event: event as unknown as TrainingEvent };
}

const layerFields: Record<string, Field> = {
  name: 'string', className: 'string', outputShape: 'array', params: 'number', trainableParams: 'number',
  block: 'string|null', isNew: 'boolean', isBatchNorm: 'boolean',
};

export function parseInspectResult(value: unknown): InspectResult {
  if (!isRecord(value) || !Array.isArray(value.layers) || !isFiniteNumber(value.totalParams)) {
    throw new Error(`host returned a malformed inspect result (${describe(value)})`);
  }
  const bad = (problem: string): Error => new Error(`host returned a malformed inspect result: ${problem}`);
  value.layers.forEach((layer: unknown, index: number) => {
    const check = isRecord(layer) ? checkFields(layer, layerFields, `layer ${index}`) : { ok: false as const, problem: `layer ${index} is ${describe(layer)}` };
    if (!check.ok) throw bad(check.problem);
    const containers = (layer as Record<string, unknown>).containers;
    if (containers !== undefined && !(Array.isArray(containers) && containers.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.className === 'string'))) {
      throw bad(`layer ${index} field "containers" should be [{name, className}], got ${describe(containers)}`);
    }
  });
  const { format, labels, pixelRange } = value;
  if (format !== undefined && typeof format !== 'string') throw bad(`"format" should be a string, got ${describe(format)}`);
  if (labels !== undefined && !(Array.isArray(labels) && labels.every((l) => typeof l === 'string'))) throw bad(`"labels" should be strings, got ${describe(labels)}`);
  if (pixelRange !== undefined && !(isRecord(pixelRange) && pixelRanges.includes(pixelRange.range as PixelRange) && (pixelRange.source === 'stated' || pixelRange.source === 'guessed'))) {
    throw bad(`"pixelRange" should be {range: ${pixelRanges.join(' | ')}, source: stated | guessed}, got ${describe(pixelRange)}`);
  }
  return {
    layers: value.layers as LayerInfo[],
    totalParams: value.totalParams,
    ...(format !== undefined ? { format } : {}),
    ...(labels !== undefined ? { labels: labels as string[] } : {}),
    ...(pixelRange !== undefined ? { pixelRange: pixelRange as unknown as NonNullable<InspectResult['pixelRange']> } : {}),
  };
}

const pixelRanges: readonly PixelRange[] = ['0..1', '-1..1', '0..255'];

export function parseTrainResult(value: unknown): TrainResult {
  if (!isRecord(value) || typeof value.runDir !== 'string' || !runStatuses.includes(value.status as RunStatus)) {
    throw new Error(`host returned a malformed train result (${describe(value)})`);
  }
  return { runDir: value.runDir, status: value.status as RunStatus };
}

/** A predict result with one entry per requested file, each with finite probabilities in [0, 1]. */
export function parsePredictResult(value: unknown, expectedFiles: number): PredictResult {
  const bad = (problem: string): Error => new Error(`host returned a malformed predict result: ${problem}`);
  if (!isRecord(value) || !Array.isArray(value.predictions)) throw bad(`expected {predictions: [...]}, got ${describe(value)}`);
  if (value.predictions.length !== expectedFiles) throw bad(`${value.predictions.length} predictions for ${expectedFiles} images`);
  value.predictions.forEach((prediction: unknown, index: number) => {
    if (!isRecord(prediction) || typeof prediction.file !== 'string' || !Array.isArray(prediction.top)) throw bad(`prediction ${index} is ${describe(prediction)}`);
    prediction.top.forEach((entry: unknown, rank: number) => {
      const ok = isRecord(entry) && typeof entry.label === 'string' && isFiniteNumber(entry.probability) && entry.probability >= 0 && entry.probability <= 1;
      if (!ok) throw bad(`prediction ${index} class ${rank} should be {label, probability in [0, 1]}`);
    });
  });
  return { predictions: value.predictions as ImageTopClasses[] };
}

const verificationInputs = ['images', 'tensors', 'synthetic'];

/** An export result naming its folder, files, classes and a complete verification. */
export function parseExportModelResult(value: unknown): ExportModelResult {
  const bad = (problem: string): Error => new Error(`host returned a malformed export result: ${problem}`);
  if (!isRecord(value)) throw bad(`got ${describe(value)}`);
  const check = checkFields(value, { dir: 'string', files: 'array', classes: 'array', verification: 'object' }, 'export result');
  if (!check.ok) throw bad(check.problem);
  const verification = value.verification as Record<string, unknown>;
  const verified = checkFields(verification, { samples: 'number', maxAbsDifference: 'number', tolerance: 'number' }, 'verification');
  if (!verified.ok) throw bad(verified.problem);
  if (!verificationInputs.includes(verification.inputs as string)) throw bad(`verification inputs ${describe(verification.inputs)}`);
  if (!(value.files as unknown[]).every((f) => typeof f === 'string')) throw bad('files should be strings');
  return value as unknown as ExportModelResult;
}

function checkFields(value: Record<string, unknown>, fields: Record<string, Field>, what: string): Check {
  for (const [name, field] of Object.entries(fields)) {
    const v = value[name];
    const ok =
      field === 'string' ? typeof v === 'string'
      : field === 'number' ? isFiniteNumber(v) || (isMetric(name) && (v === null || typeof v === 'number'))
      : field === 'boolean' ? typeof v === 'boolean'
      : field === 'array' ? Array.isArray(v)
      : field === 'object' ? isRecord(v)
      : v === null || typeof v === 'string';
    if (!ok) return { ok: false, problem: `${what} field "${name}" should be ${field}, got ${describe(v)}` };
  }
  return { ok: true };
}

function restoreNonFinite(value: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...value };
  for (const name of Object.keys(copy)) if (isMetric(name) && copy[name] === null) copy[name] = Number.NaN;
  return copy;
}

/** A diverging loss is a real value to show (the engine stops on it), not a malformed message. */
function isMetric(name: string): boolean {
  return name === 'loss' || name === 'val_loss' || name === 'accuracy' || name === 'val_accuracy';
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}
