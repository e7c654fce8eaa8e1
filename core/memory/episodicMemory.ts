import type { Embedder } from "../model/interfaces.ts";
import type { EpisodeKey, EpisodeStore, RowHint, ScoredEpisodeKey } from "../store/episodeStore.ts";
import { newId } from "../store/ids.ts";
import { ConversationGate } from "../store/conversationGate.ts";
import { SerialRuns } from "../store/serialRuns.ts";
import type { EpisodeRow } from "../store/schema.ts";
import { normaliseScores, rankScore } from "./fusion.ts";
import { analyseQuery } from "./queryAnalysis.ts";
import type { RecallConfig } from "./recallConfig.ts";
import {
  diversify,
  neighboursToAdd,
  positionKey,
  scoreCandidates,
  type Candidate,
  type RankedPosition,
  type ScoredCandidate,
} from "./recallScoring.ts";
import { estimateSalience } from "./salience.ts";
import type { VectorMemory } from "./vectorMemory.ts";

export interface TurnToRemember {
  speaker: string;
  role: "user" | "assistant" | "other";
  text: string;
  /** Milliseconds since the epoch. */
  at: number;
  messageId?: string;
}

export interface RecalledEpisode {
  episode: EpisodeRow;
  score: number;
  /** The turn is in the archive tier (forgotten by the policy or the user, still found, ranked lower). */
  archived?: true;
  /** The turn said right before it, when asked for with `contextBefore` (and it exists and is hot). */
  before?: EpisodeRow;
}

export interface RecallOptions {
  limit: number;
  /**
   * For the best this-many hits, also read the turn right before each, in the same query as the hits themselves:
   * an answer ("Yes, in May!") means little to a model without the question it answers.
   */
  contextBefore?: number;
  /** "Now" for recency (a benchmark question's date, or the clock). */
  now: number;
  embedder?: Embedder | null;
}

/** Tail of a conversation kept in memory so ingest can number turns and build windows without a query. */
interface ConversationTail {
  lastSeq: number;
  recent: { speaker: string; text: string }[];
}

/**
 * HEMA vector memory: every turn verbatim as an episode, recalled by combining full-text search over single turns
 * and over small windows of turns (and vector similarity when an embedder has embedded them) with what the question
 * says about speakers, sides and times, spread to neighbouring turns and segments, weighted by salience and age.
 */
export class EpisodicMemory {
  readonly #store: EpisodeStore;
  readonly #vectors: VectorMemory;
  readonly #config: RecallConfig;
  readonly #tails = new Map<string, ConversationTail>();
  /** Numbering of each conversation's turns, one ingest at a time in arrival order (appends still coalesce). */
  readonly #numbering = new SerialRuns();
  /** Every speaker name memory holds, read once, then kept up to date by ingest (names a question can refer to). */
  #speakers: Set<string> | null = null;

  /** Re-scores recall's candidates before they are ranked (the semantic memory's entity lift); none by default. */
  #rescore: (query: string, scored: ScoredCandidate[]) => ScoredCandidate[] = (_query, scored) => scored;

  readonly #gate: ConversationGate;
  readonly #clock: () => number;

