/** Seeded pseudo-random numbers, so a seed reproduces the split, the order and the augmentation. */
import { createHash } from 'node:crypto';

/** A 32-bit seed derived from any list of keys (e.g. seed, 'shuffle', epoch). */
export function seedFrom(...keys: readonly (string | number)[]): number {
  return createHash('sha256').update(keys.join('\u0000')).digest().readUInt32LE(0);
}

/** Mulberry32: small, fast and good enough for shuffling and augmentation; returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
