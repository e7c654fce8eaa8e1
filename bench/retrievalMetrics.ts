/**
 * The pure pieces of the retrieval benchmark: evidence normalisation, date parsing and the metrics, exactly as
 * ../shared/bench/METRICS.md defines them (kept apart from the runner so they are unit-tested).
 */

import { monthNames } from "../core/memory/timeExpressions.ts";

export const turnCutoffs = [1, 5, 10, 20, 50] as const;
export const sessionCutoffs = [1, 3, 5, 10] as const;

/**
 * LoCoMo evidence ids as METRICS.md says: split on `;`, `,` and whitespace, keep `D:?<int>:<int>` rewritten
 * `D<int>:<int>` (so `D:11:26` -> `D11:26`, `D30:05` -> `D30:5`), drop ids that are not a turn of the conversation
 * and duplicates, in first-seen order.
 */
export function normaliseEvidence(evidence: readonly string[], knownTurns: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (const item of evidence) {
    for (const token of item.split(/[;,\s]+/)) {
      const match = /^D:?(\d+):(\d+)$/.exec(token);
      if (!match) continue;
      const id = `D${Number(match[1])}:${Number(match[2])}`;
      if (knownTurns.has(id) && !kept.includes(id)) kept.push(id);
    }
  }
  return kept;
}

/** LoCoMo's session time, e.g. "1:56 pm on 8 May, 2023", as epoch ms (UTC: the data has no zone). */
export function parseLocomoDate(value: string): number {
  const match = /^\s*(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})\s*$/i.exec(value);
  if (!match) throw new Error(`Unrecognised LoCoMo date: ${JSON.stringify(value)}`);
  const [, hour, minute, half, day, monthName, year] = match as unknown as string[];
  const month = monthNames.findIndex((name) => name.startsWith(monthName!.toLowerCase().slice(0, 3)));
  if (month < 0) throw new Error(`Unrecognised month in LoCoMo date: ${JSON.stringify(value)}`);
  const hour24 = (Number(hour) % 12) + (half!.toLowerCase() === "pm" ? 12 : 0);
  return Date.UTC(Number(year), month, Number(day), hour24, Number(minute));
}

/** LongMemEval's time, e.g. "2023/05/20 (Sat) 02:21", as epoch ms (UTC). */
export function parseLongMemEvalDate(value: string): number {
  const match = /^\s*(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s*\([A-Za-z]+\))?(?:\s+(\d{1,2}):(\d{2}))?\s*$/.exec(value);
  if (!match) throw new Error(`Unrecognised LongMemEval date: ${JSON.stringify(value)}`);
  const [, year, month, day, hour, minute] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
}

/** Keeps the first occurrence of each id (a unit retrieved twice counts once, at its first position). */
export function dedupe<T>(ranking: readonly T[]): T[] {
  return [...new Set(ranking)];
}

/** Recall@k = |E ∩ R[1..k]| / |E|. */
export function recallAt(evidence: readonly string[], ranking: readonly string[], k: number): number {
  if (evidence.length === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  return evidence.filter((id) => top.has(id)).length / evidence.length;
}

/** P@k = |E ∩ R[1..k]| / k. */
export function precisionAt(evidence: readonly string[], ranking: readonly string[], k: number): number {
  const wanted = new Set(evidence);
  return ranking.slice(0, k).filter((id) => wanted.has(id)).length / k;
}

/** 1 / rank of the first evidence item, 0 if none is returned. */
export function reciprocalRank(evidence: readonly string[], ranking: readonly string[]): number {
  const wanted = new Set(evidence);
  const index = ranking.findIndex((id) => wanted.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

/** Sessions ordered by the rank of their best turn. */
export function sessionRanking(turnRanking: readonly string[], sessionOfTurn: (turnId: string) => string): string[] {
  return dedupe(turnRanking.map(sessionOfTurn));
}

export interface TurnScores {
  recall: Record<number, number>;
  precisionAt5: number;
  reciprocalRank: number;
}

export function scoreTurns(evidence: readonly string[], ranking: readonly string[]): TurnScores {
  const unique = dedupe(ranking);
  const recall: Record<number, number> = {};
  for (const k of turnCutoffs) recall[k] = recallAt(evidence, unique, k);
  return { recall, precisionAt5: precisionAt(evidence, unique, 5), reciprocalRank: reciprocalRank(evidence, unique) };
}

/** Macro averages of per-question figures, keyed as the --json output names them ("R@5", "P@5", "MRR", ...). */
export class MetricAverager {
  readonly #sums = new Map<string, number>();
  #count = 0;

  add(figures: Record<string, number>): void {
    this.#count += 1;
    for (const [key, value] of Object.entries(figures)) this.#sums.set(key, (this.#sums.get(key) ?? 0) + value);
  }

  get count(): number {
    return this.#count;
  }

  averages(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, sum] of this.#sums) out[key] = this.#count === 0 ? 0 : sum / this.#count;
    return out;
  }
}

/** The figures of one question under METRICS.md's names. */
export function turnFigures(scores: TurnScores): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const k of turnCutoffs) figures[`R@${k}`] = scores.recall[k] ?? 0;
  figures["P@5"] = scores.precisionAt5;
  figures["MRR"] = scores.reciprocalRank;
  return figures;
}

export function sessionFigures(evidence: readonly string[], sessions: readonly string[]): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const k of sessionCutoffs) figures[`sessionR@${k}`] = recallAt(evidence, sessions, k);
  return figures;
}
