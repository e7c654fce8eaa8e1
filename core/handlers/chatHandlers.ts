import type { Handlers } from "../boundary.ts";
import type { Services } from "../services.ts";
import { toMessage } from "../store/messageStore.ts";

export function chatHandlers(
  s: Services,
): Pick<Handlers, "chat.send" | "chat.stop" | "chat.regenerate" | "messages.list"> {
  return {
    "chat.send": ({ conversationId, text }) => s.chat.send(conversationId, text),
    "chat.stop": async ({ assistantMessageId }) => ({ stopped: await s.chat.stop(assistantMessageId) }),
    "chat.regenerate": ({ assistantMessageId }) => s.chat.regenerate(assistantMessageId),
    "messages.list": async ({ conversationId }) => {
      await s.conversations.get(conversationId);
      const rows = await s.messages.listByConversation(conversationId);
      return {
        messages: rows.map((row) => {
          // A reply still streaming shows what has arrived so far.
          const streamed = s.chat.inFlight(row.id);
          return toMessage(streamed === undefined ? row : { ...row, content: streamed, status: "streaming" });
        }),
      };
    },
  };
}
