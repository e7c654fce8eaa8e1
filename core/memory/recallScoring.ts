import type { EpisodeKey } from "../store/episodeStore.ts";
import type { QueryAnalysis } from "./queryAnalysis.ts";
import type { TimeRange } from "./timeExpressions.ts";
import type { RecallConfig } from "./recallConfig.ts";

/** A turn found by recall with what each retriever said about it, each normalised to 0..1 (best of its list = 1). */
export interface Candidate {
  row: EpisodeKey;
  turn: number;
  window: number;
  vector: number;
}

export interface ScoredCandidate {
  row: EpisodeKey;
  score: number;
}

const dayMs = 86_400_000;

/** Where a turn sits: its conversation and position, so neighbours can be found among the candidates. */
export const positionKey = (conversationId: string, seq: number) => `${conversationId}\u0000${seq}`;

/** A conversation's turns of one day: the unit a question about "that time we talked about X" points at. */
const segmentKey = (row: Pick<EpisodeKey, "conversationId" | "at">) =>
  `${row.conversationId}\u0000${Math.floor(row.at / dayMs)}`;

/**
 * Scores candidate turns from their own match, their windows' matches (spread to every turn a window holds), their
 * neighbours' matches and their segment's, then lifts the turns of the speakers, side and times the question names,
 * and nudges by salience and recency. Pure: everything it needs is in the candidates.
 */
export function scoreCandidates(
  candidates: Candidate[],
  analysis: QueryAnalysis,
  config: RecallConfig,
  now: number,
): ScoredCandidate[] {
  const byPosition = new Map<string, Candidate>();
  for (const candidate of candidates)
    byPosition.set(positionKey(candidate.row.conversationId, candidate.row.seq), candidate);
  const at = (candidate: Candidate, offset: number) =>
    byPosition.get(positionKey(candidate.row.conversationId, candidate.row.seq + offset));

  const base = new Map<Candidate, number>();
  for (const candidate of candidates) {
    // The window of the turn `offset` later holds this turn as one of its earlier lines.
    let window = 0;
    config.windowSpread.forEach((share, offset) => {
      const holder = offset === 0 ? candidate : at(candidate, offset);
      if (holder) window = Math.max(window, share * holder.window);
    });
    const neighbour = Math.max(at(candidate, -1)?.turn ?? 0, at(candidate, 1)?.turn ?? 0);
    const score =
      config.weights.turn * (candidate.turn + config.neighbourShare * neighbour) +
      config.weights.window * window +
      config.weights.vector * candidate.vector;
    base.set(candidate, score);
  }

  const segmentScores = new Map<string, number>();
  if (config.weights.segment > 0) {
    const members = new Map<string, number[]>();
    for (const [candidate, score] of base) {
      const key = segmentKey(candidate.row);
      const list = members.get(key) ?? [];
      list.push(score);
      members.set(key, list);
    }
    let best = 0;
    for (const [key, scores] of members) {
      scores.sort((a, b) => b - a);
      const total = config.segmentTopWeights.reduce((sum, weight, i) => sum + weight * (scores[i] ?? 0), 0);
      segmentScores.set(key, total);
      best = Math.max(best, total);
    }
    if (best > 0) for (const [key, total] of segmentScores) segmentScores.set(key, total / best);
  }

  const speakers = new Set(analysis.speakers);
  // An event is told of some days after it, but not more days after than the span it names is long ("last
  // Saturday" reaches a few days on, "in June" into early July).
  const slack = (range: TimeRange) => Math.min(config.timeSlackDays * dayMs, range.to - range.from);
  const scored: ScoredCandidate[] = [];
  for (const [candidate, score] of base) {
    const row = candidate.row;
    let total = score + config.weights.segment * (segmentScores.get(segmentKey(row)) ?? 0);
    if (speakers.size > 0 && speakers.has(row.speaker)) total *= 1 + config.speakerBoost;
    if (analysis.role && row.role === analysis.role) total *= 1 + config.roleBoost;
    if (analysis.times.some((range) => row.at >= range.from && row.at < range.to + slack(range)))
      total *= 1 + config.timeBoost;
    const ageDays = Math.max(0, (now - row.at) / dayMs);
    const recency = Math.pow(2, -ageDays / config.recencyHalfLifeDays);
    total *= (1 + config.salienceWeight * row.salience) * (1 + config.recencyWeight * recency);
    scored.push({ row, score: total });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/** A place in the ranking: a turn known by its position (its row is read once the ranking is final). */
export interface RankedPosition {
  conversationId: string;
  seq: number;
  /** When it was said (a neighbour of a hit takes the hit's time: same conversation, moments apart). */
  at: number;
  score: number;
}

/**
 * The positions within `radius` of the `top` best hits that are not ranked yet, each with `share`^distance of its
 * hit's score (the best if several hits want it): an answer often shares no word with the question but sits right
 * after a turn that does ("How long was the trail?" -> "Two hours!").
 */
export function neighboursToAdd(scored: ScoredCandidate[], expansion: RecallConfig["expansion"]): RankedPosition[] {
  const { top, radius, share } = expansion;
  if (top <= 0 || radius <= 0 || share <= 0) return [];
  const present = new Set(scored.map(({ row }) => positionKey(row.conversationId, row.seq)));
  const wanted = new Map<string, RankedPosition>();
  for (const { row, score } of scored.slice(0, top)) {
    for (let offset = -radius; offset <= radius; offset += 1) {
      const seq = row.seq + offset;
      const key = positionKey(row.conversationId, seq);
      if (offset === 0 || seq < 0 || present.has(key)) continue;
      const lifted = score * Math.pow(share, Math.abs(offset));
      if (lifted > (wanted.get(key)?.score ?? 0))
        wanted.set(key, { conversationId: row.conversationId, seq, at: row.at, score: lifted });
    }
  }
  return [...wanted.values()];
}

/**
 * Spreads the ranking over segments: each further turn of the same segment keeps (1 − penalty)^n of its score, so a
 * question whose answer is spread over several conversations ("how many times did I...") sees each of them near the
 * top instead of one conversation's every turn.
 */
export function diversify(ranked: RankedPosition[], penalty: number): RankedPosition[] {
  const sorted = [...ranked].sort((a, b) => b.score - a.score);
  if (penalty <= 0) return sorted;
  const seen = new Map<string, number>();
  return sorted
    .map((item) => {
      const key = segmentKey(item);
      const earlier = seen.get(key) ?? 0;
      seen.set(key, earlier + 1);
      return { ...item, score: item.score * Math.pow(1 - penalty, earlier) };
    })
    .sort((a, b) => b.score - a.score);
}
