/** Where the shipped assets are, both from the sources (tsx) and from the bundles in `dist/`. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../shared/userError';
import { builtinRefsText, findBuiltin, isBuiltin } from './builtins';

let root: string | undefined;

/** The package root: the nearest ancestor of this file that holds `assets/models`. */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'assets', 'models'))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package's assets folder above ${__dirname}`);
    dir = parent;
  }
}

/** `builtin:...` -> the shipped model.json; anything else resolved against `baseDir`. */
export function resolveModelPath(base: string, baseDir: string): string {
  if (!isBuiltin(base)) return path.resolve(baseDir, base);
  const builtin = findBuiltin(base);
  if (!builtin) {
    throw new UserError(`"${base}" is not a built-in model.`, base, `Use ${builtinRefsText(' or ')}, or a path to a model file.`);
  }
  return path.resolve(packageRoot(), builtin.asset);
}
