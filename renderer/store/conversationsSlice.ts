import type { Conversation } from "../../core/api/index.ts";
import type { ApiClient } from "../api/apiClient.ts";
import type { SliceCreator } from "./appState.ts";

export interface ConversationsSlice {
  conversations: Conversation[];
  selectedConversationId: string | null;
  /** Loads the list; selects the most recent conversation when none is selected yet. */
  loadConversations(): Promise<void>;
  /** Opens an empty conversation: one already empty if there is one (pressing "New" twice makes one, not two). */
  createConversation(): Promise<void>;
  selectConversation(id: string): Promise<void>;
}

export const createConversationsSlice =
  (client: ApiClient): SliceCreator<ConversationsSlice> =>
  (set, get) => ({
    conversations: [],
    selectedConversationId: null,

    async loadConversations() {
      try {
        const { conversations } = await client.call("conversations.list", {});
        set({ conversations });
        const selected = get().selectedConversationId;
        const first = conversations[0];
        if (selected === null && first) await get().selectConversation(first.id);
      } catch (error) {
        get().showNotice(error);
      }
    },

    async createConversation() {
      const { conversations, messagesByConversation } = get();
      // Only a conversation whose messages were loaded and found empty counts as empty.
      const empty = conversations.find((conversation) => messagesByConversation[conversation.id]?.length === 0);
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
  });
