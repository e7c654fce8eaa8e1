import type { Episode } from "../../../core/api/index.ts";
import type { ApiClient } from "../../api/apiClient.ts";
import type { SliceCreator } from "../../store/appState.ts";

/** A span of days the episode list is limited to (from the timeline or the date fields), as ISO dates. */
export interface DateRange {
  from: string;
  to: string;
}

export interface EpisodesSlice {
  /** The conversation whose remembered turns the episodes tab lists. */
  episodeConversationId: string | null;
  episodePage: { episodes: Episode[]; total: number; offset: number } | null;
  /** Only turns said within this span are listed (across conversations, from the timeline's data). */
  episodeDateRange: DateRange | null;
  /** A turn the chat should scroll to and mark (after "Show in chat"). */
  chatHighlight: { conversationId: string; episodeId: string; messageId?: string; text: string } | null;
  loadEpisodes(conversationId: string, offset?: number): Promise<void>;
  setEpisodeDateRange(range: DateRange | null): void;
  /** Moves turns to the archive: out of the fast index, still searchable, exported and restorable. */
  forgetEpisodes(ids: string[]): Promise<void>;
  restoreEpisodes(ids: string[]): Promise<void>;
  pinEpisode(id: string, pinned: boolean): Promise<void>;
  /** Opens the chat on the conversation a turn belongs to, scrolled to the turn. */
  showTurnInChat(turn: { id: string; conversationId?: string; messageId?: string; text: string }): Promise<void>;
  clearChatHighlight(): void;
}

/** Turns per page of the episodes tab. */
export const episodePageSize = 100;

export const createEpisodesSlice =
  (client: ApiClient): SliceCreator<EpisodesSlice> =>
  (set, get) => {
    /** Applies a change to every copy of an episode on screen (the page, the timeline's list). */
    const patchEpisodes = (ids: string[], change: Partial<Episode>) => {
      const wanted = new Set(ids);
      const patch = (episode: Episode) => (wanted.has(episode.id) ? { ...episode, ...change } : episode);
      set((state) => ({
        episodePage: state.episodePage && { ...state.episodePage, episodes: state.episodePage.episodes.map(patch) },
        timelineEpisodes: state.timelineEpisodes?.map(patch) ?? null,
      }));
    };

    return {
      episodeConversationId: null,
      episodePage: null,
      episodeDateRange: null,
      chatHighlight: null,

      async loadEpisodes(conversationId, offset = 0) {
        set({ episodeConversationId: conversationId });
        try {
          const { episodes, total } = await client.call("episodes.list", {
            conversationId,
            offset,
            limit: episodePageSize,
            includeArchived: true,
          });
          if (get().episodeConversationId === conversationId) set({ episodePage: { episodes, total, offset } });
        } catch (error) {
          get().showNotice(error);
        }
      },

      setEpisodeDateRange(range) {
        set({ episodeDateRange: range });
        if (range && !get().timelineEpisodes) void get().loadTimeline();
      },

      async forgetEpisodes(ids) {
        try {
          await client.call("episodes.forget", { ids });
          patchEpisodes(ids, { archived: true });
        } catch (error) {
          get().showNotice(error);
        }
      },

      async restoreEpisodes(ids) {
        try {
          await client.call("episodes.restore", { ids });
          patchEpisodes(ids, { archived: false });
        } catch (error) {
          get().showNotice(error);
        }
      },

      async pinEpisode(id, pinned) {
        try {
          await client.call("episodes.pin", { id, pinned });
          patchEpisodes([id], { pinned });
        } catch (error) {
          get().showNotice(error);
        }
      },

      async showTurnInChat({ id, conversationId, messageId, text }) {
        if (!conversationId) return;
        set({
          chatHighlight: { conversationId, episodeId: id, text, ...(messageId ? { messageId } : {}) },
          screen: "chat",
        });
        await get().selectConversation(conversationId);
      },

      clearChatHighlight: () => set({ chatHighlight: null }),
    };
  };
