import type { Database } from "./database.ts";
import { plainRows } from "./plainRows.ts";
import type { TableName } from "./schema.ts";
import { column, isIn } from "./sql.ts";

/** Ids go into one filter this many at a time. */
const idsPerFilter = 1000;

/**
 * Whole-table reads and writes for export and import, by table name. Everything goes through the database's shared
 * table handles, so these writes queue behind (and never interleave with) those of the stores that own the tables.
 */
export class TableTransfer {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every row of a table, as plain objects. */
  async all<Row>(name: TableName): Promise<Row[]> {
    const handle = await this.#db.table<object>(name);
    return plainRows<Row>(await handle.table.query().toArrow());
  }

  /** Appends rows (rows of new ids only: nothing here checks for doubles). */
  async append<Row extends object>(name: TableName, rows: Row[]): Promise<void> {
    const handle = await this.#db.table<Row>(name);
    await handle.append(rows);
  }

  /**
   * Writes rows by key: a row whose key is new is added, one whose key exists replaces it, unless `newerBy` names a
   * time column and the stored row is at least as new.
   */
  async put<Row extends object>(
    name: TableName,
    rows: Row[],
    options: { key?: string; newerBy?: string } = {},
  ): Promise<void> {
    if (rows.length === 0) return;
    const handle = await this.#db.table<Row>(name);
    const key = options.key ?? "id";
    const condition = options.newerBy
      ? { where: `target.${column(options.newerBy)} < source.${column(options.newerBy)}` }
      : undefined;
    for (let start = 0; start < rows.length; start += idsPerFilter * 10) {
      const slice = rows.slice(start, start + idsPerFilter * 10) as unknown as Record<string, unknown>[];
      await handle.write((table) =>
        table.mergeInsert(key).whenMatchedUpdateAll(condition).whenNotMatchedInsertAll().execute(slice),
      );
    }
  }

  /** Deletes the rows whose `columnName` is one of `values`. */
  async deleteWhereIn(name: string, columnName: string, values: string[]): Promise<void> {
    if (values.length === 0 || !(await this.#db.hasTable(name))) return;
    const handle = await this.#db.table<object>(name);
    for (let start = 0; start < values.length; start += idsPerFilter) {
      const filter = isIn(columnName, values.slice(start, start + idsPerFilter));
      await handle.write((table) => table.delete(filter));
    }
  }

  /** Names of the vector tables (one per embedder that ever embedded anything). */
  async vectorTables(): Promise<string[]> {
    return (await this.#db.connection.tableNames()).filter((name) => name.startsWith("vectors_"));
  }
}
