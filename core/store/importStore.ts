import type { Database } from "./database.ts";
import type { ImportRow } from "./schema.ts";
import { eq, isIn } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

/** Keys are looked up this many at a time (an IN list of a few hundred literals stays a cheap filter). */
const lookupChunk = 500;

/**
 * The record of conversations imported from other assistants. A conversation's row is written as "pending" before
 * any of its rows, and turned "done" once they are all durable: a rerun of the same file skips what is done, and the
 * next start rolls back what was pending (a crash midway), so an import never leaves half a conversation or a double.
 */
export class ImportStore {
  readonly #table: TableHandle<ImportRow>;

  private constructor(table: TableHandle<ImportRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<ImportStore> {
    return new ImportStore(await db.table<ImportRow>("imports"));
  }

  /** The records of these keys, by key. */
  async find(keys: string[]): Promise<Map<string, ImportRow>> {
    const found = new Map<string, ImportRow>();
    for (let start = 0; start < keys.length; start += lookupChunk) {
      const rows = (await this.#table.table
        .query()
        .where(isIn("key", keys.slice(start, start + lookupChunk)))
        .toArray()) as ImportRow[];
      for (const row of rows) found.set(row.key, { ...row });
    }
    return found;
  }

  /** Records that these conversations are being written. */
  async markPending(rows: ImportRow[]): Promise<void> {
    await this.#table.append(rows.map((row) => ({ ...row, status: "pending" as const })));
  }

  /** Records that every row of these conversations is durable (the commit point of each). */
  async markDone(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#table.write((table) => table.update({ where: isIn("key", keys), values: { status: "done" } }));
  }

  /** Imports that were under way when the app stopped. */
  async pending(): Promise<ImportRow[]> {
    return (await this.#table.table.query().where(eq("status", "pending")).toArray()) as ImportRow[];
  }

  /** Forgets records (after their half-written conversations were rolled back). */
  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#table.write((table) => table.delete(isIn("key", keys)));
  }

  /** Every record (the Engram export carries them, so a re-import into another folder stays idempotent). */
  async all(): Promise<ImportRow[]> {
    return (await this.#table.table.query().toArray()) as ImportRow[];
  }

  /** Writes records back by key (an Engram import), replacing a record with the same key. */
  async put(rows: ImportRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#table.write((table) =>
      table
        .mergeInsert("key")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(rows as unknown as Record<string, unknown>[]),
    );
  }
}
