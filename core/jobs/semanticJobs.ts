import type { EventBus } from "../eventBus.ts";
import { extractEntitiesInPieces } from "../memory/semantic/entityExtraction.ts";
import { EntityNameMatcher } from "../memory/semantic/entityNameMatcher.ts";
import { extractFacts, type TurnForFacts } from "../memory/semantic/factExtraction.ts";
import { recordTurnEntities, type TurnEntities } from "../memory/semantic/mentionRecording.ts";
import type { SemanticMemory } from "../memory/semantic/semanticMemory.ts";
import type { Embedder, ModelProvider } from "../model/interfaces.ts";
import type { ConversationStore } from "../store/conversationStore.ts";
import type { EpisodeStore } from "../store/episodeStore.ts";
import { runForConversation } from "./conversationJob.ts";
import { episodesOf, type EpisodeJob } from "./episodeJob.ts";
import type { ForegroundReads } from "./foregroundReads.ts";
import { JobDeferred, type JobQueue } from "./jobQueue.ts";

export const semanticJobKinds = { entities: "entities", facts: "facts" } as const;

export interface SemanticJobsDependencies {
  queue: JobQueue;
  /** Jobs of a conversation being deleted stop, and a delete waits for them, so they write nothing into it after. */
  conversations: ConversationStore;
  episodes: EpisodeStore;
  semantic: SemanticMemory;
  models: ModelProvider;
  events: EventBus;
  /** The embedder recall may use (its vectors complete), for the duplicate check by meaning; null when none. */
  embedder: () => Embedder | null;
  /** While true (a reply is streaming), a long extraction pauses between batches. */
  isBusy: () => boolean;
  /** The user's reads in flight: entity reading waits for them (see ForegroundReads). */
  foreground: Pick<ForegroundReads, "idle">;
  /** Whether the user lets Engram read turns for entities and facts (settings.autoExtract). */
  autoExtract: () => Promise<boolean>;
}

/** Turns read for entities before they are written as one change. */
const entityBatch = 100;
/**
 * Longest stretch of entity reading before other work gets a look in. Measured (prof) with a search every 50 ms
 * beside the entity jobs of 5,000 turns: reading a batch of 100 turns in one go, the searches took p50 290-330 ms and
 * up to 750; with a pause every 15 ms, p50 220; every 5 ms, p50 120 (the rest is their I/O beside the job's writes),
 * and the drain took as long (14-20 s in every run).
 */
const entitySliceMs = 5;
/** Turns of an import read in one fact call; a chat turn is read alone. */
const factTurnsPerCall = 4;

/** The jobs the semantic memory wants for turns just stored (MemoryJobs.afterTurns enqueues them). */
export function semanticJobsFor(payload: EpisodeJob): { kind: string; payload: unknown }[] {
  return [
    { kind: semanticJobKinds.entities, payload },
    { kind: semanticJobKinds.facts, payload },
  ];
}

/**
 * Background work of the semantic memory. Entities: every stored turn read by the NLP library with no model, in
 * batches, never inside the ingest call. Facts: one short grammar-constrained model call per turn (a few turns per
 * call for an import), consolidated into memory; the job waits while there is no model and yields to chat.
 */
export class SemanticJobs {
  readonly #deps: SemanticJobsDependencies;
  readonly #names = new EntityNameMatcher();

  constructor(deps: SemanticJobsDependencies) {
    this.#deps = deps;
    deps.queue.register(semanticJobKinds.entities, (payload, signal) =>
      this.#ofConversation(payload as EpisodeJob, signal, (job, stop) => this.#entities(job, stop)),
    );
    deps.queue.register(semanticJobKinds.facts, (payload, signal) =>
      this.#ofConversation(payload as EpisodeJob, signal, (job, stop) => this.#facts(job, stop)),
    );
  }

