/**
 * Parses a project file's text: JSONC (comments and trailing commas allowed), a byte-order mark
 * ignored, a key given twice refused. Errors are `UserError`s in plain words with line and column.
 */
import { parse, visit, type ParseError } from 'jsonc-parser';
import { UserError } from '../../shared/userError';
import { fieldPath } from './messages';
import { parseErrorWords } from './parseErrorWords';

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

/** Parses JSONC; a syntax error names line and column. */
export function parseProjectText(withBom: string, file: string): unknown {
  // Windows editors may save a UTF-8 byte-order mark; it is no part of the JSON.
  const text = withBom.startsWith('\uFEFF') ? withBom.slice(1) : withBom;
  if (text.trim() === '') throw new UserError('is empty.', file, 'Run `finetune-guide init` to create a project file.');
  const errors: ParseError[] = [];
  const data: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new UserError(
      `syntax error at line ${line}, column ${column}: ${parseErrorWords(first.error)}.`,
      file,
      'Fix the JSON there (a missing comma, quote or bracket is the usual cause).',
      `${line}:${column}`,
    );
  }
  refuseDuplicateKeys(text, file);
  return data;
}

/** A key given twice in one object: JSON parsers keep the last silently, so the user's edit may be the one ignored. */
function refuseDuplicateKeys(text: string, file: string): void {
  const objects: { path: string; keys: Set<string> }[] = [];
  let duplicate: { key: string; path: string; offset: number } | undefined;
  visit(text, {
    onObjectBegin: (_offset, _length, _line, _column, pathSupplier) => {
      objects.push({ path: fieldPath(pathSupplier().map((part) => `/${String(part)}`).join('')), keys: new Set() });
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, offset) => {
      const current = objects[objects.length - 1];
      if (!current || duplicate) return;
      if (current.keys.has(key)) duplicate = { key, path: current.path === '(root)' ? key : `${current.path}.${key}`, offset };
      current.keys.add(key);
    },
  }, { allowTrailingComma: true, disallowComments: false });
  if (!duplicate) return;
  const { line, column } = lineAndColumn(text, duplicate.offset);
  throw new UserError(
    `"${duplicate.key}" is given twice in the same object (again at line ${line}, column ${column}); only one of the two values would count.`,
    file,
    'Keep one of them and delete the other.',
    duplicate.path,
  );
}
