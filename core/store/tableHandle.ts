import type { Table } from "@lancedb/lancedb";

/** How many writes a table takes before its next `optimize` (compaction, index update, old version cleanup). */
const writesBetweenOptimize = 64;
/**
 * Rows outside the full-text index below which those writes were small ones (chat turns), whose many small files
 * are worth compacting every `writesBetweenOptimize` writes. Past it they were big ones (an import), and the next
 * optimize waits until the rows outside are `bulkShare` of the rows inside: an optimize reads and rewrites the whole
 * index (8 s at 1,000,000 turns), so a fixed cadence made an import's cost grow with the square of its size.
 */
const smallWritesRows = writesBetweenOptimize * 64;
const bulkShare = 0.25;

/**
 * One LanceDB table with the write discipline Engram needs: writes to a table run one at a time (LanceDB would
 * otherwise retry conflicting commits), appends that arrive together are coalesced into one batch (a LanceDB append
 * costs a new version, so one per row would be slow), and `optimize` runs in the background after enough writes so
 * thousands of small appends stay fast to read.
 *
 * It also keeps a table's full-text index covering most of its rows. LanceDB 0.31 (the newest whose builds for every
 * platform the registry serves) scores rows added since the last `optimize` with the index's statistics: with an
 * index built on an empty table, a query with common words in it ranks the turn it asks for nowhere at all, and with
 * a small index the new rows' scores are skewed. So an append that leaves more rows outside the index than in it
 * folds them in before it resolves. That happens at doubling sizes (1, 2, 4, ... rows), so it costs little in all.
 * Until the next `optimize` (every 64 small writes, a quarter more rows after big ones, or the database's periodic
 * upkeep) the rows outside still score somewhat lower than the same words inside; folding on every append would
 * cost a compaction per chat turn.
 * (Upstream: lance-format/lance#5871 and #9058, the statistics of the flat search over unindexed rows.)
 *
 * `optimize` runs through a second table object, opened on a maintenance connection with its own small caches. Run
 * through the connection queries use, it left that connection's caches holding the index as optimize had read it,
 * and every later full-text query paid for it: at 1,000,000 turns a query took 60 ms after an import in the same
 * process against 28 ms once the data folder was opened anew.
 */
export class TableHandle<Row extends object> {
  readonly name: string;
  readonly table: Table;
  #writeChain: Promise<unknown> = Promise.resolve();
  #pending: { rows: Row[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #flushScheduled = false;
  #writesSinceOptimize = 0;
  /** Rows the full-text index covers and rows appended since; null until the first append reads them. */
  #coverage: { indexed: number; outside: number } | null = null;
  #optimizing: Promise<void> | null = null;
  #disposed = false;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #openForMaintenance: () => Promise<Table>;
  readonly #beforeWrite: () => Promise<void>;
  #maintained: Promise<Table> | null = null;

  /**
   * `openForMaintenance`: opens the same table on the maintenance connection. `beforeWrite`: runs before every write
   * and optimize, and what it throws is that write's answer (the database's disk reserve).
   */
  constructor(
    name: string,
    table: Table,
    onBackgroundError: (error: unknown) => void,
    openForMaintenance: () => Promise<Table>,
    beforeWrite: () => Promise<void> = async () => {},
  ) {
    this.name = name;
    this.table = table;
    this.#onBackgroundError = onBackgroundError;
    this.#openForMaintenance = openForMaintenance;
    this.#beforeWrite = beforeWrite;
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
    const run = this.#writeChain.then(async () => {
      await this.#beforeWrite();
      return operation(this.table);
    });
    this.#writeChain = run.then(
      () => this.#afterWrite(),
      () => this.#afterWrite(),
    );
    return run;
  }

  /** Compacts files, folds new rows into indexes and drops old versions. Safe to call at any time. */
  optimize(): Promise<void> {
    if (this.#optimizing) return this.#optimizing;
    this.#optimizing = this.write((table) => this.#optimizeNow(table)).finally(() => {
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
    if (this.#maintained) (await this.#maintained.catch(() => null))?.close();
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    // A write flushed this batch already (appends go before the writes issued after them).
    if (batch.length === 0) return;
    const rows = batch.flatMap((entry) => entry.rows);
    this.write(async (table) => {
      const coverage = await this.#readCoverage(table);
      await table.add(rows as unknown as Record<string, unknown>[]);
      coverage.outside += rows.length;
      if (coverage.outside > coverage.indexed) await this.#optimizeNow(table);
    }).then(
      () => batch.forEach((entry) => entry.resolve()),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }

  async #optimizeNow(table: Table): Promise<void> {
    this.#writesSinceOptimize = 0;
    const maintained = await this.#maintenanceTable();
    // It sees the writes made through `table` since it last ran, and `table` then sees what it wrote.
    await maintained.checkoutLatest();
    // Keep a minute of versions: a reader that opened one just before stays valid.
    await maintained.optimize({ cleanupOlderThan: new Date(Date.now() - 60_000) });
    await table.checkoutLatest();
    if (this.#coverage && Number.isFinite(this.#coverage.indexed)) {
      this.#coverage = { indexed: await table.countRows(), outside: 0 };
    }
  }

  /** The table object optimize runs through (opened once; a failed open is tried again next time). */
  #maintenanceTable(): Promise<Table> {
    this.#maintained ??= this.#openForMaintenance().catch((error: unknown) => {
      this.#maintained = null;
      throw error;
    });
    return this.#maintained;
  }

  /**
   * How many rows the table's full-text indexes cover (the least of them) and how many they do not, read once. A
   * table without one (messages, jobs) never needs folding in: it counts as covered whatever it holds.
   */
  async #readCoverage(table: Table): Promise<{ indexed: number; outside: number }> {
    if (this.#coverage) return this.#coverage;
    let coverage = { indexed: Number.POSITIVE_INFINITY, outside: 0 };
    for (const index of await table.listIndices()) {
      if (index.indexType === "FTS") {
        const stats = (await table.indexStats(index.name)) ?? { numIndexedRows: 0, numUnindexedRows: 0 };
        if (!Number.isFinite(coverage.indexed) || stats.numUnindexedRows > coverage.outside) {
          coverage = { indexed: stats.numIndexedRows, outside: stats.numUnindexedRows };
        }
      }
    }
    this.#coverage = coverage;
    return coverage;
  }

  #afterWrite(): void {
    this.#writesSinceOptimize += 1;
    if (this.#writesSinceOptimize >= writesBetweenOptimize && !this.#optimizing && !this.#disposed && this.#due()) {
      this.optimize().catch(this.#onBackgroundError);
    }
  }

  /** Whether the writes since the last optimize call for one now (see `smallWritesRows`). */
  #due(): boolean {
    const coverage = this.#coverage;
    if (!coverage || !Number.isFinite(coverage.indexed)) return true;
    return coverage.outside < smallWritesRows || coverage.outside >= bulkShare * coverage.indexed;
  }
}
