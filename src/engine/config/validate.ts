/**
 * Every problem of a parsed `finetune.json` that needs no disk: the schema first, then the checks
 * the schema cannot express (they assume the schema's types). `loadProjectConfig` throws these; the
 * editor's diagnostics show them. One validator for both. Pure: no fs, no tfjs.
 */
import type { ProjectConfig } from '../../protocol/config';
import { problemsFromAjv, type ConfigProblem } from './messages';
import { recipeProblems } from './recipeChecks';
import { validateProjectJson } from './schema';

/** The problems of `data` (parsed JSON); fills schema defaults into it, as loading does. */
export function configProblems(data: unknown): ConfigProblem[] {
  const errors = validateProjectJson(data);
  if (errors.length > 0) return problemsFromAjv(errors);
  return semanticProblems(data as ProjectConfig);
}

/** Checks across fields: unique phase names, the recipe of each phase, the splits leave training images. */
function semanticProblems(config: ProjectConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  config.phases.forEach((phase, index) => {
    const earlier = seen.get(phase.name);
    if (earlier !== undefined) {
      problems.push({ field: `phases[${index}].name`, message: `"${phase.name}" is already the name of phases[${earlier}]; give each phase its own name` });
    } else seen.set(phase.name, index);
  });
  problems.push(...recipeProblems(config));
  const { validationSplit, testSplit = 0 } = config.data;
  if (validationSplit + testSplit >= 1) {
    problems.push({ field: 'data.testSplit', message: `${testSplit} with data.validationSplit ${validationSplit} leaves no images to train on; keep validationSplit + testSplit below 1 (typical 0.2 + 0.1)` });
  }
  return problems;
}
