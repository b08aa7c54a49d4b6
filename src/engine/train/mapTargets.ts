/** A batch source whose targets are transformed batch by batch (the old targets disposed): class weights, a sigmoid head's column. */
import * as tf from '@tensorflow/tfjs';
import type { SplitBatchSource } from '../data';

export function mapTargets(source: SplitBatchSource, transform: (ys: tf.Tensor2D) => tf.Tensor2D): SplitBatchSource {
  return {
    get size() {
      return source.size;
    },
    get batchesPerEpoch() {
      return source.batchesPerEpoch;
    },
    async *batches(epoch: number) {
      for await (const batch of source.batches(epoch)) {
        const ys = tf.tidy(() => transform(batch.ys));
        batch.ys.dispose();
        yield { ...batch, ys };
      }
    },
  };
}
