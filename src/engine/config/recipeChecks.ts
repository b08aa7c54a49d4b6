/**
 * Checks of a phase's recipe the schema cannot express: a discriminative range runs upwards
 * (`from` <= `to`), and the warmup fits in the phase.
 */
import type { ProjectConfig } from '../../protocol/config';
import type { ConfigProblem } from './messages';

export function recipeProblems(config: ProjectConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  config.phases.forEach((phase, index) => {
    const rate = phase.learningRate;
    if (typeof rate === 'object' && rate.from > rate.to) {
      problems.push({ field: `phases[${index}].learningRate`, message: `{"from": ${rate.from}, "to": ${rate.to}} is not allowed; "from" (the first trainable block's rate) must be <= "to" (the head's), e.g. {"from": ${rate.to / 100}, "to": ${rate.to}}` });
    }
    if ((phase.warmupEpochs ?? 0) > phase.epochs) {
      problems.push({ field: `phases[${index}].warmupEpochs`, message: `${phase.warmupEpochs} is not allowed; use a number >= 0 and <= the phase's epochs (${phase.epochs})`, bounds: { minimum: 0, maximum: phase.epochs, integer: false } });
    }
  });
  return problems;
}
