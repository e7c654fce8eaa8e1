import { storageFailure } from "../errors.ts";
import { OfflineError } from "../model/offlineError.ts";
import type { Database } from "../store/database.ts";
import { newId } from "../store/ids.ts";
import type { JobRow } from "../store/schema.ts";
import { eq, isIn } from "../store/sql.ts";
import type { TableHandle } from "../store/tableHandle.ts";

/** Thrown by a job handler that cannot run yet (no model loaded): the job waits, unharmed, until `wake()`. */
export class JobDeferred extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "JobDeferred";
  }
}

/** How long jobs wait after a full or read-only disk refused their writes before they are tried again. */
const diskRetryMs = 30_000;

export type JobHandler = (payload: unknown, signal: AbortSignal) => Promise<void>;

/**
 * A job as the queue keeps it in memory: everything but its payload, which is read from its row when the job runs.
 * An import of a million turns leaves thousands of jobs waiting (facts and summaries wait for a model), each naming
 * a thousand episodes; held in memory their payloads took over 100 MB.
 */
export type QueuedJob = Omit<JobRow, "payload">;

const queuedColumns = ["id", "kind", "status", "attempts", "error", "createdAt", "updatedAt"];

export interface JobQueueOptions {
  /** While this returns true (a chat reply is being generated), background jobs wait. */
  isBusy: () => boolean;
  /** Failures after the last attempt land here (and in the job row). */
  onError: (error: unknown, job: QueuedJob) => void;
  maxAttempts?: number;
}

/**
 * Persistent background work (embedding, summaries, fact extraction, pruning). Jobs are rows, so work enqueued
 * before a crash resumes on the next start; a finished job's row is deleted. Jobs run one at a time and yield to
 * chat: while the user waits for a reply, nothing here competes for the model.
 */
export class JobQueue {
  readonly #table: TableHandle<JobRow>;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #options: Required<JobQueueOptions>;
  #queue: QueuedJob[] = [];
  #deferred: QueuedJob[] = [];
  #running: Promise<void> | null = null;
  #abort = new AbortController();
  #started = false;
  #idleWaiters: (() => void)[] = [];
  #diskRetry: NodeJS.Timeout | null = null;

  private constructor(table: TableHandle<JobRow>, options: JobQueueOptions) {
    this.#table = table;
    this.#options = { maxAttempts: 3, ...options };
  }

  /** Opens the queue; jobs that were running when the app stopped go back in line. */
  static async open(db: Database, options: JobQueueOptions): Promise<JobQueue> {
    const queue = new JobQueue(await db.table<JobRow>("jobs"), options);
    const rows = (await queue.#table.table
      .query()
      .where(isIn("status", ["queued", "running"]))
      .select(queuedColumns)
      .toArray()) as QueuedJob[];
    queue.#queue = rows.sort((a, b) => a.createdAt - b.createdAt).map((row) => ({ ...row, status: "queued" }));
    return queue;
  }

  register(kind: string, handler: JobHandler): void {
    this.#handlers.set(kind, handler);
  }

  /** Persists jobs (in one write) and schedules them in order. Resolves once they are durable. */
  async enqueue(jobs: { kind: string; payload: unknown }[]): Promise<string[]> {
    const now = Date.now();
    const rows: JobRow[] = jobs.map(({ kind, payload }) => ({
      id: newId("job"),
      kind,
      payload: JSON.stringify(payload),
      status: "queued",
      attempts: 0,
      error: null,
      createdAt: now,
      updatedAt: now,
    }));
    await this.#table.append(rows);
    this.#queue.push(...rows.map(({ payload: _payload, ...job }) => job));
    this.#kick();
    return rows.map((row) => row.id);
  }

  /** Starts running jobs in the background. */
  start(): void {
    this.#started = true;
    this.#kick();
  }

  /** Retries deferred jobs (a model became available) and picks up work after chat finished. */
  wake(): void {
    this.#queue.push(...this.#deferred);
    this.#deferred = [];
    this.#kick();
  }

  /** Jobs not yet finished (queued, deferred or running). */
  get pending(): number {
    return this.#queue.length + this.#deferred.length + (this.#running ? 1 : 0);
  }

