import type { MethodOutput } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

export type ConversationSummaries = MethodOutput<"summaries.get">;

/** The key of the summaries read without a conversation (the profile alone). */
export const profileOnlyKey = "";

export interface SummariesSlice {
  /** What summaries.get answered, by conversation id (profileOnlyKey: without one). */
  summariesByConversation: Record<string, ConversationSummaries>;
  summaryError: string | null;
  loadSummaries(conversationId: string | null): Promise<void>;
  /** Saves the user's version of a conversation's running summary, or of the profile when conversationId is null. */
  saveSummary(conversationId: string | null, text: string): Promise<boolean>;
}

export const createSummariesSlice =
  (client: ApiClient): SliceCreator<SummariesSlice> =>
  (set, get) => ({
    summariesByConversation: {},
    summaryError: null,

    async loadSummaries(conversationId) {
      try {
        const summaries = await client.call("summaries.get", conversationId ? { conversationId } : {});
        set((state) => ({
          summariesByConversation: { ...state.summariesByConversation, [conversationId ?? profileOnlyKey]: summaries },
        }));
      } catch (error) {
        get().showNotice(error);
      }
    },

    async saveSummary(conversationId, text) {
      set({ summaryError: null });
      try {
        await client.call("summaries.update", { ...(conversationId ? { conversationId } : {}), text });
      } catch (error) {
        set({ summaryError: error instanceof Error ? error.message : String(error) });
        return false;
      }
      // The profile is shown with every conversation's summaries: reload all that are on screen.
      const keys = Object.keys(get().summariesByConversation);
      await Promise.all(keys.map((key) => get().loadSummaries(key === profileOnlyKey ? null : key)));
      if (!keys.includes(conversationId ?? profileOnlyKey)) await get().loadSummaries(conversationId);
      return true;
    },
  });
