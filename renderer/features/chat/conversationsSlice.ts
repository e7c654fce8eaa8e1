import type { Conversation } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export interface ConversationsSlice {
  conversations: Conversation[];
  selectedConversationId: string | null;
  /** What the conversation search box holds; titles are filtered as it is typed. */
  conversationQuery: string;
  /** Conversations whose remembered turns match the query (memory.search), beyond those whose title does. */
  conversationContentMatches: string[];
  /** Loads the list; selects the most recent conversation when none is selected yet. */
  loadConversations(): Promise<void>;
  /** Opens an empty conversation: one already empty if there is one (pressing "New" twice makes one, not two). */
  createConversation(): Promise<void>;
  selectConversation(id: string): Promise<void>;
  renameConversation(id: string, title: string): Promise<boolean>;
  /** Deletes a conversation with its messages and memories (the UI asks first); selects the next one. */
  deleteConversation(id: string): Promise<boolean>;
  setConversationQuery(query: string): void;
  /** Looks the query up in what was said, so a conversation is found by its content, not only its title. */
  searchConversationContent(): Promise<void>;
}

/** How many memory hits a content search of the conversation list reads. */
const contentSearchLimit = 50;

export const createConversationsSlice =
  (client: ApiClient): SliceCreator<ConversationsSlice> =>
  (set, get) => ({
    conversations: [],
    selectedConversationId: null,
    conversationQuery: "",
    conversationContentMatches: [],

    async loadConversations() {
      try {
        const { conversations } = await client.call("conversations.list", {});
        set({ conversations });
        const selected = get().selectedConversationId;
        const first = conversations[0];
        if (selected !== null && !conversations.some((conversation) => conversation.id === selected)) {
          set({ selectedConversationId: null });
        }
        if (get().selectedConversationId === null && first) await get().selectConversation(first.id);
      } catch (error) {
        get().showNotice(error);
      }
    },

    async createConversation() {
      const { conversations, messagesByConversation, transcripts } = get();
      // Only a conversation whose messages were loaded and found empty (and that has no imported turns) counts.
      const empty = conversations.find(
        (conversation) =>
          messagesByConversation[conversation.id]?.length === 0 && (transcripts[conversation.id]?.total ?? 0) === 0,
      );
      if (empty) {
        await get().selectConversation(empty.id);
        return;
      }
      try {
        const conversation = await client.call("conversations.create", {});
        set((state) => ({ conversations: [conversation, ...state.conversations] }));
        await get().selectConversation(conversation.id);
      } catch (error) {
        get().showNotice(error);
      }
    },

    async selectConversation(id) {
      set({ selectedConversationId: id });
      await get().loadMessages(id);
    },

    async renameConversation(id, title) {
      try {
        const renamed = await client.call("conversations.rename", { id, title });
        set((state) => ({
          conversations: state.conversations.map((conversation) => (conversation.id === id ? renamed : conversation)),
        }));
        return true;
      } catch (error) {
        get().showNotice(error);
        return false;
      }
    },

    async deleteConversation(id) {
      try {
        await client.call("conversations.delete", { id });
      } catch (error) {
        get().showNotice(error);
        return false;
      }
      const { conversations, selectedConversationId } = get();
      const index = conversations.findIndex((conversation) => conversation.id === id);
      const remaining = conversations.filter((conversation) => conversation.id !== id);
      // The one below the deleted conversation takes its place, as in a mail client.
      const next = remaining[Math.min(Math.max(index, 0), remaining.length - 1)];
      set((state) => {
        const { [id]: _messages, ...messagesByConversation } = state.messagesByConversation;
        return {
          conversations: remaining,
          messagesByConversation,
          conversationContentMatches: state.conversationContentMatches.filter((match) => match !== id),
          ...(selectedConversationId === id ? { selectedConversationId: null } : {}),
        };
      });
      if (selectedConversationId === id && next) await get().selectConversation(next.id);
      return true;
    },

    setConversationQuery(query) {
      set({ conversationQuery: query, ...(query.trim() === "" ? { conversationContentMatches: [] } : {}) });
    },

    async searchConversationContent() {
      const query = get().conversationQuery.trim();
      if (!query) return;
      try {
        const { hits } = await client.call("memory.search", { query, limit: contentSearchLimit });
        // The answer to an older query is dropped if the box changed meanwhile.
        if (get().conversationQuery.trim() !== query) return;
        const ids = [...new Set(hits.flatMap((hit) => (hit.conversationId ? [hit.conversationId] : [])))];
        set({ conversationContentMatches: ids });
      } catch (error) {
        get().showNotice(error);
      }
    },
  });
