import type { ApiError, Episode, EventPayload, Message } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export interface ChatSlice {
  /** Messages of each loaded conversation, oldest first. */
  messagesByConversation: Record<string, Message[]>;
  /**
   * The remembered turns of a conversation that has no chat messages (it came in by import or `memory.ingest`), with
   * their speakers and original times, so it reads as a transcript instead of opening empty.
   */
  transcripts: Record<string, { episodes: Episode[]; total: number }>;
  /** Why a reply failed, by assistant message id, with the code (messages.list carries only the text). */
  replyErrors: Record<string, ApiError>;
  /** Tokens the last prompt of each conversation used (from chat.done), for the context meter. */
  promptTokens: Record<string, number>;
  sending: boolean;
  loadMessages(conversationId: string): Promise<void>;
  /** Sends to the selected conversation, or starts a new one when none is selected. */
  send(text: string): Promise<boolean>;
  stop(assistantMessageId: string): Promise<void>;
  /** Answers the same user message again; the old reply is replaced. */
  regenerate(assistantMessageId: string): Promise<void>;
  receiveToken(payload: EventPayload<"chat.token">): void;
  receiveDone(payload: EventPayload<"chat.done">): void;
}

/** How many remembered turns a transcript shows at once. */
export const transcriptPageSize = 500;

export const isLive = (message: Message) => message.status === "pending" || message.status === "streaming";

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
    transcripts: {},
    replyErrors: {},
    promptTokens: {},
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
        if (messages.length > 0) return;
        const { episodes, total } = await client.call("episodes.list", {
          conversationId,
          limit: transcriptPageSize,
          includeArchived: true,
        });
        set((state) => ({ transcripts: { ...state.transcripts, [conversationId]: { episodes, total } } }));
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

    async regenerate(assistantMessageId) {
      try {
        const { conversationId } = await client.call("chat.regenerate", { assistantMessageId });
        set((state) => {
          const { [assistantMessageId]: _replaced, ...replyErrors } = state.replyErrors;
          const messages = state.messagesByConversation[conversationId] ?? [];
          return {
            replyErrors,
            messagesByConversation: {
              ...state.messagesByConversation,
              [conversationId]: messages.filter((message) => message.id !== assistantMessageId),
            },
          };
        });
        await get().loadMessages(conversationId);
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

    receiveDone({ conversationId, assistantMessageId, error, promptTokens }) {
      set((state) => ({
        ...(error ? { replyErrors: { ...state.replyErrors, [assistantMessageId]: error } } : {}),
        ...(promptTokens !== undefined
          ? { promptTokens: { ...state.promptTokens, [conversationId]: promptTokens } }
          : {}),
      }));
      // The stored message is now final (text, status, error), so the list is reloaded rather than patched.
      void get().loadMessages(conversationId);
    },
  });
