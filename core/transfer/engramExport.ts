import { Bool, Float64, Int32, Utf8, type Field } from "apache-arrow";
import { z } from "zod";
import { Settings, Timestamp } from "../api/index.ts";
import { tableSchemas, type TableName } from "../store/schema.ts";

/**
 * The Engram JSON export: every table of memory as its stored rows (times in milliseconds since the epoch, lists
 * as the JSON text the tables keep), so an import gives back exactly what was exported, and a table another part of
 * Engram adds is exported with no change here. Not in it: vectors (an embedder rebuilds them in the background after
 * an import), background jobs, model files, and the OpenAI-compatible endpoint's API key (a secret never leaves the
 * settings).
 */
export const engramExportFormat = "engram.memory";
export const engramExportVersion = 1;

/** Tables that are not memory: the schema marker, background work, settings (exported as an object of their own). */
const notExported = new Set<TableName>(["meta", "jobs", "settings"]);

/** The memory tables, in the order they are written out and read back (conversations last, see MemoryImporter). */
export const exportedTables = (Object.keys(tableSchemas) as TableName[])
  .filter((name) => !notExported.has(name))
  .sort((a, b) => Number(a === "conversations") - Number(b === "conversations"));

/** The key of a table's rows: import records are keyed by source key, every other row by id. */
export const rowKey = (table: TableName): string => (table === "imports" ? "key" : "id");

/** The zod shape of one column, from its Arrow type: what a row of the export must hold there. */
function columnShape(field: Field): z.ZodType {
  let shape: z.ZodType;
  if (field.type instanceof Utf8) shape = z.string();
  else if (field.type instanceof Float64) shape = z.number().finite();
  else if (field.type instanceof Int32) shape = z.number().int();
  else if (field.type instanceof Bool) shape = z.boolean();
  else throw new Error(`The export has no shape for column ${field.name} (${String(field.type)}).`);
  return field.nullable ? shape.nullable() : shape;
}

/** A row of a table exactly: every column of the table's schema, of its type, and no other field. */
export const rowShape = (table: TableName) =>
  z.strictObject(Object.fromEntries(tableSchemas[table].fields.map((field) => [field.name, columnShape(field)])));

export type ExportedRow = Record<string, string | number | boolean | null>;

/** The whole document; `memory.import` refuses anything that does not match it, field by field. */
export const EngramExport = z.object({
  format: z.literal(engramExportFormat),
  version: z.literal(engramExportVersion),
  exportedAt: Timestamp,
  /** The storage schema of the folder it came from: an export from a newer schema is refused. */
  schemaVersion: z.number().int(),
  settings: Settings.partial(),
  tables: z.object(
    Object.fromEntries(exportedTables.map((table) => [table, z.array(rowShape(table)).default([])])),
  ) as z.ZodType<Partial<Record<TableName, ExportedRow[]>>>,
});

export interface EngramExport {
  format: typeof engramExportFormat;
  version: typeof engramExportVersion;
  exportedAt: string;
  schemaVersion: number;
  settings: Partial<Settings>;
  tables: Partial<Record<TableName, ExportedRow[]>>;
}
