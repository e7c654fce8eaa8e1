import type { Database } from "./database.ts";
import { deleteRows } from "./deleteRows.ts";
import { plainRows } from "./plainRows.ts";
import type { FactRow } from "./schema.ts";
import type { TableHandle } from "./tableHandle.ts";
import { upsertRows } from "./upsertRows.ts";

/**
 * Facts as rows. The semantic memory keeps them all in memory (they are few next to turns) and writes every change
 * through here; the table is the truth it is rebuilt from at start.
 */
export class FactStore {
  readonly #table: TableHandle<FactRow>;

  private constructor(table: TableHandle<FactRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<FactStore> {
    return new FactStore(await db.table<FactRow>("facts"));
  }

  /** Every fact, deleted and superseded ones included (export reads this too). */
  async allRows(): Promise<FactRow[]> {
    return plainRows<FactRow>(await this.#table.table.query().toArrow());
  }

  /** Writes facts, replacing rows with the same id (an import writes an export's rows back this way). */
  async restoreRows(rows: FactRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Same as restoreRows: the write path of every change. */
  async upsert(rows: FactRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** BM25 full-text search over statements; ids and scores only (the rows are in memory). */
  async searchStatements(query: string, limit: number): Promise<{ id: string; _score: number }[]> {
    return plainRows<{ id: string; _score: number }>(
      await this.#table.table
        .query()
        .fullTextSearch(query, { columns: "statement" })
        .select(["id", "_score"])
        .limit(limit)
        .toArrow(),
    );
  }

  /** Removes facts for good (what was learned only from a deleted conversation or a replaced reply). */
  async deleteByIds(ids: readonly string[]): Promise<void> {
    await deleteRows(this.#table, "id", ids);
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
