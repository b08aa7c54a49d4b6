/**
 * The compiled validator for `finetune.json`. The same schema file is contributed to the editor, so
 * what the editor flags and what the engine rejects never disagree.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from './finetune.schema.json';

export { schema as projectSchema };

let compiled: ValidateFunction | undefined;

/** Validates in place and fills schema defaults into `data` (ajv `useDefaults`). */
export function validateProjectJson(data: unknown): readonly ErrorObject[] {
  compiled ??= new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: true }).compile(schema);
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}
