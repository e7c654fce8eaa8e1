/**
 * What every outside source (ChatGPT, Claude, Markdown, JSONL) is read into before anything is stored: conversations
 * as a stream of events, so a source never has to hold a whole export (or a whole long conversation) in memory.
 */

export type { ImportSource } from "../api/index.ts";

/** One turn as the source has it: who said it, what, and when (ms since the epoch) if the source says so. */
export interface ImportedTurn {
  speaker: string;
  text: string;
  at: number | null;
}

/** A conversation begins; the turns events that follow belong to it, up to the next conversation event. */
export interface ConversationStart {
  kind: "conversation";
  /** The source's own id for the conversation (ChatGPT and Claude have one); null: it is keyed by a content hash. */
  id: string | null;
  title: string | null;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface TurnsRead {
  kind: "turns";
  turns: ImportedTurn[];
}

export type SourceEvent = ConversationStart | TurnsRead;

/** Seconds since the epoch (as ChatGPT writes them, fractional) to whole milliseconds. */
export const fromEpochSeconds = (seconds: number | null | undefined): number | null =>
  typeof seconds === "number" && Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;

/** A date string to milliseconds since the epoch, or null when it does not parse. */
export function parseDate(text: string | null | undefined): number | null {
  if (!text) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : null;
}
