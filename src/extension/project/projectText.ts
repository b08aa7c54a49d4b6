/**
 * Reads and edits the parts of finetune.json the layer tree needs, on the file's text. Edits go through
 * jsonc-parser's `modify` so comments, key order and the user's indentation survive. Pure, no vscode.
 */
import { modify, parse, type EditResult, type FormattingOptions, type ParseError } from 'jsonc-parser';
import type { TrainableSpec } from '../../protocol/config';
import { UserError } from '../../shared/userError';
import { parseErrorWords } from '../../engine/config/parseErrorWords';

/** What the tree shows per phase. */
export interface PhaseView {
  readonly name: string;
  readonly trainable: TrainableSpec;
  readonly batchNorm: 'inference' | 'train';
}

export interface ProjectView {
  readonly phases: readonly PhaseView[];
  /** The parts that change the prepared model's layers; when this changes the tree re-inspects. */
  readonly modelKey: string;
}

/** Parses finetune.json text leniently (comments, trailing commas) and checks the fields the tree uses. */
export function readProjectView(text: string, file: string): ProjectView {
  const errors: ParseError[] = [];
  // A UTF-8 byte-order mark (Windows editors) read as a space: same offsets, and edits keep it.
  const root: unknown = parse(text.replace(/^\uFEFF/, ' '), errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const { line, column } = positionOf(text, errors[0].offset);
    throw new UserError(
      `is not valid JSON at line ${line}, column ${column} (${parseErrorWords(errors[0].error)}).`,
      file,
      'Fix the syntax there; the layer tree updates when the file is valid again.',
    );
  }
  if (!isRecord(root)) throw new UserError('must contain a JSON object.', file, 'Start from "Fine-Tune: New Project".');
  const phases = root.phases;
  if (!Array.isArray(phases) || phases.length === 0) {
    throw new UserError('has no phases.', file, 'Add at least one phase, e.g. { "name": "head", "trainable": "head", ... }.', 'phases');
  }
  return {
    phases: phases.map((phase, index) => readPhase(phase, index, file)),
    modelKey: JSON.stringify([root.model, root.head]),
  };
}

function readPhase(phase: unknown, index: number, file: string): PhaseView {
  const field = `phases[${index}]`;
  if (!isRecord(phase)) throw new UserError('must be an object.', file, 'Give each phase a name, epochs and trainable.', field);
  const name = typeof phase.name === 'string' && phase.name !== '' ? phase.name : `phase ${index + 1}`;
  const batchNorm = phase.batchNorm === 'train' ? 'train' : 'inference';
  return { name, trainable: readTrainable(phase.trainable, file, `${field}.trainable`), batchNorm };
}

function readTrainable(value: unknown, file: string, field: string): TrainableSpec {
  if (value === 'head' || value === 'all') return value;
  if (isRecord(value)) {
    if (typeof value.fromLayer === 'string') return { fromLayer: value.fromLayer };
    if (typeof value.lastBlocks === 'number' && value.lastBlocks >= 0) return { lastBlocks: value.lastBlocks };
    if (Array.isArray(value.layers) && value.layers.every((n) => typeof n === 'string')) return { layers: value.layers };
  }
  throw new UserError(
    `has an unknown value ${JSON.stringify(value)}.`,
    file,
    'Use "head", "all", { "fromLayer": "<name>" }, { "lastBlocks": <n> } or { "layers": [<names>] }.',
    field,
  );
}

/** The minimal text edits that set `phases[index].trainable` (for a WorkspaceEdit, so Undo works). */
export function trainableEdits(text: string, phaseIndex: number, spec: TrainableSpec): EditResult {
  return modify(text, ['phases', phaseIndex, 'trainable'], spec, { formattingOptions: detectFormatting(text) });
}

/**
 * The minimal text edits that set `phases[index].learningRate` to `rate` (the learning-rate finder's
 * suggestion). Discriminative rates `{ from, to }` keep their spread: `to` becomes `rate` and `from`
 * moves by the same factor.
 */
export function learningRateEdits(text: string, phaseIndex: number, rate: number): EditResult {
  const root: unknown = parse(text.replace(/^\uFEFF/, ' '), [], { allowTrailingComma: true });
  const phase = isRecord(root) && Array.isArray(root.phases) ? (root.phases[phaseIndex] as unknown) : undefined;
  const current = isRecord(phase) ? phase.learningRate : undefined;
  const options = { formattingOptions: detectFormatting(text) };
  if (isRecord(current) && typeof current.from === 'number' && typeof current.to === 'number' && current.to > 0) {
    const from = Number((current.from * (rate / current.to)).toPrecision(2));
    return [
      ...modify(text, ['phases', phaseIndex, 'learningRate', 'from'], from, options),
      ...modify(text, ['phases', phaseIndex, 'learningRate', 'to'], rate, options),
    ];
  }
  return modify(text, ['phases', phaseIndex, 'learningRate'], rate, options);
}

/** The indentation and line ending the file already uses, so inserted JSON looks like the rest. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = [...text.matchAll(/^([ \t]+)\S/gm)].map((m) => m[1]);
  if (indents.some((i) => i.startsWith('\t'))) return { insertSpaces: false, tabSize: 1, eol };
  const sizes = indents.map((i) => i.length).filter((n) => n > 0);
  const tabSize = sizes.length > 0 ? Math.min(...sizes) : 2;
  return { insertSpaces: true, tabSize, eol };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r?\n/);
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
