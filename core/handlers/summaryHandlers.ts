import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";
import type { SummaryRow } from "../store/schema.ts";
import { conversationSummaryId, profileSummaryId, toSummary } from "../store/summaryStore.ts";

export function summaryHandlers(s: Services): Pick<Handlers, "summaries.get" | "summaries.update"> {
  return {
    "summaries.get": async ({ conversationId }) => {
      if (conversationId) await s.conversations.get(conversationId);
      const { conversation, digests, profile } = await s.summaries.ofConversation(conversationId ?? null);
      return {
        conversation: conversation ? toSummary(conversation) : null,
        digests: digests.map(toSummary),
        profile: profile ? toSummary(profile) : null,
      };
    },

    /** A user's edit of the running summary (with conversationId) or of the profile (without). */
    "summaries.update": async ({ conversationId, text }) => {
      if (conversationId) await s.conversations.get(conversationId);
      const id = conversationId ? conversationSummaryId(conversationId) : profileSummaryId;
      const before = await s.summaries.get(id);
      const row: SummaryRow = {
        id,
        kind: conversationId ? "conversation" : "profile",
        conversationId: conversationId ?? null,
        text,
        turnCount: before?.turnCount ?? 0,
        updatedAt: s.clock(),
        editedByUser: true,
      };
      await s.summaries.put(row);
      await s.history.record([
        {
          memoryId: id,
          memoryKind: "summary",
          actor: "user",
          action: "edit",
          before: before?.text ?? null,
          after: text,
        },
      ]);
      s.events.emit("memory.changed", { ...(conversationId ? { conversationId } : {}), kinds: ["summary"] });
      return toSummary(row);
    },
  };
}
