import type { Embedder } from "../model/interfaces.ts";
import type { EpisodeStore } from "../store/episodeStore.ts";
import { newId } from "../store/ids.ts";
import type { EpisodeRow } from "../store/schema.ts";
import { fuseRankings, type RankedList } from "./fusion.ts";
import type { RecallConfig } from "./recallConfig.ts";
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
}

export interface RecallOptions {
  limit: number;
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
 * HEMA vector memory: every turn verbatim as an episode, recalled by fusing full-text search over single turns and
 * over small windows of turns (and vector similarity when an embedder has embedded them), weighted by salience and
 * age.
 */
export class EpisodicMemory {
  readonly #store: EpisodeStore;
  readonly #vectors: VectorMemory;
  readonly #config: RecallConfig;
  readonly #tails = new Map<string, ConversationTail>();

  constructor(store: EpisodeStore, vectors: VectorMemory, config: RecallConfig) {
    this.#store = store;
    this.#vectors = vectors;
    this.#config = config;
  }

  /** Stores turns as episodes, in order, in one batch; returns them once they are durable. */
  async ingest(conversationId: string, turns: TurnToRemember[]): Promise<EpisodeRow[]> {
    const tail = await this.#tail(conversationId);
    const rows: EpisodeRow[] = turns.map((turn) => {
      tail.lastSeq += 1;
      const line = `${turn.speaker}: ${turn.text}`;
      const window = [...tail.recent.slice(-this.#config.windowBefore).map((t) => `${t.speaker}: ${t.text}`), line];
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
        lastAccessAt: turn.at,
        pinned: false,
        edited: false,
      };
    });
    try {
      await this.#store.append(rows);
    } catch (error) {
      // The cached tail ran ahead of what was stored; forget it so the next ingest reads the truth.
      this.#tails.delete(conversationId);
      throw error;
    }
    return rows;
  }

  /** Ranks hot episodes for a query, best first. */
  async recall(query: string, options: RecallOptions): Promise<RecalledEpisode[]> {
    const config = this.#config;
    const lists: RankedList[] = [];
    const [turns, windows] = await Promise.all([
      this.#store.fullText("text", query, config.candidatesPerList),
      this.#store.fullText("context", query, config.candidatesPerList),
    ]);
    lists.push({ ids: turns.map((row) => row.id), weight: config.weights.turn });
    lists.push({ ids: windows.map((row) => row.id), weight: config.weights.window });
    const rows = new Map<string, EpisodeRow>();
    for (const row of [...turns, ...windows]) rows.set(row.id, row);

    if (options.embedder) {
      const similar = await this.#vectors.search(options.embedder, query, config.candidatesPerList);
      lists.push({ ids: similar.map((hit) => hit.id), weight: config.weights.vector });
      const unseen = similar.map((hit) => hit.id).filter((id) => !rows.has(id));
      for (const row of await this.#store.byIds(unseen)) rows.set(row.id, row);
    }

    const fused = fuseRankings(lists, config.rrfK);
    const dayMs = 86_400_000;
    const scored: RecalledEpisode[] = [];
    for (const [id, fusedScore] of fused) {
      const episode = rows.get(id);
      if (!episode) continue;
      const ageDays = Math.max(0, (options.now - episode.at) / dayMs);
      const recency = Math.pow(2, -ageDays / config.recencyHalfLifeDays);
      const score =
        fusedScore * (1 + config.salienceWeight * episode.salience) * (1 + config.recencyWeight * recency);
      scored.push({ episode, score });
    }
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, options.limit);
  }

  /** The turns right before and after each episode, for context in a prompt. */
  async neighbours(episodes: EpisodeRow[], radius: number): Promise<EpisodeRow[]> {
    const byConversation = new Map<string, Set<number>>();
    for (const episode of episodes) {
      const seqs = byConversation.get(episode.conversationId) ?? new Set<number>();
      for (let offset = -radius; offset <= radius; offset += 1) if (offset !== 0) seqs.add(episode.seq + offset);
      byConversation.set(episode.conversationId, seqs);
    }
    const found = await Promise.all(
      [...byConversation].map(([conversationId, seqs]) => this.#store.bySeq(conversationId, [...seqs])),
    );
    return found.flat();
  }

  /** Removes the episode of a message (a reply the user regenerated). */
  async forgetMessage(messageId: string): Promise<void> {
    await this.#store.deleteByMessage(messageId);
  }

  /** Recorded that these episodes went into a prompt (frequently used memories resist forgetting). */
  async noteAccess(ids: string[], at: number): Promise<void> {
    await this.#store.noteAccess(ids, at);
  }

  /** Drops the cached tail of a conversation (after it is deleted). */
  forgetConversation(conversationId: string): void {
    this.#tails.delete(conversationId);
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