  /**
   * `options.gate`: the conversation store's gate, so turns never land in a conversation being deleted (a fresh
   * gate, for memory used on its own, refuses nothing). `options.clock`: when a turn is learned (its idle age for
   * forgetting counts from then), the engine's clock.
   */
  constructor(
    store: EpisodeStore,
    vectors: VectorMemory,
    config: RecallConfig,
    options: { gate?: ConversationGate; clock?: () => number } = {},
  ) {
    this.#store = store;
    this.#vectors = vectors;
    this.#config = config;
    this.#gate = options.gate ?? new ConversationGate();
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Stores turns as episodes, in order, in one batch; returns them once they are durable. Ingests into one
   * conversation are numbered one at a time in the order they were called, whatever their concurrency, so positions
   * are unique and follow arrival; their appends still share LanceDB writes. Turns for a conversation being deleted
   * are refused with not_found. `admit` runs first in that order (the
   * caller's check that the conversation may take turns): what it throws is the ingest's answer, and nothing is
   * stored.
   */
  async ingest(
    conversationId: string,
    turns: TurnToRemember[],
    options: {
      admit?: () => Promise<unknown>;
      /**
       * The caller has just created this conversation, so it has no turns yet and its tail is not read (an import
       * of thousands of conversations would otherwise pay two queries for each).
       */
      newConversation?: boolean;
    } = {},
  ): Promise<EpisodeRow[]> {
    if (options.newConversation && !this.#tails.has(conversationId)) {
      this.#tails.set(conversationId, { lastSeq: -1, recent: [] });
    }
    // Refused (not_found) once the conversation is sealed for deletion; otherwise its deletion waits for the append.
    return this.#gate.write(conversationId, async () => {
      const rows = await this.#numbering.run(conversationId, async () => {
        await options.admit?.();
        const tail = await this.#tail(conversationId);
        // No await from here to the end: the numbering of one ingest is never interleaved with another's.
        const learnedAt = this.#clock();
        return turns.map((turn) => this.#episode(conversationId, tail, turn, learnedAt));
      });
      // A failed append leaves a gap in the numbering, never a position used twice, so the tail is kept.
      await this.#store.append(rows);
      return rows;
    });
  }

  #episode(conversationId: string, tail: ConversationTail, turn: TurnToRemember, learnedAt: number): EpisodeRow {
    tail.lastSeq += 1;
    const line = `${turn.speaker}: ${turn.text}`;
    const earlier = tail.recent.slice(-this.#config.windowBefore);
    const window = [...earlier.map((t) => `${t.speaker}: ${clip(t.text, this.#config.windowNeighbourChars)}`), line];
    this.#speakers?.add(turn.speaker);
    tail.recent.push({ speaker: turn.speaker, text: turn.text });
    if (tail.recent.length > this.#config.windowBefore) tail.recent.shift();
    return {
      id: newId("ep"),
      conversationId,
      messageId: turn.messageId ?? null,
      seq: tail.lastSeq,
      speaker: turn.speaker,
      role: turn.role,
      text: turn.text,
      context: window.join("\n"),
      at: turn.at,
      salience: estimateSalience(turn.text),
      accessCount: 0,
      // Idle age counts from when Engram learned the turn, not from when it was said: an imported history of old
      // turns starts fresh. A recall moves it on (noteAccess).
      lastAccessAt: Math.max(learnedAt, turn.at),
      pinned: false,
      edited: false,
    };
  }

  /**
   * Ranks episodes for a query, best first. Three queries: full-text over single turns and over windows (a turn
   * with the turns before it), run together and returning keys only, then one read of the rows finally returned;
   * a vector search is added when an embedder is present. Everything between is in-process (recallScoring.ts).
   * The archive tier is searched alongside (its turns' text), and its matches are merged in with `archiveWeight`
   * of their score, so a turn only the archive holds is still found.
   */
  async recall(query: string, options: RecallOptions): Promise<RecalledEpisode[]> {
    const config = this.#config;
    const analysis = analyseQuery(query, await this.#knownSpeakers(), options.now);
    const [turns, windows, archivedTurns] = await Promise.all([
      this.#store.fullText("text", analysis.searchText, config.candidatesPerList),
      this.#store.fullText("context", analysis.searchText, config.candidatesPerList),
      this.#store.archiveFullText(analysis.searchText, config.candidatesPerList),
    ]);
    const candidates = new Map<string, Candidate>();
    const candidate = (row: EpisodeKey) => {
      let found = candidates.get(row.id);
      if (!found) {
        found = { row, turn: 0, window: 0, vector: 0 };
        candidates.set(row.id, found);
      }
      return found;
    };
    for (const [row, score] of normaliseScores(turns, (row) => row._score)) candidate(row).turn = score;
    for (const [row, score] of normaliseScores(windows, (row) => row._score)) candidate(row).window = score;
    const archived = archiveCandidates(turns, archivedTurns);

    if (options.embedder) {
      const similar = await this.#vectors.search(options.embedder, query, config.candidatesPerList);
      const unseen = similar.map((hit) => hit.id).filter((id) => !candidates.has(id));
      const fetched = new Map((await this.#store.byIds(unseen)).map((row) => [row.id, row]));
      // Vectors outlive a turn's move to the archive: a neighbour not in the hot tier may be an archived turn.
      const elsewhere = unseen.filter((id) => !fetched.has(id) && !archived.has(id));
      const fetchedArchived = new Map((await this.#store.archivedByIds(elsewhere)).map((row) => [row.id, row]));
      similar.forEach((hit, index) => {
        // Similarities of different embedders are not comparable, so the rank counts (1 for the best, then less).
        const score = rankScore(index, config.rrfK);
        const row = candidates.get(hit.id)?.row ?? fetched.get(hit.id);
        if (row) candidate(row).vector = score;
        const archivedRow = archived.get(hit.id)?.row ?? fetchedArchived.get(hit.id);
        if (!row && archivedRow) {
          const found = archived.get(hit.id) ?? { row: archivedRow, turn: 0, window: 0, vector: 0 };
          found.vector = score;
          archived.set(hit.id, found);
        }
      });
    }

    const scored = this.#rescore(query, scoreCandidates([...candidates.values()], analysis, config, options.now));
    const matched: RankedPosition[] = scored.map(({ row, score }) => ({ ...row, score }));
    // Only a question that gathers from several places wants its results spread out.
    const ranked = diversify(
      [...matched, ...neighboursToAdd(scored, config.expansion)],
      analysis.gathers ? config.segmentDiversity : 0,
    );
    // Where the hot hits are stored, so their rows and their neighbours' are read by address.
    const hints = [...turns, ...windows].map((row) => ({
      conversationId: row.conversationId,
      seq: row.seq,
      rowId: row._rowid,
    }));
    const hot = await this.#readRanked(ranked, matched, options.limit, options.contextBefore ?? 0, hints);
    if (archived.size === 0) return hot;
    return mergeByScore(hot, await this.#readArchived(query, [...archived.values()], analysis, options), options.limit);
  }

  /** The best `limit` archived candidates, scored like hot ones and weighted down by `archiveWeight`. */
  async #readArchived(
    query: string,
    candidates: Candidate[],
    analysis: ReturnType<typeof analyseQuery>,
    options: RecallOptions,
  ): Promise<RecalledEpisode[]> {
    const scored = this.#rescore(query, scoreCandidates(candidates, analysis, this.#config, options.now));
    const best = scored.slice(0, options.limit);
    const rows = new Map((await this.#store.archivedByIds(best.map(({ row }) => row.id))).map((row) => [row.id, row]));
    return best.flatMap(({ row, score }) => {
      const episode = rows.get(row.id);
      return episode ? [{ episode, score: score * this.#config.archiveWeight, archived: true as const }] : [];
    });
  }

  /**
   * Reads the rows of the first `limit` of a ranking in one query. Neighbours were ranked by position and may not
   * exist (past a conversation's end), so as many further matched turns, which do, are read as spares.
   */
  async #readRanked(
    ranked: RankedPosition[],
    matched: RankedPosition[],
    limit: number,
    contextBefore: number,
    hints: readonly RowHint[],
  ): Promise<RecalledEpisode[]> {
    const key = (item: RankedPosition) => positionKey(item.conversationId, item.seq);
    const isMatched = new Set(matched.map(key));
    const head = ranked.slice(0, limit);
    const inHead = new Set(head.map(key));
    // As many spare matched turns as the head has neighbours that might not exist.
    const spares = head.filter((item) => !isMatched.has(key(item))).length;
    const spare = matched.filter((item) => !inHead.has(key(item))).slice(0, spares);
    const positions = new Map<string, number[]>();
    const want = (conversationId: string, seq: number) => {
      const seqs = positions.get(conversationId);
      if (seqs) seqs.push(seq);
      else positions.set(conversationId, [seq]);
    };
    for (const item of [...head, ...spare]) want(item.conversationId, item.seq);
    // The turns before the best hits (twice as many as asked: a head position that does not exist moves the others
    // up). Asking for a turn that is not there is harmless.
    for (const item of head.slice(0, 2 * contextBefore)) if (item.seq > 0) want(item.conversationId, item.seq - 1);
    const rows = await this.#store.atPositions(positions, hints);
    const byPosition = new Map(rows.map((row) => [positionKey(row.conversationId, row.seq), row]));
    const recalled: RecalledEpisode[] = [];
    for (const item of ranked) {
      const episode = byPosition.get(positionKey(item.conversationId, item.seq));
      if (!episode) continue;
      const before =
        recalled.length < contextBefore ? byPosition.get(positionKey(item.conversationId, item.seq - 1)) : undefined;
      recalled.push(before ? { episode, score: item.score, before } : { episode, score: item.score });
      if (recalled.length >= limit) break;
    }
    return recalled;
  }

  /** Sets how recall's scored candidates are re-scored before ranking (core/memory/semantic/entityLift.ts). */
  rescoreWith(rescore: (query: string, scored: ScoredCandidate[]) => ScoredCandidate[]): void {
    this.#rescore = rescore;
  }

  /** Removes the episode of a message (a reply the user regenerated); answers the ids of the episodes removed. */
  async forgetMessage(messageId: string): Promise<string[]> {
    const ids = await this.#store.idsOfMessage(messageId);
    await this.#store.deleteByMessage(messageId);
    return ids;
  }

  /** Recorded that these episodes went into a prompt (frequently used memories resist forgetting). */
  async noteAccess(ids: string[], at: number): Promise<void> {
    await this.#store.noteAccess(ids, at);
  }

  /** Drops the cached tail of a conversation (after it is deleted). */
  forgetConversation(conversationId: string): void {
    this.#tails.delete(conversationId);
  }

  async #knownSpeakers(): Promise<Set<string>> {
    this.#speakers ??= new Set(await this.#store.speakers());
    return this.#speakers;
  }

  async #tail(conversationId: string): Promise<ConversationTail> {
    let tail = this.#tails.get(conversationId);
    if (!tail) {
      const rows = await this.#store.listConversation(conversationId, true);
      tail = {
        lastSeq: rows.at(-1)?.seq ?? -1,
        recent: rows.slice(-this.#config.windowBefore).map((row) => ({ speaker: row.speaker, text: row.text })),
      };
      this.#tails.set(conversationId, tail);
    }
    return tail;
  }
}

/**
 * Archived turns that match, as candidates. Each is scored against the best hot turn's match as well as the
 * archive's own best (a rare word only the archive holds keeps its lead), and counts as its own window: the archive
 * indexes single turns only.
 */
function archiveCandidates(hotTurns: ScoredEpisodeKey[], archivedTurns: ScoredEpisodeKey[]): Map<string, Candidate> {
  const best = Math.max(0, ...hotTurns.map((row) => row._score), ...archivedTurns.map((row) => row._score));
  const candidates = new Map<string, Candidate>();
  for (const row of archivedTurns) {
    const score = best > 0 ? row._score / best : 0;
    candidates.set(row.id, { row, turn: score, window: score, vector: 0 });
  }
  return candidates;
}

/**
 * Hot and archived recall in one ranking by score (both are in score order), each id once (a turn a crash left in
 * both tiers shows as hot).
 */
function mergeByScore(hot: RecalledEpisode[], archived: RecalledEpisode[], limit: number): RecalledEpisode[] {
  const seen = new Set(hot.map((hit) => hit.episode.id));
  const rest = archived.filter((hit) => !seen.has(hit.episode.id));
  const merged: RecalledEpisode[] = [];
  let h = 0;
  let a = 0;
  while (merged.length < limit && (h < hot.length || a < rest.length)) {
    const takeArchived = a < rest.length && (h >= hot.length || rest[a]!.score > hot[h]!.score);
    merged.push(takeArchived ? rest[a++]! : hot[h++]!);
  }
  return merged;
}

/** The first `max` characters of a text, cut at a word boundary where there is one. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return space > max / 2 ? cut.slice(0, space) : cut;
}
