import type { EventPayload, ImportSource } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

/** What can be imported: Engram's own JSON export, or another assistant's export. */
export type ImportFormat = ImportSource | "engram";

export interface TransferProgress {
  /** "import.read": characters of the file read; "import": turns written. */
  kind: string;
  done: number;
  total: number;
}

export interface DataSlice {
  /** The export or import running now, with its latest progress. */
  transfer: { label: string; progress: TransferProgress | null } | null;
  /** What the last export or import did, in words. */
  transferResult: string | null;
  transferError: string | null;
  /** Exports all memory; resolves the document's text, or null when it failed (transferError says why). */
  exportMemory(format: "json" | "markdown"): Promise<string | null>;
  /** Imports a file's text (read by the page, from a file the user chose). */
  importContent(format: ImportFormat, content: string, label: string): Promise<boolean>;
  /** Imports a file the engine reads itself, by its path on this computer (another assistant's export of any size). */
  importPath(source: ImportSource, path: string): Promise<boolean>;
  /** Deletes everything remembered (the user typed DELETE); settings and models stay. */
  wipeMemory(confirm: string): Promise<boolean>;
  receiveJobProgress(progress: EventPayload<"jobs.progress">): void;
}

const plural = (count: number, word: string) => `${count.toLocaleString()} ${word}${count === 1 ? "" : "s"}`;

export const createDataSlice =
  (client: ApiClient): SliceCreator<DataSlice> =>
  (set, get) => {
    const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

    /** Runs one transfer at a time, with its label shown and what it did (or why it failed) reported after. */
    const run = async (label: string, work: () => Promise<string>): Promise<boolean> => {
      if (get().transfer) return false;
      set({ transfer: { label, progress: null }, transferResult: null, transferError: null });
      try {
        set({ transferResult: await work() });
        return true;
      } catch (error) {
        set({ transferError: describe(error) });
        return false;
      } finally {
        // What came in is on screen by the time the transfer is reported finished.
        await Promise.all([get().loadStats(), get().loadConversations()]);
        set({ transfer: null });
      }
    };

    const conversationsImported = (result: { conversations: number; turns: number; skipped: number; empty: number }) =>
      [
        `Imported ${plural(result.conversations, "conversation")} with ${plural(result.turns, "turn")}.`,
        result.skipped > 0 ? `${plural(result.skipped, "conversation")} already here, left as they were.` : "",
        result.empty > 0 ? `${plural(result.empty, "conversation")} had nothing to keep.` : "",
      ]
        .filter(Boolean)
        .join(" ");

    return {
      transfer: null,
      transferResult: null,
      transferError: null,

      async exportMemory(format) {
        let content: string | null = null;
        await run(`Exporting (${format === "json" ? "Engram JSON" : "Markdown"})…`, async () => {
          ({ content } = await client.call("memory.export", { format }));
          return `Exported ${Math.round((content?.length ?? 0) / 1024).toLocaleString()} kB.`;
        });
        return content;
      },

      importContent(format, content, label) {
        return run(`Importing ${label}…`, async () => {
          if (format === "engram") {
            const { rows, skippedConversations } = await client.call("memory.import", { content });
            const total = Object.values(rows).reduce((sum, count) => sum + count, 0);
            return `Merged ${plural(total, "record")} from the Engram export${
              skippedConversations > 0 ? ` (${plural(skippedConversations, "conversation")} already here)` : ""
            }.`;
          }
          return conversationsImported(await client.call("conversations.import", { source: format, content }));
        });
      },

      importPath(source, path) {
        return run(`Importing ${path}…`, async () =>
          conversationsImported(await client.call("conversations.importFile", { source, path })),
        );
      },

      wipeMemory(confirm) {
        return run("Deleting all memory…", async () => {
          const { conversations } = await client.call("app.wipe", { confirm: confirm as "DELETE" });
          // Nothing shown from before may linger: every loaded view starts empty again.
          set({
            messagesByConversation: {},
            transcripts: {},
            promptTokens: {},
            replyErrors: {},
            selectedConversationId: null,
            summariesByConversation: {},
            episodePage: null,
            episodeConversationId: null,
            timelineEpisodes: null,
            factPage: null,
            factHistory: {},
            entityPage: null,
            memoryHits: null,
            memoryFactHits: null,
            memoryEntityHits: null,
            focusedMemoryIds: null,
            focusedMemories: null,
          });
          return `Deleted all memory (${plural(conversations, "conversation")}).`;
        });
      },

      receiveJobProgress(progress) {
        if (!progress.kind.startsWith("import")) return;
        set((state) => (state.transfer ? { transfer: { ...state.transfer, progress } } : {}));
      },
    };
  };
