/**
 * The registry of built-in models: the one place their facts are read from (defaults, init, paths,
 * block names, pickers, help). Pure, so the extension can import it. To add a model, add a file
 * beside `mobilenetV2.ts` and list it in `REGISTERED`.
 */
import type { BuiltinModel } from './builtinModel';
import { mobilenetV2 } from './mobilenetV2';

export type { BuiltinModel } from './builtinModel';

export const BUILTIN_PREFIX = 'builtin:';

/** Shipped models, the default (New Project's first choice, the demo's model) first. */
const REGISTERED: BuiltinModel[] = [mobilenetV2];

/** The model new projects and the demo use. */
export const DEFAULT_BUILTIN: BuiltinModel = mobilenetV2;

export function builtinModels(): readonly BuiltinModel[] {
  return REGISTERED;
}

/** `builtin:<id>`, as finetune.json and the CLI write it. */
export function builtinRef(model: BuiltinModel): string {
  return `${BUILTIN_PREFIX}${model.id}`;
}

export function isBuiltin(base: string): boolean {
  return base.startsWith(BUILTIN_PREFIX);
}

/** The built-in model a `builtin:<id>` names; undefined for a path or an unknown id. */
export function findBuiltin(base: string): BuiltinModel | undefined {
  return isBuiltin(base) ? REGISTERED.find((model) => builtinRef(model) === base) : undefined;
}

/** "builtin:mobilenet_v2" (or "builtin:a | builtin:b"), for usage lines and messages. */
export function builtinRefsText(separator = ' | '): string {
  return REGISTERED.map(builtinRef).join(separator);
}

/** Adds a model at run time (the tests add a tiny one); returns the function that removes it again. */
export function registerBuiltinModel(model: BuiltinModel): () => void {
  if (REGISTERED.some((known) => known.id === model.id)) throw new Error(`a built-in model "${model.id}" is already registered`);
  REGISTERED.push(model);
  return () => {
    const index = REGISTERED.indexOf(model);
    if (index >= 0) REGISTERED.splice(index, 1);
  };
}
