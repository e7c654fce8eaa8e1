/**
 * The one recall configuration the product ships. The retrieval benchmark runs exactly this, so a figure reported
 * for LoCoMo or LongMemEval is what a user gets; nothing here is tuned per data set.
 */
export interface RecallConfig {
  /** Candidates taken from each full-text list before fusion. */
  candidatesPerList: number;
  /** Turns before a turn that its window ("context" column) includes. */
  windowBefore: number;
  /** Reciprocal-rank-fusion constant: larger flattens the difference between ranks. */
  rrfK: number;
  /** Weights of the fused lists. */
  weights: { turn: number; window: number; vector: number };
  /** How much salience (0..1) lifts a score: score × (1 + salienceWeight × salience). */
  salienceWeight: number;
  /** Half-life in days of the recency lift (older memories are not dropped, only ranked a little lower). */
  recencyHalfLifeDays: number;
  /** How much recency lifts a score: score × (1 + recencyWeight × 2^(−age/halfLife)). */
  recencyWeight: number;
}

export const recallConfig: RecallConfig = {
  candidatesPerList: 100,
  windowBefore: 2,
  rrfK: 60,
  weights: { turn: 1, window: 0.6, vector: 1 },
  salienceWeight: 0.1,
  recencyHalfLifeDays: 90,
  recencyWeight: 0.05,
};
