import { z } from "zod";
import { Id } from "./entities.ts";

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** The outside formats conversations can be imported from. */
export const ImportSource = z.enum(["chatgpt", "claude", "markdown", "jsonl"]);
export type ImportSource = z.infer<typeof ImportSource>;

/** Largest file text `conversations.import` and `memory.import` take inline; bigger files go by path. */
export const maxImportChars = 256 * 2 ** 20;

const FilePath = z.string().min(1).max(4096);

const ImportResult = z.object({
  /** Conversations imported by this call. */
  conversations: z.number().int(),
  /** Their turns. */
  turns: z.number().int(),
  /** Conversations left as they were: imported before (by the source's id or the same turns), or twice in the file. */
  skipped: z.number().int(),
  /** Conversations with no turn to keep (only system messages, tool calls or empty messages). */
  empty: z.number().int(),
  /** Ids of the conversations imported by this call, in the file's order. */
  conversationIds: z.array(Id),
});
export type ImportResult = z.infer<typeof ImportResult>;

const MemoryImportResult = z.object({
  /** Rows merged into each table (by id: a row already present is updated, never doubled). */
  rows: z.record(z.string(), z.number().int()),
  /** Conversations of the export left out because this folder already has them from the same outside import. */
  skippedConversations: z.number().int(),
});

/**
 * Bringing memory in and out: imports from other assistants (ChatGPT and Claude data exports, Markdown transcripts,
 * JSONL turns), and Engram's own export (JSON, complete and re-importable; Markdown, to read). Progress of a long
 * import arrives as `jobs.progress` events of kind "import" (turns written) and "import.read" (characters read).
 */
export const transferMethods = {
  /** Imports a file's text; refused whole (bad_input) when malformed, truncated or of another kind. Idempotent. */
  "conversations.import": method(
    z.object({ source: ImportSource, content: z.string().min(1).max(maxImportChars) }),
    ImportResult,
  ),
  /** Like conversations.import for a file the app reads itself, streamed (an export of any size). */
  "conversations.importFile": method(z.object({ source: ImportSource, path: FilePath }), ImportResult),
  /**
   * All memory as one document. JSON: complete and re-importable (conversations, messages, episodes hot and archived,
   * summaries, memory history, import records, settings without the API key). Markdown: to read.
   */
  "memory.export": method(z.object({ format: z.enum(["json", "markdown"]) }), z.object({ content: z.string() })),
  /** Loads an Engram JSON export, merging by id; refused whole when malformed or truncated. */
  "memory.import": method(z.object({ content: z.string().min(1).max(maxImportChars) }), MemoryImportResult),
} as const;
