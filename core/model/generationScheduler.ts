import { CancelledError } from "../errors.ts";
import type { GenerationPriority } from "./interfaces.ts";

interface Job {
  priority: GenerationPriority;
  run: (signal: AbortSignal) => Promise<unknown>;
  userSignal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  preempt: AbortController | undefined;
}

/**
 * Runs one generation at a time on the model, chat first. A chat request that arrives while a background memory job
 * is generating preempts it: the job's generation is aborted and the job goes back to the head of the background
 * queue, to run again from the start once no chat is waiting. Background jobs are short, grammar-constrained calls,
 * so restarting one costs little, while the user never waits behind memory work.
 */
export class GenerationScheduler {
  readonly #chatQueue: Job[] = [];
  readonly #backgroundQueue: Job[] = [];
  #running: Job | undefined;
  #preemptions = 0;

  /** How many background generations were preempted by chat (exposed for tests and diagnostics). */
  get preemptions(): number {
    return this.#preemptions;
  }

  /**
   * Schedules `run`. It receives a signal that fires on the caller's abort or on preemption; a preempted background
   * run's outcome is discarded and the run is repeated later, so `run` must be safe to repeat. A caller's abort while
   * the run still waits its turn takes it out of the queue at once and rejects with CancelledError: a reply the user
   * stopped never starts (a signal aborted before a run starts would otherwise never fire for it).
   */
  schedule<T>(
    priority: GenerationPriority,
    signal: AbortSignal | undefined,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        priority,
        run,
        userSignal: signal,
        resolve: resolve as (value: unknown) => void,
        reject,
        preempt: undefined,
      };
      if (signal?.aborted) return reject(new CancelledError());
      signal?.addEventListener("abort", () => this.#dropQueued(job), { once: true });
      (priority === "chat" ? this.#chatQueue : this.#backgroundQueue).push(job);
      if (priority === "chat" && this.#running?.priority === "background") {
        this.#preemptions++;
        this.#running.preempt?.abort();
      }
      this.#pump();
    });
  }

  #dropQueued(job: Job): void {
    for (const queue of [this.#chatQueue, this.#backgroundQueue]) {
      const index = queue.indexOf(job);
      if (index < 0) continue;
      queue.splice(index, 1);
      job.reject(new CancelledError());
    }
  }

  #pump(): void {
    if (this.#running) return;
    const job = this.#chatQueue.shift() ?? this.#backgroundQueue.shift();
    if (!job) return;
    this.#running = job;
    job.preempt = new AbortController();
    const signals = [job.preempt.signal, ...(job.userSignal ? [job.userSignal] : [])];
    const wasPreempted = () => job.preempt?.signal.aborted === true && job.userSignal?.aborted !== true;
    job
      .run(AbortSignal.any(signals))
      .then(
        (value) => (wasPreempted() ? this.#backgroundQueue.unshift(job) : job.resolve(value)),
        (error: unknown) => (wasPreempted() ? this.#backgroundQueue.unshift(job) : job.reject(error)),
      )
      .finally(() => {
        this.#running = undefined;
        this.#pump();
      });
  }

  /** Fails everything queued (used when the model is unloaded or replaced). */
  rejectQueued(error: Error): void {
    for (const job of this.#chatQueue.splice(0)) job.reject(error);
    for (const job of this.#backgroundQueue.splice(0)) job.reject(error);
  }
}
