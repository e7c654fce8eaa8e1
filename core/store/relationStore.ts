import type { Database } from "./database.ts";
import { deleteRows } from "./deleteRows.ts";
import { plainRows } from "./plainRows.ts";
import type { RelationRow } from "./schema.ts";
import type { TableHandle } from "./tableHandle.ts";
import { upsertRows } from "./upsertRows.ts";

/**
 * Relations as rows. The semantic memory keeps them all in memory and writes every change through here; the table is
 * the truth it is rebuilt from at start.
 */
export class RelationStore {
  readonly #table: TableHandle<RelationRow>;

  private constructor(table: TableHandle<RelationRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<RelationStore> {
    return new RelationStore(await db.table<RelationRow>("relations"));
  }

  /** Every row, merged and deleted ones included (export reads this too). */
  async allRows(): Promise<RelationRow[]> {
    return plainRows<RelationRow>(await this.#table.table.query().toArrow());
  }

  /** Writes rows, replacing those with the same id (an import writes an export's rows back this way). */
  async restoreRows(rows: RelationRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Same as restoreRows: the write path of every change. */
  async upsert(rows: RelationRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Removes relations for good (what was learned only from a deleted conversation or a replaced reply). */
  async deleteByIds(ids: readonly string[]): Promise<void> {
    await deleteRows(this.#table, "id", ids);
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
