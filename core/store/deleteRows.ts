import { isIn } from "./sql.ts";
import type { TableHandle } from "./tableHandle.ts";

/** Values per `IN (...)` filter: a conversation's mentions can number thousands, and one filter that long is slow. */
const valuesPerDelete = 500;

/** Deletes the rows whose `column` is one of `values`, in a few filtered deletes; none at all when `values` is empty. */
export async function deleteRows<Row extends object>(
  handle: TableHandle<Row>,
  column: string,
  values: readonly string[],
): Promise<void> {
  for (let start = 0; start < values.length; start += valuesPerDelete) {
    const slice = values.slice(start, start + valuesPerDelete);
    await handle.write((table) => table.delete(isIn(column, slice)));
  }
}
