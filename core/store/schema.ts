import { Bool, Field, Float64, Int32, Schema, Utf8 } from "apache-arrow";

/**
 * Column layouts of every table. Timestamps are milliseconds since the epoch (Float64); lists (memory ids) are JSON
 * text, because they are read whole and never filtered on.
 */

const text = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const number = (name: string) => new Field(name, new Float64(), false);
const integer = (name: string) => new Field(name, new Int32(), false);
const flag = (name: string) => new Field(name, new Bool(), false);
const optionalNumber = (name: string) => new Field(name, new Float64(), true);

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
    // Entries written by one change (a fact and the one it superseded) share it, so they are undone together.
    text("changeId", true),
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
  facts: new Schema([
    text("id"),
    text("subject"),
    text("subjectId"),
    text("predicate"),
    text("object"),
    text("objectId", true),
    text("statement"),
    text("status"),
    optionalNumber("validFrom"),
    optionalNumber("validTo"),
    number("confidence"),
    flag("pinned"),
    text("origin"),
    flag("editedByUser"),
    text("supersededBy", true),
    text("sources"),
    number("createdAt"),
    number("updatedAt"),
  ]),
  entities: new Schema([
    text("id"),
    text("name"),
    text("type"),
    text("aliases"),
    text("mergedInto", true),
    optionalNumber("firstSeen"),
    optionalNumber("lastSeen"),
    flag("editedByUser"),
    number("createdAt"),
    number("updatedAt"),
  ]),
  relations: new Schema([
    text("id"),
    text("sourceId"),
    text("targetId"),
    text("label"),
    text("kind"),
    text("status"),
    number("weight"),
    number("firstAt"),
    number("lastAt"),
    number("createdAt"),
    number("updatedAt"),
  ]),
  mentions: new Schema([
    text("id"),
    text("entityId"),
    text("episodeId"),
    text("conversationId"),
    text("surface"),
    number("at"),
  ]),
  imports: new Schema([
    text("key"),
    text("source"),
    text("conversationId"),
    text("status"),
    integer("turnCount"),
    text("contentHash"),
    number("importedAt"),
  ]),
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
  /** Who made the change; an outside AI tool through MCP is `mcp:<its name>`. */
  actor: "user" | "assistant" | "system" | `mcp:${string}`;
  action: string;
  before: string | null;
  after: string | null;
  at: number;
  changeId: string | null;
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

/** A fact (subject, predicate, object and its sentence). Timestamps in ms; `sources` is JSON text. */
export interface FactRow {
  id: string;
  subject: string;
  subjectId: string;
  predicate: string;
  object: string;
  objectId: string | null;
  statement: string;
  status: "active" | "superseded" | "deleted";
  validFrom: number | null;
  validTo: number | null;
  confidence: number;
  pinned: boolean;
  origin: "user" | "extracted";
  editedByUser: boolean;
  supersededBy: string | null;
  sources: string;
  createdAt: number;
  updatedAt: number;
}

/** An entity; `aliases` is JSON text. A merged entity keeps its row, pointing at the one it was merged into. */
export interface EntityRow {
  id: string;
  name: string;
  type: "person" | "place" | "organisation" | "date" | "thing";
  aliases: string;
  mergedInto: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  editedByUser: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A link between two entities: co-occurrence in turns (weight = count) or one the user made. */
export interface RelationRow {
  id: string;
  sourceId: string;
  targetId: string;
  label: string;
  kind: "cooccurrence" | "user";
  status: "active" | "deleted";
  weight: number;
  firstAt: number;
  lastAt: number;
  createdAt: number;
  updatedAt: number;
}

/** That a turn (episode) mentions an entity: the provenance of entities and of co-occurrence. */
export interface MentionRow {
  id: string;
  entityId: string;
  episodeId: string;
  conversationId: string;
  surface: string;
  at: number;
}

/**
 * One conversation brought in from another assistant: the source's own id for it (or a hash of its turns), where it
 * went, and whether its writes finished ("pending" rows are rolled back on the next start, "done" ones are skipped by
 * a rerun of the same file).
 */
export interface ImportRow {
  key: string;
  source: string;
  conversationId: string;
  status: "pending" | "done";
  turnCount: number;
  contentHash: string;
  importedAt: number;
}
