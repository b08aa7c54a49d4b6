/**
 * One probability per class from a model's output row: a softmax row as it is; a kept one-unit
 * sigmoid head (Dense(1, sigmoid), 2 classes) through `binaryProbabilities`. Prediction and
 * evaluation read outputs only through this, so a binary head is ranked like a softmax one.
 */
import { binaryProbabilities } from './classifierHead';

export function classProbabilities(output: readonly number[]): number[] {
  return output.length === 1 ? binaryProbabilities(output[0] as number) : [...output];
}
