import type { Database } from "./database.ts";
import { deleteRows } from "./deleteRows.ts";
import { newId } from "./ids.ts";
import type { HistoryRow } from "./schema.ts";
import { eq } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";
import { upsertRows } from "./upsertRows.ts";

export type HistoryEntry = Omit<HistoryRow, "id" | "at" | "changeId"> & { at?: number; changeId?: string | null };

/** The change log of every memory (who changed it, before and after), so the UI can show history and undo. */
export class HistoryStore {
  readonly #table: TableHandle<HistoryRow>;

  private constructor(table: TableHandle<HistoryRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<HistoryStore> {
    return new HistoryStore(await db.table<HistoryRow>("memory_history"));
  }

  async record(entries: HistoryEntry[]): Promise<void> {
    const now = Date.now();
    await this.#table.append(
      entries.map((entry) => ({ id: newId("hist"), ...entry, at: entry.at ?? now, changeId: entry.changeId ?? null })),
    );
  }

  async byId(id: string): Promise<HistoryRow | null> {
    const [row] = (await this.#table.table.query().where(eq("id", id)).limit(1).toArray()) as HistoryRow[];
    return row ?? null;
  }

  /** Every entry one change wrote, in order. */
  async forChange(changeId: string): Promise<HistoryRow[]> {
    const rows = (await this.#table.table.query().where(eq("changeId", changeId)).toArray()) as HistoryRow[];
    return rows.sort((a, b) => a.at - b.at);
  }

  /** The whole log (export reads it). */
  async allRows(): Promise<HistoryRow[]> {
    return (await this.#table.table.query().toArray()) as HistoryRow[];
  }

  /** Writes entries back by id (import); an entry already present is replaced, not doubled. */
  async restoreRows(rows: HistoryRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /**
   * Removes the entries of these memories. Used when a deletion takes memories away for good: their entries would
   * otherwise still show, and undo could bring back, what the user deleted.
   */
  async deleteForMemories(memoryIds: readonly string[]): Promise<void> {
    await deleteRows(this.#table, "memoryId", memoryIds);
  }

  async forMemory(memoryId: string): Promise<HistoryRow[]> {
    const rows = (await this.#table.table.query().where(eq("memoryId", memoryId)).toArray()) as HistoryRow[];
    return rows.sort((a, b) => a.at - b.at);
  }
}
