import type { Settings } from "../api/index.ts";
import type { SettingsStore } from "../store/settingsStore.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";
import {
  engramExportFormat,
  engramExportVersion,
  exportedTables,
  rowKey,
  type EngramExport,
  type ExportedRow,
} from "./engramExport.ts";

export interface MemoryExporterDependencies {
  tables: TableTransfer;
  settings: SettingsStore;
  schemaVersion: number;
  clock: () => number;
}

/** Reads all of memory, every table whole, into the Engram export document. */
export class MemoryExporter {
  readonly #deps: MemoryExporterDependencies;

  constructor(deps: MemoryExporterDependencies) {
    this.#deps = deps;
  }

  async collect(): Promise<EngramExport> {
    const { tables } = this.#deps;
    const rows = await Promise.all(exportedTables.map((table) => tables.all<ExportedRow>(table)));
    const document: EngramExport = {
      format: engramExportFormat,
      version: engramExportVersion,
      exportedAt: new Date(this.#deps.clock()).toISOString(),
      schemaVersion: this.#deps.schemaVersion,
      settings: withoutSecrets(await this.#deps.settings.read()),
      tables: {},
    };
    exportedTables.forEach((table, index) => {
      const key = rowKey(table);
      let list = rows[index]!;
      // A record of an import still being written is not memory yet.
      if (table === "imports") list = list.filter((row) => row.status === "done");
      // A stable order, so two exports of the same memory are the same text.
      document.tables[table] = list.sort((a, b) => compare(String(a[key]), String(b[key])));
    });
    return document;
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Settings as exported: the API key of an OpenAI-compatible endpoint stays on this computer. */
function withoutSecrets(settings: Settings): Partial<Settings> {
  if (!settings.openAiEndpoint?.apiKey) return settings;
  const { apiKey: _apiKey, ...endpoint } = settings.openAiEndpoint;
  return { ...settings, openAiEndpoint: endpoint };
}

/**
 * The document as JSON text, one row a line: valid JSON that a person (or a diff) can still read, written without
 * building one giant pretty-printed tree.
 */
export function serializeExport(document: EngramExport): string {
  const { tables, ...head } = document;
  const parts: string[] = [`${JSON.stringify(head).slice(0, -1)},\n"tables": {`];
  exportedTables.forEach((table, tableIndex) => {
    const rows = tables[table] ?? [];
    parts.push(`${tableIndex === 0 ? "\n" : ",\n"}${JSON.stringify(table)}: [`);
    rows.forEach((row, index) => parts.push(`${index === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`));
    parts.push(rows.length > 0 ? "\n]" : "]");
  });
  parts.push("\n}}\n");
  return parts.join("");
}
