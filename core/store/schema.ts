import { Bool, Field, Float64, Int32, Schema, Utf8 } from "apache-arrow";

/**
 * Column layouts of every table. Timestamps are milliseconds since the epoch (Float64); lists (memory ids) are JSON
 * text, because they are read whole and never filtered on.
 */

const text = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const number = (name: string) => new Field(name, new Float64(), false);
const integer = (name: string) => new Field(name, new Int32(), false);
const flag = (name: string) => new Field(name, new Bool(), false);

export const tableSchemas = {
  meta: new Schema([text("key"), text("value")]),
  conversations: new Schema([text("id"), text("title"), number("createdAt"), number("updatedAt")]),
  messages: new Schema([
    text("id"),
    text("conversationId"),
    text("role"),
    text("content"),
    text("status"),
    text("memoryIds"),
    text("error", true),
    number("createdAt"),
  ]),
  episodes: episodeSchema(),
  episodes_archive: new Schema([...episodeSchema().fields, number("archivedAt")]),
  summaries: new Schema([
    text("id"),
    text("kind"),
    text("conversationId", true),
    text("text"),
    integer("turnCount"),
    number("updatedAt"),
    flag("editedByUser"),
  ]),
  memory_history: new Schema([
    text("id"),
    text("memoryId"),
    text("memoryKind"),
    text("actor"),
    text("action"),
    text("before", true),
    text("after", true),
    number("at"),
  ]),
  jobs: new Schema([
    text("id"),
    text("kind"),
    text("payload"),
    text("status"),
    integer("attempts"),
    text("error", true),
    number("createdAt"),
    number("updatedAt"),
  ]),
  settings: new Schema([text("key"), text("value")]),
} as const;

export type TableName = keyof typeof tableSchemas;

function episodeSchema(): Schema {
  return new Schema([
    text("id"),
    text("conversationId"),
    text("messageId", true),
    integer("seq"),
    text("speaker"),
    text("role"),
    text("text"),
    // The turn with its neighbours: the coarser granularity that recall fuses with the single turn.
    text("context"),
    number("at"),
    number("salience"),
    integer("accessCount"),
    number("lastAccessAt"),
    flag("pinned"),
    flag("edited"),
  ]);
}

export interface ConversationRow {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

export interface MessageRow {
  id: string;
  conversationId: string;
  role: "user" | "assistant";
  content: string;
  status: "pending" | "streaming" | "done" | "stopped" | "error";
  memoryIds: string;
  error: string | null;
  createdAt: number;
}

export interface EpisodeRow {
  id: string;
  conversationId: string;
  messageId: string | null;
  seq: number;
  speaker: string;
  role: string;
  text: string;
  context: string;
  at: number;
  salience: number;
  accessCount: number;
  lastAccessAt: number;
  pinned: boolean;
  edited: boolean;
}

export interface ArchivedEpisodeRow extends EpisodeRow {
  archivedAt: number;
}

export interface SummaryRow {
  id: string;
  kind: "conversation" | "digest" | "profile";
  conversationId: string | null;
  text: string;
  turnCount: number;
  updatedAt: number;
  editedByUser: boolean;
}

export interface HistoryRow {
  id: string;
  memoryId: string;
  memoryKind: string;
  actor: "user" | "assistant" | "system";
  action: string;
  before: string | null;
  after: string | null;
  at: number;
}

export interface JobRow {
  id: string;
  kind: string;
  payload: string;
  status: "queued" | "running" | "done" | "failed";
  attempts: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}
