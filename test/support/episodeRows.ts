import type { EpisodeRow } from "../../core/store/schema.ts";

/** A stored turn at a conversation's position `seq`, for tests that write the episodes table directly. */
export function episodeRow(conversationId: string, seq: number, text = `turn ${seq}`): EpisodeRow {
  return {
    id: `${conversationId}-${seq}`,
    conversationId,
    messageId: null,
    seq,
    speaker: "user",
    role: "user",
    text,
    context: text,
    at: 1_700_000_000_000 + seq,
    salience: 0.5,
    accessCount: 0,
    lastAccessAt: 1_700_000_000_000,
    pinned: false,
    edited: false,
  };
}
