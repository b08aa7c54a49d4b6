/**
 * The data hash in a run's manifest: SHA-256 over the sorted relative paths, sizes and content hashes
 * of the images a run used, so "same data" can be checked later (a touched but unchanged file keeps it;
 * an edited pixel changes it). Files are read a few at a time, as streams, so thousands stay quick.
 * The per-file digests are also what finds the same image in two classes (duplicates.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { mapLimit } from './mapLimit';
import { unreadableReason } from './readFailure';
import type { ImageSample } from './types';

const PARALLEL_READS = 8;

/** One image's size and content hash. */
export interface SampleDigest {
  readonly sample: ImageSample;
  readonly size: number;
  readonly sha256: string;
}

async function fileDigest(file: string): Promise<{ size: number; sha256: string }> {
  const { size } = await stat(file);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { size, sha256: hash.digest('hex') };
}

/**
 * Every sample's size and SHA-256, in the order given. A file that cannot be read any more (deleted since
 * the scan, permission denied) is left out here; the batch loader skips and reports it when it comes to it.
 */
export async function sampleDigests(samples: readonly ImageSample[]): Promise<SampleDigest[]> {
  const digests = await mapLimit(samples, PARALLEL_READS, async (sample) => {
    try {
      return { sample, ...(await fileDigest(sample.file)) };
    } catch (error) {
      if (unreadableReason((error as NodeJS.ErrnoException).code) !== null) return null;
      throw error;
    }
  });
  return digests.filter((d): d is SampleDigest => d !== null);
}

/** SHA-256 (hex) of `relPath\tsize\tsha256` lines, one per image, sorted by path. */
export function dataHashOfDigests(digests: readonly SampleDigest[]): string {
  const sorted = [...digests].sort((a, b) => (a.sample.relPath < b.sample.relPath ? -1 : a.sample.relPath > b.sample.relPath ? 1 : 0));
  const hash = createHash('sha256');
  for (const d of sorted) hash.update(`${d.sample.relPath}\t${d.size}\t${d.sha256}\n`);
  return hash.digest('hex');
}

/** The data hash of `samples` (reads every file). */
export async function dataHashOf(samples: readonly ImageSample[]): Promise<string> {
  return dataHashOfDigests(await sampleDigests(samples));
}
