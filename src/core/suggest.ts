/**
 * "Did you mean ...?": the nearest known name to a misspelt key, service,
 * source or diagnostic code, by Damerau-Levenshtein distance (optimal string
 * alignment: insertions, deletions, substitutions and adjacent swaps).
 */

/** The edit distance between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rolling rows: the swap case looks two rows back.
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/** How far a word may be from a candidate and still be called a typo of it. */
export function typoBudget(word: string): number {
  if (word.length <= 3) return 1;
  if (word.length <= 7) return 2;
  return 3;
}

/**
 * The candidate nearest to `word` (case-insensitive), within a distance that
 * grows with the word's length; `undefined` when nothing is close enough.
 * Ties go to the earlier candidate, so callers list the likelier names first.
 */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const budget = typoBudget(w);
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    // A word that is the start of a longer name (`submis`) is a likely truncation.
    const d = c.length > w.length && w.length >= 3 && c.startsWith(w) ? 1 : editDistance(w, c, bestDistance);
    // At equal distance a same-length candidate wins: `imapz` is `imaps` mistyped, not `imap` plus a key.
    const better = d < bestDistance || (d === bestDistance && c.length === w.length && best?.length !== w.length);
    if (d <= budget && better) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
