/**
 * Turns ajv's errors into one sentence per field: the field path, the value, and what is allowed,
 * e.g. `phases[1].learningRate: -0.001 is not allowed; use a number > 0 (typical 1e-5 .. 1e-2)`.
 */
import type { ErrorObject } from 'ajv';

export interface ConfigProblem {
  /** Field path such as `phases[1].learningRate`; `(root)` for the whole file. */
  readonly field: string;
  readonly message: string;
  /** For a number out of its range: the range, so the editor can offer to clamp the value into it. */
  readonly bounds?: NumberBounds;
}

/** The range a number field allows (the schema's keywords). */
export interface NumberBounds {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly integer: boolean;
}

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

function boundsOf(schema: SchemaNode): NumberBounds {
  const num = (key: string): number | undefined => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  return {
    minimum: num('minimum'),
    maximum: num('maximum'),
    exclusiveMinimum: num('exclusiveMinimum'),
    exclusiveMaximum: num('exclusiveMaximum'),
    integer: schema.type === 'integer',
  };
}

/** Typical values, added to range messages where a bare range would not help. */
const typical: Readonly<Record<string, string>> = {
  learningRate: 'typical 1e-5 .. 1e-2',
  batchSize: 'typical 16 .. 64',
  dropout: 'typical 0.2 .. 0.5',
  validationSplit: 'typical 0.2',
  testSplit: 'typical 0.1 .. 0.2; 0 = no test set',
  inputSize: 'typical 96 .. 224',
};

type SchemaNode = Readonly<Record<string, unknown>>;

/** `/phases/1/learningRate` -> `phases[1].learningRate`. */
export function fieldPath(instancePath: string): string {
  if (instancePath === '') return '(root)';
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lastKey(instancePath: string): string {
  return instancePath.split('/').pop() ?? '';
}

/** "a number > 0 and <= 10 (typical ...)" from the bounds in the field's schema. */
function describeRange(schema: SchemaNode, key: string): string {
  const kind = schema.type === 'integer' ? 'a whole number' : 'a number';
  const bounds: string[] = [];
  if (typeof schema.exclusiveMinimum === 'number') bounds.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.minimum === 'number') bounds.push(`>= ${schema.minimum}`);
  if (typeof schema.exclusiveMaximum === 'number') bounds.push(`< ${schema.exclusiveMaximum}`);
  if (typeof schema.maximum === 'number') bounds.push(`<= ${schema.maximum}`);
  const hint = typical[key] ? ` (${typical[key]})` : '';
  return `${kind} ${bounds.join(' and ')}${hint}`.trim();
}

function allowedFor(error: ErrorObject): string {
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const key = lastKey(error.instancePath);
  switch (error.keyword) {
    case 'type': {
      const type = String(error.params.type);
      if (type === 'integer' || type === 'number') return `use ${describeRange(schema, key)}`;
      if (type === 'boolean') return 'use true or false';
      return `use ${type === 'array' ? 'an array' : type === 'object' ? 'an object' : `a ${type}`}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `use ${describeRange(schema, key)}`;
    case 'enum':
      return `use one of ${(error.params.allowedValues as unknown[]).map(showValue).join(', ')}`;
    case 'const':
      return `use ${showValue(error.params.allowedValue)}`;
    case 'minLength':
      return 'use a non-empty string';
    case 'minItems':
      return `use at least ${String(error.params.limit)} item(s)`;
    case 'maxItems':
      return `use at most ${String(error.params.limit)} item(s)`;
    case 'oneOf':
      if (key === 'learningRate') return `use ${describeRange(((schema.oneOf as SchemaNode[] | undefined)?.[0] ?? {}), key)}, or {"from": lo, "to": hi} for discriminative rates`;
      return key === 'trainable'
        ? 'use "head", "all", {"fromLayer": "<layer name>"}, {"lastBlocks": <N>} or {"layers": ["<layer name>", ...]}'
        : 'see the field description';
    case 'uniqueItems':
      return 'list each name once';
    default:
      return typeof schema.description === 'string' ? `expected: ${schema.description}` : (error.message ?? 'see the schema');
  }
}

function problemOf(error: ErrorObject): ConfigProblem {
  if (error.keyword === 'additionalProperties') {
    const extra = String(error.params.additionalProperty);
    const parent = error.instancePath === '' ? '' : `${fieldPath(error.instancePath)}.`;
    const known = Object.keys(((error.parentSchema ?? {}) as SchemaNode).properties ?? {});
    return { field: `${parent}${extra}`, message: `unknown field "${extra}"; remove it or use one of ${known.join(', ')}` };
  }
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const parent = error.instancePath === '' ? '' : `${fieldPath(error.instancePath)}.`;
    return { field: `${parent}${missing}`, message: `is missing; add it` };
  }
  const problem = { field: fieldPath(error.instancePath), message: `${showValue(error.data)} is not allowed; ${allowedFor(error)}` };
  return RANGE_KEYWORDS.has(error.keyword) ? { ...problem, bounds: boundsOf((error.parentSchema ?? {}) as SchemaNode) } : problem;
}

/**
 * For a failed `oneOf` keep only the errors of the branch the user evidently meant (the one whose
 * required key the object has); otherwise one summary message listing every form.
 */
function collapseOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  let kept = [...errors];
  for (const oneOf of oneOfs) {
    // Several phases share one schema path: an error belongs to this oneOf only under its data too.
    const under = (e: ErrorObject, schemaPrefix: string): boolean =>
      e.schemaPath.startsWith(schemaPrefix) && (e.instancePath === oneOf.instancePath || e.instancePath.startsWith(`${oneOf.instancePath}/`));
    const inside = (e: ErrorObject): boolean => e !== oneOf && under(e, `${oneOf.schemaPath}/`);
    const branches = (oneOf.schema ?? []) as readonly SchemaNode[];
    const data = oneOf.data;
    const meant = branches.findIndex(
      (branch) => typeof data === 'object' && data !== null && Array.isArray(branch.required) && branch.required.some((k) => k in data),
    );
    const branchErrors = meant < 0 ? [] : kept.filter((e) => under(e, `${oneOf.schemaPath}/${meant}/`));
    kept = kept.filter((e) => !inside(e) && (branchErrors.length === 0 || e !== oneOf));
    kept.push(...branchErrors);
  }
  return kept;
}

/** One problem per field, in file order. */
export function problemsFromAjv(errors: readonly ErrorObject[]): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of collapseOneOf(errors)) {
    const problem =
      error.keyword === 'oneOf'
        ? {
            field: fieldPath(error.instancePath),
            message: `${showValue(error.data)} is not allowed; ${allowedFor(error)}`,
          }
        : problemOf(error);
    if (seen.has(problem.field)) continue;
    seen.add(problem.field);
    problems.push(problem);
  }
  return problems;
}
