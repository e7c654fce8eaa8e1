import type { Settings } from "../api/index.ts";
import type { SettingsStore } from "../store/settingsStore.ts";
import type {
  ArchivedEpisodeRow,
  ConversationRow,
  EpisodeRow,
  HistoryRow,
  ImportRow,
  MessageRow,
  SummaryRow,
} from "../store/schema.ts";
import type { TableTransfer } from "../store/tableTransfer.ts";
import { engramExportFormat, engramExportVersion, exportedLists, type EngramExport } from "./engramExport.ts";

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
    const [conversations, messages, episodes, archivedEpisodes, summaries, memoryHistory, imports, settings] =
      await Promise.all([
        tables.all<ConversationRow>("conversations"),
        tables.all<MessageRow>("messages"),
        tables.all<EpisodeRow>("episodes"),
        tables.all<ArchivedEpisodeRow>("episodes_archive"),
        tables.all<SummaryRow>("summaries"),
        tables.all<HistoryRow>("memory_history"),
        tables.all<ImportRow>("imports"),
        this.#deps.settings.read(),
      ]);
    return {
      format: engramExportFormat,
      version: engramExportVersion,
      exportedAt: new Date(this.#deps.clock()).toISOString(),
      schemaVersion: this.#deps.schemaVersion,
      settings: withoutSecrets(settings),
      // Stable orders, so two exports of the same memory are the same text.
      conversations: conversations.sort(byId),
      messages: messages.map((row) => ({ ...row, memoryIds: JSON.parse(row.memoryIds) as string[] })).sort(byId),
      episodes: episodes.sort(byId),
      archivedEpisodes: archivedEpisodes.sort(byId),
      summaries: summaries.sort(byId),
      memoryHistory: memoryHistory.sort(byId),
      imports: imports
        .filter((row): row is ImportRow & { status: "done" } => row.status === "done")
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    };
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Settings as exported: the API key of an OpenAI-compatible endpoint stays on this computer. */
function withoutSecrets(settings: Settings): Partial<Settings> {
  if (!settings.openAiEndpoint?.apiKey) return settings;
  const { apiKey: _apiKey, ...endpoint } = settings.openAiEndpoint;
  return { ...settings, openAiEndpoint: endpoint };
}

/**
 * The document as JSON text, one row a line: valid JSON that a person (or diff) can still read, and that is written
 * without building one giant pretty-printed tree.
 */
export function serializeExport(document: EngramExport): string {
  const {
    conversations: _c,
    messages: _m,
    episodes: _e,
    archivedEpisodes: _a,
    summaries: _s,
    memoryHistory: _h,
    imports: _i,
    ...head
  } = document;
  const parts: string[] = [JSON.stringify(head).slice(0, -1)];
  for (const list of exportedLists) {
    const rows = document[list] as unknown[];
    parts.push(`,\n${JSON.stringify(list)}: [`);
    rows.forEach((row, index) => parts.push(`${index === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`));
    parts.push(rows.length > 0 ? "\n]" : "]");
  }
  parts.push("\n}\n");
  return parts.join("");
}
