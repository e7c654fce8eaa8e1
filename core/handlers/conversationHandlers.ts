import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";
import { defaultConversationTitle, toConversation } from "../store/conversationStore.ts";

export function conversationHandlers(
  s: Services,
): Pick<Handlers, "conversations.list" | "conversations.create" | "conversations.rename" | "conversations.delete"> {
  return {
    "conversations.list": async () => ({ conversations: (await s.conversations.list()).map(toConversation) }),

    "conversations.create": async ({ title }) =>
      toConversation(await s.conversations.create(title ?? defaultConversationTitle, s.clock())),

    "conversations.rename": async ({ id, title }) => toConversation(await s.conversations.rename(id, title, s.clock())),

    "conversations.delete": async ({ id }) => {
      const conversation = await s.conversations.get(id);
      // The gate closes the conversation first (nothing new starts in it), lets its streaming replies stop and store
      // what they said, waits for every write still under way, and only then removes it, so nothing of it is left.
      await s.conversations.gate.delete(id, {
        settle: () => s.chat.stopConversation(id),
        remove: async () => {
          await s.jobs.discard((_kind, payload) => isAbout(payload, id));
          // Memories first, the conversation row last: a crash midway leaves a conversation to delete again, never
          // orphaned memories the user cannot reach.
          await s.messages.deleteByConversation(id);
          await s.episodes.deleteByConversation(id);
          await s.vectors.deleteByConversation(id);
          await s.summaries.deleteByConversation(id);
          // What the semantic memory learned only from it (mentions, facts, links, entities) goes too.
          await s.semantic.forgetTurns({ conversationId: id });
          await s.conversations.delete(id);
          s.episodic.forgetConversation(id);
        },
      });
      await s.history.record([
        {
          memoryId: id,
          memoryKind: "conversation",
          actor: "user",
          action: "delete",
          before: conversation.title,
          after: null,
        },
      ]);
      s.events.emit("memory.changed", {
        conversationId: id,
        kinds: ["conversation", "episode", "summary", "fact", "entity", "relation"],
      });
      return { deleted: true as const };
    },
  };
}

/** Whether a background job's payload is about the conversation (memory jobs carry its id). */
function isAbout(payload: unknown, conversationId: string): boolean {
  return (
    typeof payload === "object" &&
    payload !== null &&
    (payload as { conversationId?: unknown }).conversationId === conversationId
  );
}