  /** Runs queued jobs until none is left that can run now (tests, benchmarks, quit). */
  async drain(): Promise<void> {
    this.#started = true;
    this.#kick();
    while (this.#running || (this.#queue.length > 0 && !this.#options.isBusy())) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  /**
   * Drops the queued and deferred jobs `match` picks, rows included (their subject is gone: a deleted
   * conversation). A job already running finishes on its own; its handler is expected to notice.
   */
  async discard(match: (kind: string, payload: unknown) => boolean): Promise<number> {
    const waiting = new Set([...this.#queue, ...this.#deferred].map((job) => job.id));
    const rows = (await this.#table.table
      .query()
      .where(isIn("status", ["queued", "running", "failed"]))
      .select(["id", "kind", "status", "payload"])
      .toArray()) as Pick<JobRow, "id" | "kind" | "status" | "payload">[];
    // A queued row not waiting here is the job running now: it finishes on its own.
    const dropped = new Set(
      rows
        .filter((row) => (row.status === "failed" || waiting.has(row.id)) && match(row.kind, JSON.parse(row.payload)))
        .map((row) => row.id),
    );
    if (dropped.size === 0) return 0;
    this.#queue = this.#queue.filter((job) => !dropped.has(job.id));
    this.#deferred = this.#deferred.filter((job) => !dropped.has(job.id));
    await this.#table.write((table) => table.delete(isIn("id", [...dropped])));
    return dropped.size;
  }

  async dispose(): Promise<void> {
    this.#started = false;
    this.#abort.abort();
    if (this.#diskRetry) clearTimeout(this.#diskRetry);
    await this.#running;
    await this.#table.flush();
  }

  #kick(): void {
    if (!this.#started || this.#running) return;
    this.#running = this.#runLoop().finally(() => {
      this.#running = null;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  async #runLoop(): Promise<void> {
    while (this.#started && this.#queue.length > 0) {
      if (this.#options.isBusy()) {
        // Chat has the model; look again shortly rather than holding a timer per job.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const job = this.#queue.shift()!;
      try {
        await this.#runOne(job);
      } catch (error) {
        this.#waitForDisk(job, error);
      }
    }
  }

  /**
   * A job whose writes (its own, or the queue's bookkeeping) failed on a full or read-only disk waits, unharmed and
   * without spending an attempt, and is tried again later: the disk may get space back. Anything else thrown here
   * is reported, never left to end the app as an unhandled rejection.
   */
  #waitForDisk(job: QueuedJob, error: unknown): void {
    const storage = storageFailure(error);
    if (!storage) console.error(`Engram background job ${job.kind} failed unexpectedly:`, error);
    else if (!this.#diskRetry) console.error(`Engram background jobs wait: ${storage.message}`);
    this.#deferred.push(job);
    if (this.#diskRetry) return;
    this.#diskRetry = setTimeout(() => {
      this.#diskRetry = null;
      this.wake();
    }, diskRetryMs);
    this.#diskRetry.unref();
  }

  async #runOne(job: QueuedJob): Promise<void> {
    const handler = this.#handlers.get(job.kind);
    if (!handler) {
      await this.#markFailed(job, `No handler for job kind ${job.kind}`);
      return;
    }
    const payload = await this.#payloadOf(job);
    if (payload === undefined) return; // discarded while it waited for its turn
    try {
      await handler(payload, this.#abort.signal);
      await this.#table.write((table) => table.delete(eq("id", job.id)));
    } catch (error) {
      // Offline mode refused a call that would have left the computer: the job waits for it to be turned off.
      if (error instanceof JobDeferred || error instanceof OfflineError) {
        this.#deferred.push(job);
        return;
      }
      if (this.#abort.signal.aborted) return; // Quitting: the row stays queued and resumes next start.
      if (storageFailure(error)) throw error; // the disk, not the job: it waits (see #waitForDisk)
      job.attempts += 1;
      if (job.attempts >= this.#options.maxAttempts) {
        await this.#markFailed(job, error instanceof Error ? error.message : String(error));
        this.#options.onError(error, job);
      } else {
        await this.#table.write((table) =>
          table.update({ where: eq("id", job.id), values: { attempts: job.attempts, updatedAt: Date.now() } }),
        );
        this.#queue.push(job);
      }
    }
  }

  /** The payload of a job, read from its row (undefined when the row is gone). */
  async #payloadOf(job: QueuedJob): Promise<unknown> {
    // Its row was durable before the job was queued here (enqueue appends first), so no flush is needed.
    const rows = (await this.#table.table.query().where(eq("id", job.id)).select(["payload"]).toArray()) as Pick<
      JobRow,
      "payload"
    >[];
    return rows[0] ? JSON.parse(rows[0].payload) : undefined;
  }

  async #markFailed(job: QueuedJob, message: string): Promise<void> {
    await this.#table.write((table) =>
      table.update({ where: eq("id", job.id), values: { status: "failed", error: message, updatedAt: Date.now() } }),
    );
  }
}
