/**
 * Decoded, un-augmented pixels kept in memory up to a byte budget, so epochs after the first do not
 * decode small data sets again. Stored as 8-bit (a quarter of float32). Once full it admits nothing
 * more and evicts nothing: epochs visit every image once in random order, and under that pattern LRU
 * would evict each image just before its next use (0% hits) while "keep the first ones" hits
 * budget/total of the time.
 */
import type { CacheStats } from './types';

export const DEFAULT_MAX_CACHED_BYTES = 256 * 1024 * 1024;

export class PixelCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): Uint8Array | undefined {
    const pixels = this.entries.get(id);
    if (pixels) this.hits++;
    else this.misses++;
    return pixels;
  }

  /** Stores the pixels if they fit in the budget; returns whether they were stored. */
  set(id: string, pixels: Uint8Array): boolean {
    if (this.entries.has(id) || this.bytes + pixels.byteLength > this.maxBytes) return false;
    this.entries.set(id, pixels);
    this.bytes += pixels.byteLength;
    return true;
  }

  stats(): CacheStats {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes, hits: this.hits, misses: this.misses };
  }
}
