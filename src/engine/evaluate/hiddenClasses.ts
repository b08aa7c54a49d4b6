/**
 * The warning for a class the overall accuracy hides: the accuracy looks fine (50% or more) while the class's
 * recall is under 50% (with classes 100:2 the accuracy reads 95% with the small class never found). An accuracy
 * under 50% hides nothing: it is bad on its face. A class with no images on that side (its few validation images
 * were skipped when they failed to decode) is not measured at all, whatever the accuracy: that is said too.
 * One rule for CLI, panel and report.
 */
import type { Evaluation } from '../../protocol/evaluation';
import { formatPercent } from '../../shared/format';

/** A class whose recall is below this is flagged. */
export const LOW_RECALL = 0.5;

/** One warning per class with no images on `side` ("validation", "test"), and per class with recall under 50% when the accuracy is 50% or more. */
export function hiddenClassWarnings(evaluation: Evaluation, side: string, balance: string): string[] {
  const splitField = side === 'test' ? 'data.testSplit' : 'data.validationSplit';
  const unseen = evaluation.perClass
    .filter((c) => c.support === 0)
    .map(
      (c) =>
        `The ${side} accuracy ${formatPercent(evaluation.accuracy)} leaves out class "${c.className}": it has no ${side} images (the skipped files are listed in the run's manifest), so nothing measures it. To fix: add images to it, or set a larger "${splitField}" in finetune.json.`,
    );
  const fix = balance === 'none' ? 'set "data.balance" to "weights" or "sampling" in finetune.json, or add images of it' : `data.balance is "${balance}"; add images of it`;
  const hidden = evaluation.perClass
    .filter((c) => c.support > 0 && c.recall < LOW_RECALL && evaluation.accuracy >= LOW_RECALL)
    .map(
      (c) =>
        `The ${side} accuracy ${formatPercent(evaluation.accuracy)} hides class "${c.className}": its recall is ${formatPercent(c.recall)} (${Math.round(c.recall * c.support)} of ${c.support} found). To fix: ${fix}.`,
    );
  return [...unseen, ...hidden];
}
