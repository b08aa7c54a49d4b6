/**
 * The same image (byte for byte) in two class folders: the model is taught both labels for it, and the
 * copies may land in training and validation at once. Reported as a warning naming the files, never
 * silently trained; and a validation or test image that is a copy of a training image (any class), which
 * makes that accuracy read too high. The content hashes come from the data hash (dataHash.ts), so nothing is read twice.
 */
import type { SampleDigest } from './dataHash';

/** Warnings listed one by one; the rest are counted in one more line. */
const MAX_LISTED = 10;
/** Files named in one warning (one per class first). */
const MAX_FILES_NAMED = 3;

/** One warning per group of identical files whose copies lie in more than one class. */
export function duplicateAcrossClassesWarnings(digests: readonly SampleDigest[], classes: readonly string[]): string[] {
  const byContent = new Map<string, SampleDigest[]>();
  for (const digest of digests) {
    const group = byContent.get(digest.sha256);
    if (group) group.push(digest);
    else byContent.set(digest.sha256, [digest]);
  }
  const groups = [...byContent.values()].filter((group) => new Set(group.map((d) => d.sample.label)).size > 1);
  const sortedFiles = (group: readonly SampleDigest[]) => group.map((d) => d.sample.file).sort();
  groups.sort((a, b) => (sortedFiles(a)[0] < sortedFiles(b)[0] ? -1 : 1));
  const listed = groups.slice(0, MAX_LISTED).map((group) => {
    // One copy per class first, so the files named always show the clash; thousands of copies are counted, not listed.
    const sorted = [...group].sort((a, b) => (a.sample.file < b.sample.file ? -1 : 1));
    const labelsSeen = new Set<number>();
    const firstOfClass = sorted.filter((d) => !labelsSeen.has(d.sample.label) && labelsSeen.add(d.sample.label));
    const shown = firstOfClass.slice(0, MAX_FILES_NAMED);
    const named = shown.map((d) => `${d.sample.file} (class "${classes[d.sample.label]}")`);
    const rest = group.length - shown.length;
    const others = rest > 0 ? ` and ${rest} more cop${rest === 1 ? 'y' : 'ies'}` : '';
    return `The same image is in more than one class: ${named.join(' and ')}${others} have identical content, so the model is taught two labels for it. Keep it only in the class it belongs to.`;
  });
  const more = groups.length > MAX_LISTED ? [`${groups.length - MAX_LISTED} more image(s) are in more than one class (identical content in two class folders).`] : [];
  return [...listed, ...more];
}

/**
 * Validation (or test) images whose exact copy is a training image (the same photo saved twice in one
 * class): the model is checked on what it learnt, so that accuracy reads higher than it is. One warning
 * per side, naming the first pair and counting the rest.
 */
export function splitLeakWarnings(digests: readonly SampleDigest[], sides: { readonly train: readonly { readonly id: string }[]; readonly validation: readonly { readonly id: string }[]; readonly test: readonly { readonly id: string }[] }): string[] {
  const ids = (samples: readonly { readonly id: string }[]) => new Set(samples.map((s) => s.id));
  const trainIds = ids(sides.train);
  const trainByContent = new Map<string, SampleDigest>();
  for (const d of digests) if (trainIds.has(d.sample.id) && !trainByContent.has(d.sha256)) trainByContent.set(d.sha256, d);
  return (['validation', 'test'] as const).flatMap((side) => {
    const sideIds = ids(sides[side]);
    const leaks = digests.filter((d) => sideIds.has(d.sample.id) && trainByContent.has(d.sha256));
    if (leaks.length === 0) return [];
    const first = leaks[0];
    const others = leaks.length > 1 ? ` and ${leaks.length - 1} more` : '';
    const field = side === 'test' ? 'data.testSplit' : 'data.validationSplit';
    return [`${leaks.length} ${side} image(s) are exact copies of training images (${first.sample.file} is ${trainByContent.get(first.sha256)?.sample.file}${others}), so the ${side} accuracy reads higher than it is (${field}). Remove the copies.`];
  });
}
