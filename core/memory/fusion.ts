/**
 * Putting retrievers' results on one scale before they are added. BM25 scores of different columns (turns, windows)
 * and of different queries are not comparable, so each list is divided by its best score; a list that has only
 * ranks (vector neighbours of another embedder) gets a reciprocal-rank score.
 */

/** Divides every score by the best one (best of the list = 1; all 0 if none is positive). */
export function normaliseScores<T>(items: T[], score: (item: T) => number): Map<T, number> {
  const best = Math.max(0, ...items.map(score));
  return new Map(items.map((item) => [item, best > 0 ? score(item) / best : 0]));
}

/** A score in 0..1 from a rank (0 = best): (k + 1) / (k + rank + 1); larger k flattens the difference. */
export function rankScore(rank: number, k: number): number {
  return (k + 1) / (k + rank + 1);
}
