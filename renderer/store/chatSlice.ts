import type { ApiError, EventPayload, Message } from "../../core/api/index.ts";
import type { ApiClient } from "../api/apiClient.ts";
import type { SliceCreator } from "./appState.ts";

export interface ChatSlice {
  /** Messages of each loaded conversation, oldest first. */
  messagesByConversation: Record<string, Message[]>;
  /** Why a reply failed, by assistant message id, with the code (messages.list carries only the text). */
  replyErrors: Record<string, ApiError>;
  sending: boolean;
  loadMessages(conversationId: string): Promise<void>;
  /** Sends to the selected conversation, or starts a new one when none is selected. */
  send(text: string): Promise<boolean>;
  stop(assistantMessageId: string): Promise<void>;
  receiveToken(payload: EventPayload<"chat.token">): void;
  receiveDone(payload: EventPayload<"chat.done">): void;
}

const isLive = (message: Message) => message.status === "pending" || message.status === "streaming";

/**
 * Merges a freshly loaded list with what streamed in meanwhile: a reply still in progress may be stored with less
 * text than the tokens already shown, so the longer text wins until the reply settles.
 */
function mergeLoaded(loaded: Message[], current: Message[] | undefined): Message[] {
  if (!current) return loaded;
  const shown = new Map(current.map((message) => [message.id, message]));
  return loaded.map((message) => {
    const local = shown.get(message.id);
    return local && isLive(message) && local.content.length > message.content.length
      ? { ...message, content: local.content, status: local.status }
      : message;
  });
}

export const createChatSlice =
  (client: ApiClient): SliceCreator<ChatSlice> =>
  (set, get) => ({
    messagesByConversation: {},
    replyErrors: {},
    sending: false,

    async loadMessages(conversationId) {
      try {
        const { messages } = await client.call("messages.list", { conversationId });
        set((state) => ({
          messagesByConversation: {
            ...state.messagesByConversation,
            [conversationId]: mergeLoaded(messages, state.messagesByConversation[conversationId]),
          },
        }));
      } catch (error) {
        get().showNotice(error);
      }
    },

    async send(text) {
      const conversationId = get().selectedConversationId ?? undefined;
      set({ sending: true });
      try {
        const sent = await client.call("chat.send", { conversationId, text });
        // A new conversation appears, and an empty one takes its title from this message: refresh the list.
        await get().loadConversations();
        if (sent.conversationId !== conversationId) set({ selectedConversationId: sent.conversationId });
        await get().loadMessages(sent.conversationId);
        return true;
      } catch (error) {
        get().showNotice(error);
        return false;
      } finally {
        set({ sending: false });
      }
    },

    async stop(assistantMessageId) {
      try {
        await client.call("chat.stop", { assistantMessageId });
      } catch (error) {
        get().showNotice(error);
      }
    },

    receiveToken({ conversationId, assistantMessageId, text }) {
      set((state) => {
        const messages = state.messagesByConversation[conversationId] ?? [];
        const known = messages.some((message) => message.id === assistantMessageId);
        // A token can arrive before chat.send has answered; show it in a placeholder until the list reloads.
        const next = known
          ? messages.map((message) =>
              message.id === assistantMessageId
                ? { ...message, content: message.content + text, status: "streaming" as const }
                : message,
            )
          : [
              ...messages,
              {
                id: assistantMessageId,
                conversationId,
                role: "assistant" as const,
                content: text,
                status: "streaming" as const,
                memoryIds: [],
                createdAt: new Date().toISOString(),
              },
            ];
        return { messagesByConversation: { ...state.messagesByConversation, [conversationId]: next } };
      });
    },

    receiveDone({ conversationId, assistantMessageId, error }) {
      if (error) set((state) => ({ replyErrors: { ...state.replyErrors, [assistantMessageId]: error } }));
      // The stored message is now final (text, status, error), so the list is reloaded rather than patched.
      void get().loadMessages(conversationId);
    },
  });
