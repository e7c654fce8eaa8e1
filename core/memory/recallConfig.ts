/**
 * The one recall configuration the product ships. The retrieval benchmark runs exactly this, so a figure reported
 * for LoCoMo or LongMemEval is what a user gets; nothing here is tuned per data set.
 */
export interface RecallConfig {
  /** Candidates taken from each full-text list (turns, windows) before scoring. */
  candidatesPerList: number;
  /** Turns before a turn that its window ("context" column) includes. */
  windowBefore: number;
  /**
   * Characters of each earlier turn a window keeps. Short chat turns fit whole; a long one (a pasted document, an
   * assistant's essay) contributes its opening, so it cannot drown the turn the window belongs to.
   */
  windowNeighbourChars: number;
  /** Reciprocal-rank constant for lists that have no comparable score (vector similarity ranks). */
  rrfK: number;
  /** Weights of the evidence a turn's score adds up: its own text, its windows, vector similarity, its segment. */
  weights: { turn: number; window: number; vector: number; segment: number };
  /**
   * How much a window's match counts for each turn in it, from the window's own turn back to its earliest: a reply
   * is found through the question before it, and a question through the reply after it.
   */
  windowSpread: number[];
  /** Share of the best neighbour's own-text match a turn receives (what was said next to it is context too). */
  neighbourShare: number;
  /**
   * Segment (a conversation's turns of one day) score: a weighted sum of its best turns' scores, so a segment where
   * several turns match outranks one stray hit; its turns are lifted by `weights.segment` times it.
   */
  segmentTopWeights: number[];
  /**
   * Neighbour expansion: the turns within `radius` of the `top` best hits that matched no search word are pulled in
   * with `share` of the hit's score per step of distance ("How long was the trail?" -> "Two hours!").
   */
  expansion: { top: number; radius: number; share: number };
  /**
   * For a question that gathers ("how many times did I..."), the share of its score each further turn of a segment
   * gives up, so the ranking spreads over the conversations the answer is collected from.
   */
  segmentDiversity: number;
  /** Lift of the turns of a speaker the question names: score × (1 + speakerBoost). */
  speakerBoost: number;
  /** Lift of the turns of the side the question asks about ("what did I..." -> the user's turns). */
  roleBoost: number;
  /** Lift of turns from a time the question names. */
  timeBoost: number;
  /** Days after a named span still lifted (people tell of an event some days after it). */
  timeSlackDays: number;
  /** How much salience (0..1) lifts a score: score × (1 + salienceWeight × salience). */
  salienceWeight: number;
  /** Half-life in days of the recency lift (older memories are not dropped, only ranked a little lower). */
  recencyHalfLifeDays: number;
  /** How much recency lifts a score: score × (1 + recencyWeight × 2^(−age/halfLife)). */
  recencyWeight: number;
  /**
   * Share of its score an archived turn keeps: forgetting demotes, it never hides, so the archive is searched too and
   * its turns rank below hot ones of the same match. Measured with bench:retrieval --archived 0.5 (LoCoMo R@5 / R@50):
   * archive appended after every hot hit 0.258 / 0.430; merged at 0.3: 0.263 / 0.661; 0.5: 0.349 / 0.721; 0.8:
   * 0.452 / 0.734; 1 (no demotion): 0.465 / 0.734. LongMemEval turn R@5: appended 0.403, 0.5: 0.556, 1: 0.619.
   */
  archiveWeight: number;
}

export const recallConfig: RecallConfig = {
  candidatesPerList: 100,
  windowBefore: 2,
  windowNeighbourChars: 300,
  rrfK: 60,
  // Windows count more than the bare turn: a chat turn alone is often too short to share words with a question.
  weights: { turn: 0.6, window: 1, vector: 1, segment: 0.4 },
  windowSpread: [1, 0.8, 0.5],
  // Measured no better than 0 once windows spread (both data sets); kept as a knob.
  neighbourShare: 0,
  segmentTopWeights: [1, 0.5, 0.25],
  expansion: { top: 30, radius: 3, share: 0.5 },
  segmentDiversity: 0.2,
  speakerBoost: 1,
  roleBoost: 0.5,
  timeBoost: 0.5,
  timeSlackDays: 10,
  salienceWeight: 0.1,
  recencyHalfLifeDays: 90,
  recencyWeight: 0.05,
  archiveWeight: 0.8,
};
