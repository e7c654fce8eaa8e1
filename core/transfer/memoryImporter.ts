import type { Settings } from "../api/index.ts";
import { describeSchemaError } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import type { ImportStore } from "../store/importStore.ts";
import { tableSchemas, type TableName } from "../store/schema.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";
import {
  EngramExport,
  engramExportFormat,
  engramExportVersion,
  exportedTables,
  rowKey,
  type ExportedRow,
} from "./engramExport.ts";

export interface MemoryImporterDependencies {
  tables: TableTransfer;
  imports: ImportStore;
  /** This folder's storage schema: an export made by a newer one is refused. */
  schemaVersion: number;
  /** Saves imported settings (model choices excluded) and applies them. */
  applySettings: (changes: Partial<Settings>) => Promise<void>;
  /** Called with the conversations written, once everything is durable (caches, indexes, re-embedding, views). */
  afterImport: (conversationIds: string[]) => Promise<void>;
}

/** Settings that describe this computer (which model files are installed here), not the memory: never imported. */
const machineSettings = new Set<string>(["chatModelId", "embedderId", "threads", "contextSize"]);

/** Tables whose rows a conversation's deletion removes: each of their rows must belong to a conversation exported. */
const conversationTables: TableName[] = ["messages", "episodes", "episodes_archive", "summaries"];

const hasColumn = (table: TableName, name: string) => tableSchemas[table].fields.some((field) => field.name === name);

export interface MemoryImportResult {
  rows: Record<string, number>;
  skippedConversations: number;
}

/**
 * Loads an Engram JSON export into the data folder. The whole document is parsed and checked first (shape, every
 * column of every row, keys unique, every turn's conversation present), so a malformed or truncated file changes
 * nothing. Rows are then merged by id: a row already here is updated (one with an `updatedAt` only by a newer one),
 * never doubled; a conversation this folder already has from the same outside import (the same source id imported
 * on two computers gets two conversation ids) is left out. The writes are idempotent, so an import cut short by a
 * crash is finished by importing the file again.
 */
export class MemoryImporter {
  readonly #deps: MemoryImporterDependencies;

  constructor(deps: MemoryImporterDependencies) {
    this.#deps = deps;
  }

  async import(content: string): Promise<MemoryImportResult> {
    const document = parseExport(content, this.#deps.schemaVersion);
    const skipped = await this.#alreadyImported(document.tables.imports ?? []);
    const { tables } = this.#deps;
    const written: Record<string, number> = {};
    let conversationIds: string[] = [];
    for (const table of exportedTables) {
      const rows = (document.tables[table] ?? []).filter((row) =>
        table === "conversations" ? !skipped.has(String(row.id)) : !skipped.has(String(row.conversationId ?? "")),
      );
      written[table] = rows.length;
      const ids = rows.map((row) => String(row[rowKey(table)]));
      if (table === "conversations") conversationIds = ids;
      const newerBy = hasColumn(table, "updatedAt") ? "updatedAt" : undefined;
      await tables.put(table, rows, { key: rowKey(table), ...(newerBy ? { newerBy } : {}) });
      // A turn lives in one tier: the export's tier wins, written first and then removed from the other.
      if (table === "episodes") await tables.deleteWhereIn("episodes_archive", "id", ids);
      if (table === "episodes_archive") await tables.deleteWhereIn("episodes", "id", ids);
      if (table === "summaries" && Object.keys(document.settings).length > 0) await this.#settings(document.settings);
    }
    await this.#deps.afterImport(conversationIds);
    return { rows: written, skippedConversations: skipped.size };
  }

  async #settings(exported: Partial<Settings>): Promise<void> {
    const settings = Object.fromEntries(
      Object.entries(exported).filter(([key]) => !machineSettings.has(key)),
    ) as Partial<Settings>;
    if (settings.openAiEndpoint) {
      const { apiKey: _apiKey, ...endpoint } = settings.openAiEndpoint;
      settings.openAiEndpoint = endpoint;
    }
    if (Object.keys(settings).length > 0) await this.#deps.applySettings(settings);
  }

  /** Conversations of the export that this folder imported itself, under another id, from the same outside source. */
  async #alreadyImported(records: ExportedRow[]): Promise<Set<string>> {
    const here = await this.#deps.imports.find(records.map((row) => String(row.key)));
    return new Set(
      records
        .filter((row) => {
          const local = here.get(String(row.key));
          return local !== undefined && local.conversationId !== row.conversationId;
        })
        .map((row) => String(row.conversationId)),
    );
  }
}

/** Parses and checks an export whole; throws a BadInputError saying what is wrong, and where. */
export function parseExport(content: string, schemaVersion: number): EngramExport {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BadInputError(`This is not a complete Engram export (cut short or damaged JSON): ${reason}.`);
  }
  if (Array.isArray(value)) {
    throw new BadInputError(
      "This is a list, not an Engram export: a ChatGPT or Claude conversations.json is imported with conversations.import.",
    );
  }
  const head = (value && typeof value === "object" ? value : {}) as {
    format?: unknown;
    version?: unknown;
    schemaVersion?: unknown;
  };
  if (head.format !== engramExportFormat) {
    throw new BadInputError(`This is not an Engram export (its "format" is not "${engramExportFormat}").`);
  }
  const newer =
    (typeof head.version === "number" && head.version > engramExportVersion) ||
    (typeof head.schemaVersion === "number" && head.schemaVersion > schemaVersion);
  if (newer) throw new BadInputError("This export was made by a newer Engram: update Engram to import it.");
  const parsed = EngramExport.safeParse(value);
  if (!parsed.success) throw new BadInputError(`This Engram export is damaged: ${describeSchemaError(parsed.error)}.`);
  checkConsistent(parsed.data);
  return parsed.data;
}

/**
 * Keys unique per table (and across the two episode tiers); every message, turn and conversation summary belonging
 * to a conversation of the export; import records finished. (An import record may name a conversation the user
 * deleted since: it stays, so importing that file again does not bring it back.)
 */
function checkConsistent(document: EngramExport): void {
  const damaged = (what: string) => new BadInputError(`This Engram export is damaged: ${what}.`);
  const keys = (table: TableName) => (document.tables[table] ?? []).map((row) => String(row[rowKey(table)]));
  for (const [name, list] of [
    ...exportedTables.filter((table) => !table.startsWith("episodes")).map((table) => [table, keys(table)] as const),
    ["episodes", [...keys("episodes"), ...keys("episodes_archive")]] as const,
  ]) {
    const seen = new Set<string>();
    for (const key of list) {
      if (seen.has(key)) throw damaged(`${name} has the key "${key}" twice`);
      seen.add(key);
    }
  }
  const conversations = new Set(keys("conversations"));
  for (const table of conversationTables) {
    (document.tables[table] ?? []).forEach((row, index) => {
      if (row.conversationId !== null && !conversations.has(String(row.conversationId))) {
        throw damaged(`${table}.${index} belongs to conversation "${row.conversationId}", which it does not have`);
      }
    });
  }
  if ((document.tables.imports ?? []).some((row) => row.status !== "done")) {
    throw damaged("an import record is not finished");
  }
}
