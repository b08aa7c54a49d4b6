/** The known name closest to a mistyped one (edit distance), for the "did you mean" quick fix. Pure. */

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `name` (case counts less than a letter: compared lower-cased first), or
 * undefined when even the nearest differs in more than half its letters, where a guess would mislead.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase()) + (editDistance(name, candidate) > 0 ? 0.1 : 0);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (!best || best.distance > Math.max(name.length, best.name.length) / 2) return undefined;
  return best.name;
}