  /** A job about one conversation, run as a write to it (see runForConversation). */
  #ofConversation(
    job: EpisodeJob,
    signal: AbortSignal,
    work: (job: EpisodeJob, stop: AbortSignal) => Promise<void>,
  ): Promise<void> {
    return runForConversation(this.#deps.conversations, job.conversationId, signal, async (stop) => {
      // A job queued before the user turned automatic extraction off reads nothing either.
      if (await this.#deps.autoExtract()) await work(job, stop);
    });
  }

  async #entities(job: EpisodeJob, signal: AbortSignal): Promise<void> {
    const rows = await episodesOf(this.#deps.episodes, job);
    const pause = this.#pauseEvery(entitySliceMs, signal);
    let done = 0;
    for (let start = 0; start < rows.length; start += entityBatch) {
      await this.#yieldToChat(signal);
      const turns: TurnEntities[] = [];
      for (const row of rows.slice(start, start + entityBatch)) {
        turns.push({
          episodeId: row.id,
          conversationId: row.conversationId,
          speaker: row.speaker,
          role: row.role,
          at: row.at,
          found: await extractEntitiesInPieces(row.text, row.at, pause),
        });
        await pause();
      }
      const embedder = this.#deps.embedder();
      const similar = embedder
        ? await this.#names.match(
            embedder,
            this.#deps.semantic.index,
            turns.flatMap((turn) => turn.found),
          )
        : new Map<string, string>();
      // Checked under the write lock: a reply replaced after it was read here has been forgotten, and stays so.
      await this.#deps.semantic.changeBatch("system", (change) =>
        recordTurnEntities(
          this.#deps.semantic.index,
          change,
          turns.filter((turn) => !this.#deps.semantic.isForgotten(turn.episodeId)),
          similar,
        ),
      );
      done += turns.length;
      this.#deps.events.emit("jobs.progress", { kind: semanticJobKinds.entities, done, total: rows.length });
    }
    if (rows.length > 0)
      this.#deps.events.emit("memory.changed", { conversationId: job.conversationId, kinds: ["entity"] });
  }

  async #facts(job: EpisodeJob, signal: AbortSignal): Promise<void> {
    const model = this.#deps.models.chatModel();
    if (!model) throw new JobDeferred("No chat model to read facts with.");
    const rows = (await episodesOf(this.#deps.episodes, job)).filter((row) => row.role !== "assistant");
    const turns: TurnForFacts[] = rows.map((row) => ({
      episodeId: row.id,
      messageId: row.messageId,
      conversationId: row.conversationId,
      speaker: row.speaker,
      role: row.role,
      text: row.text,
      at: row.at,
    }));
    let added = 0;
    for (let start = 0; start < turns.length; start += factTurnsPerCall) {
      await this.#yieldToChat(signal);
      const facts = await extractFacts(model, turns.slice(start, start + factTurnsPerCall), signal);
      if (signal.aborted) throw new Error("Stopped while reading facts.");
      if (facts.length > 0) {
        const results = await this.#deps.semantic.consolidate(facts, "assistant", "extracted", this.#deps.embedder());
        added += results.filter((result) => result.outcome !== "noop").length;
      }
      this.#deps.events.emit("jobs.progress", {
        kind: semanticJobKinds.facts,
        done: Math.min(turns.length, start + factTurnsPerCall),
        total: turns.length,
      });
    }
    if (added > 0) this.#deps.events.emit("memory.changed", { conversationId: job.conversationId, kinds: ["fact"] });
  }

  /**
   * A pause that lets other work in (and waits out a chat turn) once `ms` of work have passed since the last one, and
   * is free otherwise: entity reading is synchronous, and a batch of 100 turns took 200-600 ms, during which a search
   * from the memory browser, or the start of a chat turn, waited.
   */
  #pauseEvery(ms: number, signal: AbortSignal): () => Promise<void> {
    let since = performance.now();
    return async () => {
      if (performance.now() - since < ms) return;
      await this.#yieldToChat(signal);
      since = performance.now();
    };
  }

  async #yieldToChat(signal: AbortSignal): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.#deps.foreground.idle();
    while (this.#deps.isBusy() && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, 100));
    if (signal.aborted) throw new Error("Stopped.");
  }
}
