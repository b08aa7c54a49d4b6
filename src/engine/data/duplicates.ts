/**
 * The same image (byte for byte) in two class folders: the model is taught both labels for it, and the
 * copies may land in training and validation at once. Reported as a warning naming the files, never
 * silently trained; the content hashes come from the data hash (dataHash.ts), so nothing is read twice.
 */
import type { SampleDigest } from './dataHash';

/** Warnings listed one by one; the rest are counted in one more line. */
const MAX_LISTED = 10;

/** One warning per group of identical files whose copies lie in more than one class. */
export function duplicateAcrossClassesWarnings(digests: readonly SampleDigest[], classes: readonly string[]): string[] {
  const byContent = new Map<string, SampleDigest[]>();
  for (const digest of digests) byContent.set(digest.sha256, [...(byContent.get(digest.sha256) ?? []), digest]);
  const groups = [...byContent.values()].filter((group) => new Set(group.map((d) => d.sample.label)).size > 1);
  const sortedFiles = (group: readonly SampleDigest[]) => group.map((d) => d.sample.file).sort();
  groups.sort((a, b) => (sortedFiles(a)[0] < sortedFiles(b)[0] ? -1 : 1));
  const listed = groups.slice(0, MAX_LISTED).map((group) => {
    const named = [...group].sort((a, b) => (a.sample.file < b.sample.file ? -1 : 1)).map((d) => `${d.sample.file} (class "${classes[d.sample.label]}")`);
    return `The same image is in more than one class: ${named.join(' and ')} have identical content, so the model is taught two labels for it. Keep it only in the class it belongs to.`;
  });
  const more = groups.length > MAX_LISTED ? [`${groups.length - MAX_LISTED} more image(s) are in more than one class (identical content in two class folders).`] : [];
  return [...listed, ...more];
}
