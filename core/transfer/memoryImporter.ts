import type { Settings } from "../api/index.ts";
import { describeSchemaError } from "../boundary.ts";
import { BadInputError } from "../errors.ts";
import type { ImportStore } from "../store/importStore.ts";
import type { TableName } from "../store/schema.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";
import { EngramExport, engramExportFormat, engramExportVersion } from "./engramExport.ts";

export interface MemoryImporterDependencies {
  tables: TableTransfer;
  imports: ImportStore;
  /** Saves imported settings (model choices excluded) and applies them. */
  applySettings: (changes: Partial<Settings>) => Promise<void>;
  /** Called with the conversations written, once everything is durable (caches, re-embedding, views). */
  afterImport: (conversationIds: string[]) => Promise<void>;
}

/** Settings that describe this computer (which model files are installed here), not the memory: never imported. */
const machineSettings = new Set<keyof Settings>(["chatModelId", "embedderId", "threads", "contextSize"]);

export interface MemoryImportResult {
  rows: Record<string, number>;
  skippedConversations: number;
}

/**
 * Loads an Engram JSON export into the data folder. The whole document is parsed and checked first (shape, every
 * field, ids unique, every row's conversation present), so a malformed or truncated file changes nothing. Rows are
 * then merged by id: a row already here is updated (conversations and summaries only by a newer one), never
 * doubled; a conversation this folder already has from the same outside import (same source id) is left out.
 * The writes are idempotent, so an import cut short by a crash is finished by importing the file again.
 */
export class MemoryImporter {
  readonly #deps: MemoryImporterDependencies;

  constructor(deps: MemoryImporterDependencies) {
    this.#deps = deps;
  }

  async import(content: string): Promise<MemoryImportResult> {
    const document = parseExport(content);
    const skipped = await this.#alreadyImported(document);
    const keep = <T extends { conversationId: string | null }>(rows: T[]) =>
      rows.filter((row) => row.conversationId === null || !skipped.has(row.conversationId));
    const conversations = document.conversations.filter((row) => !skipped.has(row.id));
    const messages = keep(document.messages).map((row) => ({ ...row, memoryIds: JSON.stringify(row.memoryIds) }));
    const episodes = keep(document.episodes);
    const archived = keep(document.archivedEpisodes);
    const summaries = keep(document.summaries);
    const imports = keep(document.imports);
    const { tables } = this.#deps;

    await tables.put("messages", messages);
    // An episode lives in one tier: the export's tier wins, written first and then removed from the other.
    await tables.put("episodes", episodes);
    await tables.deleteWhereIn(
      "episodes_archive",
      "id",
      episodes.map((row) => row.id),
    );
    await tables.put("episodes_archive", archived);
    await tables.deleteWhereIn(
      "episodes",
      "id",
      archived.map((row) => row.id),
    );
    await tables.put("summaries", summaries, { newerBy: "updatedAt" });
    await tables.put("memory_history", document.memoryHistory);
    await this.#deps.imports.put(imports);
    const settings = Object.fromEntries(
      Object.entries(document.settings).filter(([key]) => !machineSettings.has(key as keyof Settings)),
    ) as Partial<Settings>;
    if (settings.openAiEndpoint) settings.openAiEndpoint = { ...settings.openAiEndpoint, apiKey: undefined };
    if (Object.keys(settings).length > 0) await this.#deps.applySettings(settings);
    // Conversations last: one shows up once its turns are in.
    await tables.put("conversations", conversations, { newerBy: "updatedAt" });
    await this.#deps.afterImport(conversations.map((row) => row.id));

    const rows: Partial<Record<TableName, number>> = {
      conversations: conversations.length,
      messages: messages.length,
      episodes: episodes.length,
      episodes_archive: archived.length,
      summaries: summaries.length,
      memory_history: document.memoryHistory.length,
      imports: imports.length,
    };
    return { rows: rows as Record<string, number>, skippedConversations: skipped.size };
  }

  /**
   * Conversations of the export that this folder imported itself from the same outside source (the same ChatGPT
   * conversation imported on two computers gets two ids): taking them too would double them.
   */
  async #alreadyImported(document: EngramExport): Promise<Set<string>> {
    const here = await this.#deps.imports.find(document.imports.map((row) => row.key));
    return new Set(
      document.imports
        .filter((row) => {
          const local = here.get(row.key);
          return local !== undefined && local.conversationId !== row.conversationId;
        })
        .map((row) => row.conversationId),
    );
  }
}

/** Parses and checks an export whole; throws a BadInputError saying what is wrong, and where. */
export function parseExport(content: string): EngramExport {
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
  const head = (value && typeof value === "object" ? value : {}) as { format?: unknown; version?: unknown };
  if (head.format !== engramExportFormat) {
    throw new BadInputError(`This is not an Engram export (its "format" is not "${engramExportFormat}").`);
  }
  if (typeof head.version === "number" && head.version > engramExportVersion) {
    throw new BadInputError(
      `This export was made by a newer Engram (format version ${head.version}): update Engram to import it.`,
    );
  }
  const parsed = EngramExport.safeParse(value);
  if (!parsed.success) throw new BadInputError(`This Engram export is damaged: ${describeSchemaError(parsed.error)}.`);
  checkConsistent(parsed.data);
  return parsed.data;
}

/**
 * Ids unique per table (and across the two episode tiers); every message, episode and summary's conversation in the
 * export. (An import record may name a conversation the user deleted since: it stays, so a rerun does not bring it
 * back.)
 */
function checkConsistent(document: EngramExport): void {
  const unique = (list: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new BadInputError(`This Engram export is damaged: ${list} has the id "${id}" twice.`);
      seen.add(id);
    }
  };
  unique(
    "conversations",
    document.conversations.map((row) => row.id),
  );
  unique(
    "messages",
    document.messages.map((row) => row.id),
  );
  unique(
    "episodes",
    [...document.episodes, ...document.archivedEpisodes].map((row) => row.id),
  );
  unique(
    "summaries",
    document.summaries.map((row) => row.id),
  );
  unique(
    "memoryHistory",
    document.memoryHistory.map((row) => row.id),
  );
  unique(
    "imports",
    document.imports.map((row) => row.key),
  );
  const conversations = new Set(document.conversations.map((row) => row.id));
  const lists = [
    ["messages", document.messages],
    ["episodes", document.episodes],
    ["archivedEpisodes", document.archivedEpisodes],
    ["summaries", document.summaries],
  ] as const;
  for (const [list, rows] of lists) {
    rows.forEach((row, index) => {
      if (row.conversationId !== null && !conversations.has(row.conversationId)) {
        throw new BadInputError(
          `This Engram export is damaged: ${list}.${index} belongs to conversation "${row.conversationId}", which it does not have.`,
        );
      }
    });
  }
}
