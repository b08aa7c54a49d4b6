/**
 * The run folder's file and folder names have one home, src/runs/layout.ts: no other source file spells
 * them in code (a string or template literal, or a literal folder name joined into a path). Comments may
 * still name them. The names come from the layout itself, so a name added there is checked too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { CHART_FILES, CHECKPOINT_STATE, LR_FIND_FILES, LR_FIND_FOLDER, RUN_FILES, RUN_FOLDERS } from '../../src/runs';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const RUNS = path.join(SRC, 'runs');
const FILE_NAMES = [...Object.values(RUN_FILES), CHECKPOINT_STATE, ...Object.values(CHART_FILES), ...Object.values(LR_FIND_FILES)];
const FOLDER_NAMES = new Set<string>([...Object.values(RUN_FOLDERS), LR_FIND_FOLDER]);

/** "line: text" for each literal in `source` that spells a run file name, or joins a run folder name into a path. */
function runNameLiterals(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, text: string): void => {
    found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const name = FILE_NAMES.find((candidate) => node.text.includes(candidate));
      if (name) report(node, name);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['join', 'resolve'].includes(node.expression.name.text)) {
      for (const arg of node.arguments) if (ts.isStringLiteralLike(arg) && FOLDER_NAMES.has(arg.text)) report(arg, `${arg.text}/`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === RUNS ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('run folder names', () => {
  it('appear in no source file outside src/runs', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 50, `scanned ${files.length} files under ${SRC}`);
    const offenders = files.flatMap((file) => runNameLiterals(file, readFileSync(file, 'utf8')).map((hit) => `${path.relative(SRC, file)}:${hit}`));
    assert.deepEqual(offenders, [], `use src/runs (RUN_FILES, runFile, modelDirOf, ...) instead of:\n${offenders.join('\n')}`);
  });

  it('are found in strings, templates and path joins, not in comments', () => {
    const source = [
      '// the manifest.json of a run',
      "const a = path.join(runDir, 'summary.json');",
      'const b = `${runDir}/metrics.jsonl`;',
      "const c = path.join(runDir, 'model');",
      "const d = path.join(runDir, 'models');",
      "const e = { kind: 'model' };",
    ].join('\n');
    assert.deepEqual(runNameLiterals('sample.ts', source), ['2: summary.json', '3: metrics.jsonl', '4: model/']);
  });
});
