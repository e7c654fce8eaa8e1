import { mkdir } from "node:fs/promises";
import { Session, connect, type Connection } from "@lancedb/lancedb";
import { EngramError, storageFailure } from "../errors.ts";
import { DatabaseBackups } from "./databaseBackups.ts";
import { DiskReserve, type MeasureDisk } from "./diskReserve.ts";
import { createTableIfMissing, migrations as defaultMigrations, type Migration } from "./migrations.ts";
import type { TableName } from "./schema.ts";
import { eq } from "./sql.ts";
import { TableHandle } from "./tableHandle.ts";
import { repairUnreadableTables, type TableRepair } from "./tableRepair.ts";

export interface DatabaseOptions {
  /** Folder holding the LanceDB tables (created if missing). */
  directory: string;
  /** Schema steps; tests pass their own to exercise the mechanism. */
  migrations?: Migration[];
  /**
   * Where a copy of the database folder is made before schema migrations run on it (kept: the last few). Without
   * one, no copy is made, and a failed migration fails the open.
   */
  backupDirectory?: string;
  /** Where failures of background maintenance go (they never fail a user's request). */
  onBackgroundError?: (error: unknown) => void;
  /** How the disk's free space is read for the reserve every write checks (tests pass their own). */
  measureDisk?: MeasureDisk;
}

/**
 * The app's LanceDB database: opens (and migrates) the data folder and hands out one `TableHandle` per table.
 */
export class Database {
  readonly directory: string;
  readonly schemaVersion: number;
  /**
   * Why the schema could not be upgraded on this open (the backup or a migration failed, and the folder was left or
   * put back as it was), or null. The database still opens at `schemaVersion`, so the user keeps their memories.
   */
  migrationFailure: string | null = null;
  /** Tables that could not be read and were repaired on this open (see tableRepair.ts); empty almost always. */
  repairs: TableRepair[] = [];
  readonly #connection: Connection;
  /** A second connection, with its own small caches, that only runs `optimize` (see TableHandle). */
  #maintenance: Promise<Connection> | null = null;
  readonly #tables = new Map<string, TableHandle<object>>();
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #reserve: DiskReserve;
  #maintenanceTimer: NodeJS.Timeout | null = null;

  private constructor(
    directory: string,
    connection: Connection,
    schemaVersion: number,
    onError: (e: unknown) => void,
    reserve: DiskReserve,
  ) {
    this.directory = directory;
    this.#connection = connection;
    this.schemaVersion = schemaVersion;
    this.#onBackgroundError = onError;
    this.#reserve = reserve;
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    const backups = options.backupDirectory ? new DatabaseBackups(options.directory, options.backupDirectory) : null;
    // Before anything creates the folder: a restore cut short may still have to put the database back in place.
    await backups?.recover();
    await mkdir(options.directory, { recursive: true });
    const steps = [...(options.migrations ?? defaultMigrations)].sort((a, b) => a.version - b.version);
    const known = steps.at(-1)?.version ?? 0;
    let connection = await connectTo(options.directory);
    let repairs: TableRepair[];
    try {
      repairs = await repairUnreadableTables(connection, options.directory);
    } catch (error) {
      connection.close();
      throw error;
    }
    for (const repair of repairs) console.error(`Engram: ${describeRepair(repair)}`);
    let version = await readSchemaVersion(connection);
    if (version > known) {
      connection.close();
      throw new EngramError(
        "conflict",
        `The data folder ${options.directory} was written by a newer Engram (schema ${version}; this one knows ${known}). Update Engram to open it.`,
      );
    }
    const pending = steps.filter((step) => step.version > version);
    let migrationFailure: string | null = null;
    // A new folder has nothing to lose; a folder with data is copied before its first step runs.
    let backup: string | null = null;
    if (pending.length > 0 && version > 0 && backups) {
      try {
        backup = await backups.take(pending[0]!.version);
      } catch (error) {
        // Without a copy nothing is migrated: the data stays as it is, at the version it has.
        migrationFailure = `The data folder could not be backed up before upgrading its schema, so it was not upgraded: ${describe(error)}`;
      }
    }
    if (migrationFailure === null) {
      try {
        for (const step of pending) {
          await step.up(connection);
          await writeSchemaVersion(connection, step.version);
          version = step.version;
        }
      } catch (error) {
        if (!backup) {
          connection.close();
          throw error;
        }
        // Undo every step of this run: the folder goes back to the copy taken before the first one.
        connection.close();
        await backups!.restore(backup);
        connection = await connectTo(options.directory);
        version = await readSchemaVersion(connection);
        migrationFailure = `Upgrading the data folder's schema failed and was undone (the data is as it was before): ${describe(error)}`;
      }
    }
    const report = options.onBackgroundError ?? defaultReport;
    if (migrationFailure) {
      (options.onBackgroundError ?? ((error) => console.error(`Engram: ${describe(error)}`)))(
        new EngramError("internal", migrationFailure),
      );
    }
    const reserve = new DiskReserve(options.directory, options.measureDisk);
    const db = new Database(options.directory, connection, version, report, reserve);
    db.migrationFailure = migrationFailure;
    db.repairs = repairs;
    return db;
  }

