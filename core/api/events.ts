import { z } from "zod";
import { ErrorCode } from "./errors.ts";
import { Id, MessageStatus } from "./entities.ts";

/**
 * Events the engine pushes to every connected client (IPC subscription, headless event stream). Like methods, each
 * is declared once here and every transport is derived from this table.
 */
export const events = {
  /** A piece of an assistant reply as it streams. */
  "chat.token": z.object({ conversationId: Id, assistantMessageId: Id, text: z.string() }),
  /** A reply finished (done, stopped or error); memoryIds are the memories its prompt used. */
  "chat.done": z.object({
    conversationId: Id,
    assistantMessageId: Id,
    status: MessageStatus,
    memoryIds: z.array(Id),
    error: z.object({ code: ErrorCode, message: z.string() }).optional(),
    /** Tokens the assembled prompt took (of the prompt budget in settings); absent when no prompt was built. */
    promptTokens: z.number().int().nonnegative().optional(),
  }),
  /** A model download or load made progress. */
  "models.progress": z.object({
    downloadId: Id,
    modelId: Id,
    receivedBytes: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
    bytesPerSecond: z.number().nonnegative(),
    etaSeconds: z.number().nonnegative().nullable(),
    status: z.enum(["downloading", "verifying", "done", "failed", "cancelled"]),
    error: z.string().optional(),
    /** Why it failed (checksum_mismatch, insufficient_disk, download_failed...), so the UI can offer the right fix. */
    code: ErrorCode.optional(),
  }),
  /** The model host changed state (loaded, crashed and restarting, unloaded). */
  "models.status": z.object({
    state: z.enum(["none", "loading", "ready", "crashed", "unloaded"]),
    modelId: Id.nullable(),
    message: z.string().optional(),
  }),
  /** Background memory work made progress (embedding, summaries, re-embedding after an embedder change). */
  "jobs.progress": z.object({ kind: z.string(), done: z.number().int(), total: z.number().int() }),
  /** Memory changed (ingest, edit, forget), so open views refresh. */
  "memory.changed": z.object({ conversationId: Id.optional(), kinds: z.array(z.string()) }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);
