import type { EventBus } from "../eventBus.ts";
import type { VectorMemory } from "../memory/vectorMemory.ts";
import type { Embedder, ModelProvider } from "../model/interfaces.ts";
import type { EpisodeStore } from "../store/episodeStore.ts";
import { JobDeferred, type JobQueue } from "./jobQueue.ts";

export const reembedJobKind = "reembed";

/** Episodes embedded per job: small enough that chat waits at most one job, large enough to amortise the id scans. */
const episodesPerJob = 512;
/** Episodes per embed call inside a job (one host round trip). */
const episodesPerBatch = 64;

export interface ReembeddingDependencies {
  queue: JobQueue;
  episodes: EpisodeStore;
  vectors: VectorMemory;
  models: ModelProvider;
  events: EventBus;
  /** True while a chat reply is being generated: a running backfill stops at the next batch and queues the rest. */
  isBusy: () => boolean;
}

/**
 * Keeps every hot episode embedded by the current embedder. When the embedder changes (or the app starts with turns
 * that were never embedded), the missing vectors are filled in by persistent background jobs that report progress as
 * "jobs.progress" events of kind "reembed", resume after a restart and yield to chat. Until the current embedder's
 * vectors cover every hot episode, recall gets no embedder and so is lexical only: a half-filled vector table would
 * rank the few embedded turns above the rest.
 */
export class Reembedding {
  readonly #deps: ReembeddingDependencies;
  /** The embedder whose vectors cover every hot episode, so recall may use it. */
  #readyId: string | null = null;
  #checking: { embedderId: string; done: Promise<void> } | null = null;

  constructor(deps: ReembeddingDependencies) {
    this.#deps = deps;
    deps.queue.register(reembedJobKind, (payload, signal) => this.#run(payload as { embedderId: string }, signal));
  }

  /** The embedder recall may use now: the current one once its vectors are complete, otherwise none (lexical). */
  recallEmbedder(): Embedder | null {
    const embedder = this.#deps.models.embedder();
    if (!embedder) return null;
    if (embedder.id === this.#readyId) return embedder;
    // A switch nobody announced (or one still being checked): check now, recall lexically meanwhile.
    this.syncInBackground();
    return null;
  }

  /** `sync` for callers that do not wait for it (an embedder switch announced by the model service). */
  syncInBackground(): void {
    void this.sync().catch((error: unknown) => console.error("Engram: checking the embedder's vectors failed:", error));
  }

  /**
   * Looks at the current embedder (call after it may have changed): when some hot episodes have no vector from it,
   * queues the background re-embedding; otherwise marks it ready for recall. Resolves once that is decided.
   */
  sync(): Promise<void> {
    const embedder = this.#deps.models.embedder();
    if (!embedder) {
      this.#readyId = null;
      return Promise.resolve();
    }
    if (embedder.id === this.#readyId) return Promise.resolve();
    if (this.#checking?.embedderId === embedder.id) return this.#checking.done;
    const done = this.#check(embedder).finally(() => {
      if (this.#checking?.done === done) this.#checking = null;
    });
    this.#checking = { embedderId: embedder.id, done };
    return done;
  }

  /** Resolves when no check is under way (tests and benchmarks drain jobs after it). */
  async settled(): Promise<void> {
    while (this.#checking) await this.#checking.done;
  }

  async #check(embedder: Embedder): Promise<void> {
    this.#readyId = null;
    const { missing } = await this.#coverage(embedder);
    if (missing.length === 0) {
      if (this.#deps.models.embedder()?.id === embedder.id) this.#readyId = embedder.id;
      return;
    }
    await this.#deps.queue.enqueue([{ kind: reembedJobKind, payload: { embedderId: embedder.id } }]);
  }

  /** One job: embeds up to `episodesPerJob` missing episodes, then queues the next job or marks the embedder ready. */
  async #run(payload: { embedderId: string }, signal: AbortSignal): Promise<void> {
    const embedder = this.#deps.models.embedder();
    if (!embedder) throw new JobDeferred("No embedder is loaded.");
    // The user switched again since this was queued: the newer switch queued its own backfill.
    if (embedder.id !== payload.embedderId) return;
    const { missing, total } = await this.#coverage(embedder);
    let done = total - missing.length;
    const progress = () =>
      this.#deps.events.emit("jobs.progress", { kind: reembedJobKind, done: Math.min(done, total), total });
    progress();
    const slice = missing.slice(0, episodesPerJob);
    for (let start = 0; start < slice.length; start += episodesPerBatch) {
      if (signal.aborted) throw new Error("Stopped while re-embedding.");
      // Chat has priority: stop here and let the next job carry on once the reply is done.
      if (start > 0 && this.#deps.isBusy()) break;
      const rows = await this.#deps.episodes.byIds(slice.slice(start, start + episodesPerBatch));
      await this.#deps.vectors.add(embedder, rows);
      done += rows.length;
      progress();
    }
    if (done < total) {
      await this.#deps.queue.enqueue([{ kind: reembedJobKind, payload }]);
      return;
    }
    if (this.#deps.models.embedder()?.id === embedder.id) this.#readyId = embedder.id;
  }

  /** Hot episodes without a vector from `embedder` (archived ones are not recalled, so they are not embedded). */
  async #coverage(embedder: Embedder): Promise<{ missing: string[]; total: number }> {
    const [hot, embedded] = await Promise.all([
      this.#deps.episodes.hotIds(),
      this.#deps.vectors.embeddedIds(embedder.id),
    ]);
    return { missing: hot.filter((id) => !embedded.has(id)), total: hot.length };
  }
}
