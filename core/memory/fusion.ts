/** A ranking from one retriever, best first, and how much it counts in the fusion. */
export interface RankedList {
  ids: string[];
  weight: number;
}

/**
 * Weighted reciprocal rank fusion: each list adds weight / (k + rank) to the items it ranks. Rank-based, so
 * retrievers whose raw scores are on different scales (BM25, cosine) combine without calibration.
 */
export function fuseRankings(lists: RankedList[], k: number): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.ids.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + index + 1));
    });
  }
  return scores;
}
