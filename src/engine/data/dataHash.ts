/**
 * The data hash in a run's manifest: SHA-256 over the sorted relative paths, sizes and content hashes
 * of the images a run used, so "same data" can be checked later (a touched but unchanged file keeps it;
 * an edited pixel changes it). Files are read a few at a time, as streams, so thousands stay quick.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { mapLimit } from './mapLimit';
import type { ImageSample } from './types';

const PARALLEL_READS = 8;

async function fileDigest(file: string): Promise<{ size: number; sha256: string }> {
  const { size } = await stat(file);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { size, sha256: hash.digest('hex') };
}

/** SHA-256 (hex) of `relPath\tsize\tsha256` lines, one per image, sorted by path. */
export async function dataHashOf(samples: readonly ImageSample[]): Promise<string> {
  const sorted = [...samples].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const lines = await mapLimit(sorted, PARALLEL_READS, async (sample) => {
    const { size, sha256 } = await fileDigest(sample.file);
    return `${sample.relPath}\t${size}\t${sha256}\n`;
  });
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return hash.digest('hex');
}
