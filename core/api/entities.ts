import { z } from "zod";

/** Shared shapes of the contract: what the app stores and shows. Ids are opaque strings. */

export const Id = z.string().min(1).max(200);

/** ISO 8601 timestamp as it crosses a boundary. */
export const Timestamp = z.iso.datetime({ offset: true });

export const Conversation = z.object({
  id: Id,
  title: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Conversation = z.infer<typeof Conversation>;

export const MessageRole = z.enum(["user", "assistant"]);
export const MessageStatus = z.enum(["pending", "streaming", "done", "stopped", "error"]);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  role: MessageRole,
  content: z.string(),
  status: MessageStatus,
  /** Ids of the memories (episodes, facts, summaries) recalled into the prompt of this reply. */
  memoryIds: z.array(Id),
  createdAt: Timestamp,
  /** Why the reply failed, when status is error. */
  error: z.string().optional(),
});
export type Message = z.infer<typeof Message>;

export const Episode = z.object({
  id: Id,
  conversationId: Id,
  speaker: z.string(),
  text: z.string(),
  at: Timestamp,
  salience: z.number(),
  pinned: z.boolean(),
  archived: z.boolean(),
});
export type Episode = z.infer<typeof Episode>;

export const MemoryKind = z.enum(["episode", "fact", "summary"]);
export type MemoryKind = z.infer<typeof MemoryKind>;

export const SearchHit = z.object({
  kind: MemoryKind,
  id: Id,
  text: z.string(),
  score: z.number(),
  conversationId: Id.optional(),
  speaker: z.string().optional(),
  at: Timestamp.optional(),
  /** An episode from the archive tier: forgotten from the hot index, still found, ranked below hot memories. */
  archived: z.boolean().optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Summary = z.object({
  id: Id,
  /** conversation: the running one-sentence summary; digest: a summary of summaries; profile: the global user profile. */
  kind: z.enum(["conversation", "digest", "profile"]),
  conversationId: Id.optional(),
  text: z.string(),
  turnCount: z.number().int(),
  updatedAt: Timestamp,
  editedByUser: z.boolean(),
});
export type Summary = z.infer<typeof Summary>;

export const ModelEntry = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(["chat", "embedding"]),
  installed: z.boolean(),
  status: z.enum(["available", "downloading", "installed", "active", "failed"]),
  sizeBytes: z.number().int().nonnegative(),
  /** RAM tier in GB the catalog recommends this model for; absent for imported files. */
  ramTierGb: z.number().optional(),
  licence: z.string().optional(),
  contextLength: z.number().int().optional(),
  path: z.string().optional(),
  /** Why the last download of this model failed (status failed); kept across restarts until a download succeeds. */
  error: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

/** Whether other AI tools on this computer may use Engram's memory through its MCP server: not at all, read, or read and write. */
export const McpAccess = z.enum(["off", "read", "write"]);
export type McpAccess = z.infer<typeof McpAccess>;

export const Settings = z.object({
  /** Token budget of an assembled prompt. */
  promptBudgetTokens: z.number().int().min(512).max(131072),
  /** Days after which an unpinned, rarely used, low-salience episode may be archived. */
  forgetAfterDays: z.number().int().min(1).max(36500),
  /** Hot episodes kept before pruning starts archiving (the archive still keeps and exports them). */
  maxHotEpisodes: z.number().int().min(1000),
  /** Turns after which the running conversation summaries are folded into a summary of summaries. */
  digestEveryTurns: z.number().int().min(2).max(10000),
  systemPrompt: z.string().max(20000),
  chatModelId: Id.optional(),
  embedderId: Id.optional(),
  /** Context size for the chat model; absent means the model's default fitted to memory. */
  contextSize: z.number().int().min(512).optional(),
  /** CPU threads for inference; absent means node-llama-cpp's choice. */
  threads: z.number().int().min(1).max(256).optional(),
  /** An OpenAI-compatible endpoint (a local Ollama or llama-server) used as the chat model instead of a GGUF. */
  openAiEndpoint: z
    .object({ baseUrl: z.url({ protocol: /^https?$/ }), model: z.string().min(1), apiKey: z.string().optional() })
    .optional(),
  /** When true, no network at all: downloads are refused too. */
  offline: z.boolean(),
  /** What other AI tools (MCP clients) may do with the memory; "off" until the user allows it. */
  mcpAccess: McpAccess,
  /**
   * Whether Engram reads new turns for entities and facts by itself (the memory graph and the facts recalled into
   * prompts). Off: turns stored while it is off are never read for them; facts and entities the user makes stay.
   */
  autoExtract: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

/** What settings.update takes: any settings to change; `null` clears an optional one (back to its default). */
export const SettingsUpdate = Settings.partial().extend({
  chatModelId: Settings.shape.chatModelId.unwrap().nullable().optional(),
  embedderId: Settings.shape.embedderId.unwrap().nullable().optional(),
  contextSize: Settings.shape.contextSize.unwrap().nullable().optional(),
  threads: Settings.shape.threads.unwrap().nullable().optional(),
  openAiEndpoint: Settings.shape.openAiEndpoint.unwrap().nullable().optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;

export const Stats = z.object({
  conversations: z.number().int(),
  messages: z.number().int(),
  episodes: z.number().int(),
  archivedEpisodes: z.number().int(),
  summaries: z.number().int(),
  pendingJobs: z.number().int(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
  chatModel: z.string().nullable(),
  embedder: z.string().nullable(),
  /** This computer's memory (RAM) in bytes, so the first-run setup can recommend a model that fits. */
  totalMemoryBytes: z.number().int().nonnegative().optional(),
  /**
   * What Engram had to mend, or could not do, with the data folder when it opened it (a table repaired after a full
   * disk, a schema upgrade undone), in sentences for the user. Empty almost always.
   */
  storageNotices: z.array(z.string()).optional(),
});
export type Stats = z.infer<typeof Stats>;
