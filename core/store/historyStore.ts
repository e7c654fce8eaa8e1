import type { Database } from "./database.ts";
import { newId } from "./ids.ts";
import type { HistoryRow } from "./schema.ts";
import { eq } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

export type HistoryEntry = Omit<HistoryRow, "id" | "at"> & { at?: number };

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
    await this.#table.append(entries.map((entry) => ({ id: newId("hist"), ...entry, at: entry.at ?? now })));
  }

  async forMemory(memoryId: string): Promise<HistoryRow[]> {
    const rows = (await this.#table.table.query().where(eq("memoryId", memoryId)).toArray()) as HistoryRow[];
    return rows.sort((a, b) => a.at - b.at);
  }
}
