/** Images per class on each side of the split: the data summary the panel shows before the charts mean anything. */
import type { ClassSplitCount } from '../../protocol/run';
import { classCounts } from './classBalance';
import type { Dataset } from './types';

export function splitCountsOf(dataset: Pick<Dataset, 'classes' | 'train' | 'validation' | 'test'>): ClassSplitCount[] {
  const count = (samples: readonly { label: number }[]) => classCounts(samples.map((sample) => sample.label), dataset.classes.length);
  const [train, validation, test] = [count(dataset.train), count(dataset.validation), count(dataset.test)];
  return dataset.classes.map((name, i) => ({ name, train: train[i], validation: validation[i], test: test[i] }));
}
