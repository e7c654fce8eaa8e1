import { mkdir } from "node:fs/promises";
import { Session, connect, type Connection } from "@lancedb/lancedb";
import { EngramError } from "../errors.ts";
import { createTableIfMissing, migrations as defaultMigrations, type Migration } from "./migrations.ts";
import type { TableName } from "./schema.ts";
import { eq } from "./sql.ts";
import { TableHandle } from "./tableHandle.ts";

export interface DatabaseOptions {
  /** Folder holding the LanceDB tables (created if missing). */
  directory: string;
  /** Schema steps; tests pass their own to exercise the mechanism. */
  migrations?: Migration[];
  /** Where failures of background maintenance go (they never fail a user's request). */
  onBackgroundError?: (error: unknown) => void;
}

/**
 * The app's LanceDB database: opens (and migrates) the data folder and hands out one `TableHandle` per table.
 */
export class Database {
  readonly directory: string;
  readonly schemaVersion: number;
  readonly #connection: Connection;
  readonly #tables = new Map<string, TableHandle<object>>();
  readonly #onBackgroundError: (error: unknown) => void;
  #maintenanceTimer: NodeJS.Timeout | null = null;

  private constructor(directory: string, connection: Connection, schemaVersion: number, onError: (e: unknown) => void) {
    this.directory = directory;
    this.#connection = connection;
    this.schemaVersion = schemaVersion;
    this.#onBackgroundError = onError;
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    await mkdir(options.directory, { recursive: true });
    // LanceDB's default caches may grow to 6 GB (indexes) and 1 GB (file metadata), sized for a server. A desktop
    // app shares the machine with the chat model: 256 MB and 64 MB hold 100,000 turns' indexes with room to spare
    // (measured: the same recall latency at 100,000 turns as with the defaults).
    const connection = await connect(options.directory, {}, new Session(BigInt(256 * 2 ** 20), BigInt(64 * 2 ** 20)));
    const steps = [...(options.migrations ?? defaultMigrations)].sort((a, b) => a.version - b.version);
    const known = steps.at(-1)?.version ?? 0;
    await createTableIfMissing(connection, "meta");
    const meta = await connection.openTable("meta");
    try {
      const [row] = await meta.query().where(eq("key", "schemaVersion")).toArray();
      let version = row ? Number(row.value) : 0;
      if (version > known) {
        throw new EngramError(
          "conflict",
          `The data folder ${options.directory} was written by a newer Engram (schema ${version}; this one knows ${known}). Update Engram to open it.`,
        );
      }
      for (const step of steps) {
        if (step.version <= version) continue;
        await step.up(connection);
        await meta
          .mergeInsert("key")
          .whenMatchedUpdateAll()
          .whenNotMatchedInsertAll()
          .execute([{ key: "schemaVersion", value: String(step.version) }]);
        version = step.version;
      }
      return new Database(options.directory, connection, version, options.onBackgroundError ?? defaultReport);
    } finally {
      meta.close();
    }
  }

  /** The handle of a table, opened on first use and kept for the life of the database. */
  async table<Row extends object>(name: TableName | string): Promise<TableHandle<Row>> {
    let handle = this.#tables.get(name);
    if (!handle) {
      handle = new TableHandle(name, await this.#connection.openTable(name), this.#onBackgroundError);
      this.#tables.set(name, handle);
    }
    return handle as TableHandle<Row>;
  }

  /** Whether a table exists (vector tables are created per embedder on demand). */
  async hasTable(name: string): Promise<boolean> {
    return (await this.#connection.tableNames()).includes(name);
  }

  get connection(): Connection {
    return this.#connection;
  }

  /** Runs `optimize` on every open table every `intervalMs`, so a quiet app still compacts what a busy hour wrote. */
  scheduleMaintenance(intervalMs: number): void {
    if (this.#maintenanceTimer) clearInterval(this.#maintenanceTimer);
    this.#maintenanceTimer = setInterval(() => {
      this.optimizeAll().catch(this.#onBackgroundError);
    }, intervalMs);
    this.#maintenanceTimer.unref();
  }

  /** Optimizes every open table now and waits for it. */
  async optimizeAll(): Promise<void> {
    await Promise.all([...this.#tables.values()].map((handle) => handle.optimize()));
  }

  /** Waits for all queued writes of every table. */
  async flush(): Promise<void> {
    await Promise.all([...this.#tables.values()].map((handle) => handle.flush()));
  }

  async dispose(): Promise<void> {
    if (this.#maintenanceTimer) clearInterval(this.#maintenanceTimer);
    await Promise.all([...this.#tables.values()].map((handle) => handle.dispose()));
    this.#tables.clear();
    this.#connection.close();
  }
}

function defaultReport(error: unknown): void {
  console.error("Engram storage maintenance failed:", error);
}
