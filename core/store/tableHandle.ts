import type { Table } from "@lancedb/lancedb";

/** How many writes a table takes before its next `optimize` (compaction, index update, old version cleanup). */
const writesBetweenOptimize = 64;

/**
 * One LanceDB table with the write discipline Engram needs: writes to a table run one at a time (LanceDB would
 * otherwise retry conflicting commits), appends that arrive together are coalesced into one batch (a LanceDB append
 * costs a new version, so one per row would be slow), and `optimize` runs in the background after enough writes so
 * thousands of small appends stay fast to read.
 */
export class TableHandle<Row extends object> {
  readonly name: string;
  readonly table: Table;
  #writeChain: Promise<unknown> = Promise.resolve();
  #pending: { rows: Row[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushScheduled = false;
  #writesSinceOptimize = 0;
  #optimizing: Promise<void> | null = null;
  #disposed = false;
  readonly #onBackgroundError: (error: unknown) => void;

  constructor(name: string, table: Table, onBackgroundError: (error: unknown) => void) {
    this.name = name;
    this.table = table;
    this.#onBackgroundError = onBackgroundError;
  }

  /**
   * Appends rows; resolves once they are durable on disk. Calls made in the same tick share one LanceDB append.
   */
  append(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ rows, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * Runs a write (update, delete, merge) after every earlier write of this table has finished, appends asked for
   * before it included: a delete issued after an append always sees the appended rows.
   */
  write<T>(operation: (table: Table) => Promise<T>): Promise<T> {
    if (this.#pending.length > 0) this.#flush();
    const run = this.#writeChain.then(() => operation(this.table));
    this.#writeChain = run.then(
      () => this.#afterWrite(),
      () => this.#afterWrite(),
    );
    return run;
  }

  /** Compacts files, folds new rows into indexes and drops old versions. Safe to call at any time. */
  optimize(): Promise<void> {
    if (this.#optimizing) return this.#optimizing;
    this.#writesSinceOptimize = 0;
    this.#optimizing = this.write(async (table) => {
      // Keep a minute of versions: a reader that opened one just before stays valid.
      await table.optimize({ cleanupOlderThan: new Date(Date.now() - 60_000) });
    }).finally(() => {
      this.#optimizing = null;
    });
    return this.#optimizing;
  }

  /** Waits for every queued append and write to finish. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushScheduled) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.#writeChain;
    if (this.#optimizing) await this.#optimizing;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    await this.flush();
    this.#disposed = true;
    this.table.close();
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    // A write flushed this batch already (appends go before the writes issued after them).
    if (batch.length === 0) return;
    const rows = batch.flatMap((entry) => entry.rows);
    this.write((table) => table.add(rows as unknown as Record<string, unknown>[])).then(
      () => batch.forEach((entry) => entry.resolve()),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }

  #afterWrite(): void {
    this.#writesSinceOptimize += 1;
    if (this.#writesSinceOptimize >= writesBetweenOptimize && !this.#optimizing && !this.#disposed) {
      this.optimize().catch(this.#onBackgroundError);
    }
  }
}
