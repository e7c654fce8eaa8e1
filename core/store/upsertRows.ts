import type { TableHandle } from "./tableHandle.ts";

/**
 * Writes rows by id in one LanceDB merge: a row with a known id replaces the stored one, a new id is inserted. One
 * merge per call, so a caller that batches its changes pays one table version for all of them.
 */
export async function upsertRows<Row extends { id: string }>(handle: TableHandle<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  // The last version of a row given twice wins; a merge with duplicate source keys would fail.
  const byId = new Map(rows.map((row) => [row.id, row]));
  await handle.write((table) =>
    table
      .mergeInsert("id")
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([...byId.values()] as unknown as Record<string, unknown>[]),
  );
}
