/**
 * Every problem of a finetune.json's text with the span of the bad value, in plain words, and its
 * fix where one is known. The checks are the engine's (parse, duplicate keys, schema and recipe
 * checks, unknown layer names of the freeze plans); this file only places them in the text. Pure, no vscode.
 */
import { findNodeAtLocation, parse, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { parseProjectText } from '../../engine/config/parseText';
import { parseErrorWords } from '../../engine/config/parseErrorWords';
import { configProblems } from '../../engine/config/validate';
import { resolveTrainable, type FreezeLayer } from '../../engine/model/freeze';
import type { TrainableSpec } from '../../protocol/config';
import { isUserError } from '../../shared/userError';
import { clampIntoBounds } from './clamp';
import { parseFieldPath, spanOfField, type TextSpan } from './fieldRange';
import { nearestName } from './nearestName';

/** A replacement of the problem's span that fixes it. */
export interface ProblemFix {
  /** What the quick-fix menu says, e.g. `Change to "block_16_project"`. */
  readonly title: string;
  readonly newText: string;
}

export interface FileProblem {
  readonly span: TextSpan;
  /** Plain words, starting with the field when there is one. */
  readonly message: string;
  /** The field path (`phases[1].learningRate`), when the problem has one. */
  readonly field?: string;
  readonly fix?: ProblemFix;
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/**
 * The problems of `text` (the file `file`), first those that stop the rest: syntax, then duplicate
 * keys, then the schema and recipe; with `layers` (the prepared model's, when known) also the layer
 * names the freeze plans give that the model does not have.
 */
export function projectProblems(text: string, file: string, layers?: readonly FreezeLayer[]): FileProblem[] {
  // A byte-order mark read as a space: the same offsets as the document.
  const body = text.replace(/^\uFEFF/, ' ');
  if (body.trim() === '') return [{ span: { offset: 0, length: 0 }, message: 'finetune.json is empty; run "Fine-Tune: New Project" to create one.' }];
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, PARSE_OPTIONS);
  // One error per place: after a stray comma jsonc-parser reports both "property name" and "value" expected there.
  if (errors.length > 0 || !root) return errors.filter((e, i) => errors.findIndex((f) => f.offset === e.offset) === i).map(syntaxProblem);
  try {
    parseProjectText(body, file);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return [{ span: spanOfDuplicate(root, error.field), message: error.reason, field: error.field }];
  }
  const data: unknown = parse(body, [], PARSE_OPTIONS);
  const problems = configProblems(data).map((problem): FileProblem => {
    const span = spanOfField(root, problem.field);
    const value = numberAt(root, problem.field);
    const clamped = problem.bounds && value !== undefined ? clampIntoBounds(value, problem.bounds) : undefined;
    return {
      span,
      field: problem.field,
      message: problem.field === '(root)' ? problem.message : `${problem.field}: ${problem.message}`,
      fix: clamped === undefined ? undefined : { title: `Change to ${clamped}`, newText: String(clamped) },
    };
  });
  if (problems.length > 0 || !layers || layers.length === 0) return problems;
  return layerNameProblems(root, data, file, layers);
}

function syntaxProblem(error: ParseError): FileProblem {
  return { span: { offset: error.offset, length: Math.max(1, error.length) }, message: `Not valid JSON: ${parseErrorWords(error.error)}.` };
}

/** The engine names the key given twice; the second one is the one to underline (the one JSON keeps). */
function spanOfDuplicate(root: Node, field: string | undefined): TextSpan {
  if (!field) return { offset: root.offset, length: 1 };
  const path = parseFieldPath(field);
  const parent = findNodeAtLocation(root, path.slice(0, -1));
  const key = parent?.children?.filter((p) => p.type === 'property' && p.children?.[0]?.value === path.at(-1)).at(-1)?.children?.[0];
  return key ? { offset: key.offset, length: key.length } : spanOfField(root, field);
}

/** The number at `field`, when the value there is a number. */
function numberAt(root: Node, field: string): number | undefined {
  const node = findNodeAtLocation(root, parseFieldPath(field));
  return node?.type === 'number' && typeof node.value === 'number' ? node.value : undefined;
}

/** Each layer name of each phase's plan that the model lacks, with the nearest real name as the fix. */
function layerNameProblems(root: Node, data: unknown, file: string, layers: readonly FreezeLayer[]): FileProblem[] {
  const phases = (data as { phases: readonly { trainable: TrainableSpec }[] }).phases;
  const names = layers.map((l) => l.name);
  const problems: FileProblem[] = [];
  phases.forEach((phase, index) => {
    const spec = phase.trainable;
    const field = `phases[${index}].trainable`;
    const named: { name: string; field: string; spec: TrainableSpec }[] =
      typeof spec === 'object' && 'fromLayer' in spec
        ? [{ name: spec.fromLayer, field: `${field}.fromLayer`, spec }]
        : typeof spec === 'object' && 'layers' in spec
          ? spec.layers.map((name, j) => ({ name, field: `${field}.layers[${j}]`, spec: { layers: [name] } }))
          : [];
    for (const one of named) {
      try {
        resolveTrainable(layers, one.spec, { file, field });
      } catch (error) {
        if (!isUserError(error)) throw error;
        const span = spanOfField(root, one.field);
        const nearest = nearestName(one.name, names);
        problems.push({
          span,
          field: one.field,
          message: `${one.field}: ${error.reason}`,
          fix: nearest === undefined ? undefined : { title: `Change to "${nearest}"`, newText: JSON.stringify(nearest) },
        });
      }
    }
  });
  return problems;
}
