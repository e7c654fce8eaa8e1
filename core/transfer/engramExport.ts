import { z } from "zod";
import { Id, MessageStatus, Settings, Timestamp } from "../api/index.ts";

/**
 * The Engram JSON export: every table of memory as rows, times in milliseconds since the epoch, so an import gives
 * back exactly what was exported. Not in it: vectors (an embedder rebuilds them in the background after an import),
 * background jobs, model files, and the OpenAI-compatible endpoint's API key (a secret never leaves the settings).
 */
export const engramExportFormat = "engram.memory";
export const engramExportVersion = 1;

const time = z.number().finite();
const integer = z.number().int();
const text = z.string();

export const ConversationRecord = z.object({ id: Id, title: text, createdAt: time, updatedAt: time });

export const MessageRecord = z.object({
  id: Id,
  conversationId: Id,
  role: z.enum(["user", "assistant"]),
  content: text,
  status: MessageStatus,
  memoryIds: z.array(Id),
  error: text.nullable(),
  createdAt: time,
});

export const EpisodeRecord = z.object({
  id: Id,
  conversationId: Id,
  messageId: text.nullable(),
  seq: integer,
  speaker: text,
  role: text,
  text,
  context: text,
  at: time,
  salience: z.number().finite(),
  accessCount: integer,
  lastAccessAt: time,
  pinned: z.boolean(),
  edited: z.boolean(),
});

export const ArchivedEpisodeRecord = EpisodeRecord.extend({ archivedAt: time });

export const SummaryRecord = z.object({
  id: Id,
  kind: z.enum(["conversation", "digest", "profile"]),
  conversationId: Id.nullable(),
  text,
  turnCount: integer,
  updatedAt: time,
  editedByUser: z.boolean(),
});

export const HistoryRecord = z.object({
  id: Id,
  memoryId: Id,
  memoryKind: text,
  actor: z.enum(["user", "assistant", "system"]),
  action: text,
  before: text.nullable(),
  after: text.nullable(),
  at: time,
});

export const ImportRecord = z.object({
  key: z.string().min(1),
  source: text,
  conversationId: Id,
  status: z.literal("done"),
  turnCount: integer,
  contentHash: text,
  importedAt: time,
});

/** The whole document; `memory.import` refuses anything that does not match it, field by field. */
export const EngramExport = z.object({
  format: z.literal(engramExportFormat),
  version: z.literal(engramExportVersion),
  exportedAt: Timestamp,
  /** The storage schema of the folder it came from (informational: the rows above are what is read back). */
  schemaVersion: integer,
  settings: Settings.partial(),
  conversations: z.array(ConversationRecord),
  messages: z.array(MessageRecord),
  episodes: z.array(EpisodeRecord),
  archivedEpisodes: z.array(ArchivedEpisodeRecord),
  summaries: z.array(SummaryRecord),
  memoryHistory: z.array(HistoryRecord),
  imports: z.array(ImportRecord),
});
export type EngramExport = z.infer<typeof EngramExport>;

/** The tables of the document, in the order they are written out (and read back). */
export const exportedLists = [
  "conversations",
  "messages",
  "episodes",
  "archivedEpisodes",
  "summaries",
  "memoryHistory",
  "imports",
] as const satisfies readonly (keyof EngramExport)[];
