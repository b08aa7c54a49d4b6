/**
 * `data.balance: "sampling"`: the training order of one epoch with every class drawn equally often. The
 * epoch keeps its number of images N; each class gets N / K draws (the remainder goes to classes picked by
 * the seed and epoch). A class cycles through its own shuffled images, so a small class repeats and a
 * large one is subsampled. Everything derives from (seed, epoch): a resumed run draws the same batches.
 */
import { createRandom, seedFrom, shuffled } from './random';
import type { ImageSample } from './types';

export function balancedOrder(samples: readonly ImageSample[], classCount: number, seed: number, epoch: number): ImageSample[] {
  const byClass: ImageSample[][] = Array.from({ length: classCount }, () => []);
  for (const sample of samples) byClass[sample.label].push(sample);
  const present = byClass.map((list, label) => ({ list, label })).filter((c) => c.list.length > 0);
  if (present.length === 0) return [];
  const base = Math.floor(samples.length / present.length);
  const extra = new Set(shuffled(present.map((c) => c.label), createRandom(seedFrom(seed, 'balance', 'extra', epoch))).slice(0, samples.length % present.length));
  const drawn: ImageSample[] = [];
  for (const { list, label } of present) {
    const wanted = base + (extra.has(label) ? 1 : 0);
    for (let round = 0; round * list.length < wanted; round++) {
      const cycle = shuffled(list, createRandom(seedFrom(seed, 'balance', epoch, label, round)));
      drawn.push(...cycle.slice(0, Math.min(list.length, wanted - round * list.length)));
    }
  }
  return shuffled(drawn, createRandom(seedFrom(seed, 'shuffle', 'train', epoch)));
}
