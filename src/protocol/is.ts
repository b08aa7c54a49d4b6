/**
 * Small type guards the protocol validators share (host requests, training events). A message that
 * crossed a process boundary is `unknown` until one of these says otherwise. Pure, no imports.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

/** True when `value` is one of `options` (a string-literal union's values). */
export function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

/** A few words for an error message: what arrived instead. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}

export type FieldKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string|null';

/** Field kind -> guard; 'number' means finite (a NaN/Infinity is a bug unless the caller allows it). */
const fieldGuards: Record<FieldKind, (value: unknown) => boolean> = {
  string: isString,
  number: isFiniteNumber,
  boolean: (v) => typeof v === 'boolean',
  object: isRecord,
  array: Array.isArray,
  'string|null': (v) => v === null || isString(v),
};

/**
 * The first field of `value` that is not of its kind, as a sentence naming `what` and the field;
 * null when all match. `allow` accepts extra values for a field (e.g. a diverged loss).
 */
export function fieldProblem(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, FieldKind>>,
  what: string,
  allow: (name: string, value: unknown) => boolean = () => false,
): string | null {
  for (const [name, kind] of Object.entries(fields)) {
    const v = value[name];
    if (!fieldGuards[kind](v) && !allow(name, v)) return `${what} field "${name}" should be ${kind}, got ${describe(v)}`;
  }
  return null;
}
