import { z } from "zod";
import {
  Conversation,
  Episode,
  Id,
  Message,
  ModelEntry,
  SearchHit,
  Settings,
  SettingsUpdate,
  Stats,
  Summary,
  Timestamp,
} from "./entities.ts";
import { semanticMethods } from "./semanticMethods.ts";
import { transferMethods } from "./transferMethods.ts";
import { desktopMethods } from "./desktopMethods.ts";
import { mcpMethods } from "./mcpMethods.ts";
import { uiMethods } from "./uiMethods.ts";

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** Longest text a single turn or chat message may carry (a pasted document fits; a runaway payload does not). */
export const maxTurnChars = 100_000;

const Turn = z.object({
  speaker: z.string().trim().min(1).max(200),
  text: z.string().min(1).max(maxTurnChars),
  /** When the turn was said (ISO 8601); defaults to now. */
  at: Timestamp.optional(),
});

/**
 * The one contract: every method any boundary serves, with its input and output schema. IPC handlers, the preload
 * bridge, the headless HTTP server and the renderer's client are all derived from this table.
 */
export const methods = {
  "conversations.list": method(z.object({}), z.object({ conversations: z.array(Conversation) })),
  "conversations.create": method(z.object({ title: z.string().trim().min(1).max(200).optional() }), Conversation),
  "conversations.rename": method(z.object({ id: Id, title: z.string().trim().min(1).max(200) }), Conversation),
  "conversations.delete": method(z.object({ id: Id }), z.object({ deleted: z.literal(true) })),

  "memory.ingest": method(
    z.object({ conversationId: Id.optional(), turns: z.array(Turn).min(1).max(10_000) }),
    z.object({ conversationId: Id, episodeIds: z.array(Id) }),
  ),
  "memory.search": method(
    z.object({ query: z.string().trim().min(1).max(2000), limit: z.number().int().min(1).max(200).optional() }),
    z.object({ hits: z.array(SearchHit) }),
  ),

  "episodes.list": method(
    z.object({
      conversationId: Id,
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
      includeArchived: z.boolean().optional(),
    }),
    z.object({ episodes: z.array(Episode), total: z.number().int() }),
  ),
  "episodes.forget": method(
    z.object({ ids: z.array(Id).min(1).max(10_000) }),
    z.object({ archived: z.number().int() }),
  ),
  "episodes.restore": method(
    z.object({ ids: z.array(Id).min(1).max(10_000) }),
    z.object({ restored: z.number().int() }),
  ),
  "episodes.pin": method(z.object({ id: Id, pinned: z.boolean() }), Episode),

  "chat.send": method(
    z.object({ conversationId: Id.optional(), text: z.string().trim().min(1).max(maxTurnChars) }),
    z.object({ conversationId: Id, userMessageId: Id, assistantMessageId: Id }),
  ),
  "chat.stop": method(z.object({ assistantMessageId: Id }), z.object({ stopped: z.boolean() })),
  "chat.regenerate": method(
    z.object({ assistantMessageId: Id }),
    z.object({ conversationId: Id, userMessageId: Id, assistantMessageId: Id }),
  ),
  "messages.list": method(z.object({ conversationId: Id }), z.object({ messages: z.array(Message) })),

  "summaries.get": method(
    z.object({ conversationId: Id.optional() }),
    z.object({ conversation: Summary.nullable(), digests: z.array(Summary), profile: Summary.nullable() }),
  ),
  "summaries.update": method(
    z.object({ conversationId: Id.optional(), text: z.string().trim().min(1).max(4000) }),
    Summary,
  ),

  "stats.get": method(z.object({}), Stats),
  "settings.get": method(z.object({}), Settings),
  "settings.update": method(SettingsUpdate, Settings),

  "models.list": method(z.object({}), z.object({ models: z.array(ModelEntry) })),
  "models.download": method(
    z.union([
      z.object({ id: Id }),
      z.object({
        url: z.url({ protocol: /^https?$/ }),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/i)
          .optional(),
        name: z.string().trim().min(1).max(200),
      }),
    ]),
    z.object({ downloadId: Id }),
  ),
  "models.cancel": method(z.object({ downloadId: Id }), z.object({ cancelled: z.boolean() })),
  "models.delete": method(z.object({ id: Id }), z.object({ deleted: z.literal(true) })),
  "models.use": method(z.object({ id: Id }), z.object({ models: z.array(ModelEntry) })),
  "models.import": method(z.object({ path: z.string().min(1).max(4096) }), ModelEntry),

  ...semanticMethods,
  ...transferMethods,
  ...desktopMethods,
  ...mcpMethods,
  ...uiMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]["input"]>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]["input"]>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]["output"]>;
export const methodNames = Object.keys(methods) as MethodName[];

export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);
