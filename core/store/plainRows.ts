import type { Table as ArrowTable } from "apache-arrow";

/**
 * The rows of an Arrow result as plain objects, read column by column. LanceDB's `toArray()` returns row proxies
 * whose every field access decodes through Arrow: recall touches each candidate's fields several times while it
 * scores, and on proxies that costs more than the full-text query itself.
 */
export function plainRows<T>(table: ArrowTable): T[] {
  const columns = table.schema.fields.map((field) => ({ name: field.name, values: table.getChild(field.name)! }));
  const rows: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}));
  for (const { name, values } of columns) {
    for (let i = 0; i < rows.length; i += 1) rows[i]![name] = values.get(i);
  }
  return rows as T[];
}