  /**
   * What this open had to mend or could not do, in sentences for the user (Settings shows them): a table repaired
   * after a full disk, a schema upgrade not made or undone. Empty almost always.
   */
  get notices(): string[] {
    return [
      ...this.repairs.map((repair) => noticeOf(repair)),
      ...(this.migrationFailure ? [this.migrationFailure] : []),
    ];
  }

  /** The handle of a table, opened on first use and kept for the life of the database. */
  async table<Row extends object>(name: TableName | string): Promise<TableHandle<Row>> {
    let handle = this.#tables.get(name);
    if (!handle) {
      handle = new TableHandle(
        name,
        await this.#connection.openTable(name),
        this.#onBackgroundError,
        async () => (await this.#maintenanceConnection()).openTable(name),
        () => this.#reserve.check(),
      );
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
    if (this.#maintenance) (await this.#maintenance.catch(() => null))?.close();
  }

  #maintenanceConnection(): Promise<Connection> {
    // Small caches: what optimize reads is read once; nothing it caches helps a query.
    this.#maintenance ??= connect(this.directory, {}, new Session(BigInt(32 * 2 ** 20), BigInt(16 * 2 ** 20)));
    return this.#maintenance;
  }
}

async function connectTo(directory: string): Promise<Connection> {
  // LanceDB's default caches may grow to 6 GB (indexes) and 1 GB (file metadata), sized for a server. A desktop
  // app shares the machine with the chat model: 256 MB and 64 MB hold 100,000 turns' indexes with room to spare
  // (measured: the same recall latency at 100,000 turns as with the defaults).
  const connection = await connect(directory, {}, new Session(BigInt(256 * 2 ** 20), BigInt(64 * 2 ** 20)));
  await createTableIfMissing(connection, "meta");
  return connection;
}

async function readSchemaVersion(connection: Connection): Promise<number> {
  const meta = await connection.openTable("meta");
  try {
    const [row] = await meta.query().where(eq("key", "schemaVersion")).toArray();
    return row ? Number(row.value) : 0;
  } finally {
    meta.close();
  }
}

/** Recorded after every step, so a crash between steps resumes where it stopped. */
async function writeSchemaVersion(connection: Connection, version: number): Promise<void> {
  const meta = await connection.openTable("meta");
  try {
    await meta
      .mergeInsert("key")
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([{ key: "schemaVersion", value: String(version) }]);
  } finally {
    meta.close();
  }
}

/** The log's account of a repair, for whoever reads the log. */
function describeRepair({ table, files, deletionsFromVersion, duplicatesRemoved }: TableRepair): string {
  return (
    `the ${table} table could not be read (a write cut short by a full disk had left ${files.length} damaged deletion file(s)) and was repaired` +
    ` with the deletions of its version ${deletionsFromVersion ?? "(none readable: no deletions)"}; nothing saved since is lost,` +
    ` ${duplicatesRemoved} older copies of updated rows were removed again, and rows the interrupted write had deleted may be back.`
  );
}

/** What a table holds, in the user's words. */
const tableContents: Record<string, string> = {
  conversations: "conversation list",
  messages: "chat messages",
  episodes: "remembered turns",
  episodes_archive: "archived turns",
  summaries: "summaries",
  facts: "facts",
  entities: "people, places and things",
  relations: "relations between them",
  mentions: "record of who is mentioned where",
  memory_history: "memory history",
  jobs: "list of background work",
  settings: "settings",
  imports: "record of imports",
};

/** The same repair told to the user (Settings > Data). */
function noticeOf({ table }: TableRepair): string {
  const what = tableContents[table] ?? (table.startsWith("vectors_") ? "recall-by-meaning vectors" : table);
  return (
    `A write that a full disk cut short had left the ${what} unreadable, and Engram repaired it when it started. ` +
    `Nothing you saved is lost; something deleted just before the disk filled may be back.`
  );
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function defaultReport(error: unknown): void {
  // A full or read-only disk is said in one line (it repeats while the disk stays full); a fault with everything.
  const storage = storageFailure(error);
  if (storage) console.error(`Engram storage maintenance postponed: ${storage.message}`);
  else console.error("Engram storage maintenance failed:", error);
}
