import type { EventBus } from "../eventBus.ts";
import type { CompactMemory } from "../memory/compactMemory.ts";
import type { Forgetting } from "../memory/forgetting.ts";
import type { VectorMemory } from "../memory/vectorMemory.ts";
import type { ModelProvider } from "../model/interfaces.ts";
import type { ConversationStore } from "../store/conversationStore.ts";
import type { EpisodeRef, EpisodeStore } from "../store/episodeStore.ts";
import type { SettingsStore } from "../store/settingsStore.ts";
import { runForConversation } from "./conversationJob.ts";
import { episodeJob, episodesOf, type EpisodeJob } from "./episodeJob.ts";
import { JobDeferred, type JobQueue } from "./jobQueue.ts";
import { semanticJobsFor } from "./semanticJobs.ts";

export const jobKinds = { embed: "embed", summarize: "summarize", prune: "prune" } as const;

export interface MemoryJobsDependencies {
  queue: JobQueue;
  /** Jobs of a conversation being deleted, or deleted, stop and are dropped (its gate says which). */
  conversations: ConversationStore;
  episodes: EpisodeStore;
  vectors: VectorMemory;
  compact: CompactMemory;
  forgetting: Forgetting;
  settings: SettingsStore;
  models: ModelProvider;
  events: EventBus;
  clock: () => number;
}

/** Run pruning after this many remembered turns (it scans old episodes, so not after every turn). */
const pruneEveryTurns = 500;

/**
 * The background memory work after turns are remembered: embed them (when an embedder is present), fold them into
 * the compact memory (when a chat model is present; otherwise the job waits for one), and prune now and then.
 */
export class MemoryJobs {
  readonly #deps: MemoryJobsDependencies;
  #turnsSincePrune = 0;

  constructor(deps: MemoryJobsDependencies) {
    this.#deps = deps;
    deps.queue.register(jobKinds.embed, (payload, signal) =>
      this.#ofConversation(payload as EpisodeJob, signal, (job, stop) => this.#embed(job, stop)),
    );
    deps.queue.register(jobKinds.summarize, (payload, signal) =>
      this.#ofConversation(payload as EpisodeJob, signal, (job, stop) => this.#summarize(job, stop)),
    );
    deps.queue.register(jobKinds.prune, () => this.#prune());
  }

  /** Enqueues the work for turns just stored; resolves once the jobs are durable. */
  async afterTurns(conversationId: string, episodes: readonly EpisodeRef[]): Promise<void> {
    const gate = this.#deps.conversations.gate;
    // A conversation being deleted gets no more work (its turns are about to go). Never a throw: the chat path calls
    // this while a deletion stops its reply.
    if (episodes.length === 0 || gate.isClosed(conversationId)) return;
    const { autoExtract } = await this.#deps.settings.read();
    const payload = episodeJob(conversationId, episodes);
    const jobs: { kind: string; payload: unknown }[] = [
      { kind: jobKinds.embed, payload },
      { kind: jobKinds.summarize, payload },
      // Entities (no model) and facts (the chat model) of the semantic memory, unless the user turned automatic
      // extraction off: core/jobs/semanticJobs.ts.
      ...(autoExtract ? semanticJobsFor(payload) : []),
    ];
    this.#turnsSincePrune += episodes.length;
    if (this.#turnsSincePrune >= pruneEveryTurns) {
      this.#turnsSincePrune = 0;
      jobs.push({ kind: jobKinds.prune, payload: {} });
    }
    // As a write to the conversation, so a deletion starting now waits for these jobs and then drops them.
    await gate.write(conversationId, () => this.#deps.queue.enqueue(jobs));
  }

  /** A job about one conversation, run as a write to it (see runForConversation). */
  #ofConversation(
    job: EpisodeJob,
    signal: AbortSignal,
    work: (job: EpisodeJob, stop: AbortSignal) => Promise<void>,
  ): Promise<void> {
    return runForConversation(this.#deps.conversations, job.conversationId, signal, (stop) => work(job, stop));
  }

  async #embed(job: EpisodeJob, signal: AbortSignal): Promise<void> {
    const embedder = this.#deps.models.embedder();
    // No embedder: lexical recall serves; a later embedder re-embeds everything in one pass.
    if (!embedder) return;
    const rows = await episodesOf(this.#deps.episodes, job);
    for (let start = 0; start < rows.length; start += 64) {
      if (signal.aborted) throw new Error("Stopped while embedding.");
      await this.#deps.vectors.add(embedder, rows.slice(start, start + 64));
      this.#deps.events.emit("jobs.progress", {
        kind: jobKinds.embed,
        done: Math.min(rows.length, start + 64),
        total: rows.length,
      });
    }
  }

  async #summarize(job: EpisodeJob, signal: AbortSignal): Promise<void> {
    const model = this.#deps.models.chatModel();
    if (!model) throw new JobDeferred("No chat model to summarise with.");
    const rows = await episodesOf(this.#deps.episodes, job);
    if (rows.length === 0) return;
    const settings = await this.#deps.settings.read();
    const now = this.#deps.clock();
    const turns = rows.map((row) => ({ speaker: row.speaker, text: row.text }));
    await this.#deps.compact.updateConversation(model, job.conversationId, turns, {
      digestEvery: settings.digestEveryTurns,
      now,
      signal,
    });
    const userTurns = rows
      .filter((row) => row.role === "user")
      .map((row) => ({ speaker: row.speaker, text: row.text }));
    if (userTurns.length > 0) await this.#deps.compact.updateProfile(model, userTurns, { now, signal });
    this.#deps.events.emit("memory.changed", { conversationId: job.conversationId, kinds: ["summary"] });
  }

  async #prune(): Promise<void> {
    const settings = await this.#deps.settings.read();
    const archived = await this.#deps.forgetting.prune(
      { forgetAfterDays: settings.forgetAfterDays, maxHotEpisodes: settings.maxHotEpisodes },
      this.#deps.clock(),
    );
    if (archived > 0) this.#deps.events.emit("memory.changed", { kinds: ["episode"] });
  }
}
