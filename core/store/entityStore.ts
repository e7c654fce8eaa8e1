import type { Database } from "./database.ts";
import { deleteRows } from "./deleteRows.ts";
import { plainRows } from "./plainRows.ts";
import type { EntityRow } from "./schema.ts";
import type { TableHandle } from "./tableHandle.ts";
import { upsertRows } from "./upsertRows.ts";

/**
 * Entitys as rows. The semantic memory keeps them all in memory and writes every change through here; the table is
 * the truth it is rebuilt from at start.
 */
export class EntityStore {
  readonly #table: TableHandle<EntityRow>;

  private constructor(table: TableHandle<EntityRow>) {
    this.#table = table;
  }

  static async open(db: Database): Promise<EntityStore> {
    return new EntityStore(await db.table<EntityRow>("entities"));
  }

  /** Every row, merged and deleted ones included (export reads this too). */
  async allRows(): Promise<EntityRow[]> {
    return plainRows<EntityRow>(await this.#table.table.query().toArrow());
  }

  /** Writes rows, replacing those with the same id (an import writes an export's rows back this way). */
  async restoreRows(rows: EntityRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Same as restoreRows: the write path of every change. */
  async upsert(rows: EntityRow[]): Promise<void> {
    await upsertRows(this.#table, rows);
  }

  /** Removes entities for good (what was learned only from a deleted conversation or a replaced reply). */
  async deleteByIds(ids: readonly string[]): Promise<void> {
    await deleteRows(this.#table, "id", ids);
  }

  async count(): Promise<number> {
    return this.#table.table.countRows();
  }
}
